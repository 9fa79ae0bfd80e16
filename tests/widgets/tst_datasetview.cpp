#include "DatasetView.h"
#include "ExitAccuracyPlot.h"
#include "ExitTable.h"
#include "ShowWidget.h"
#include "TestData.h"
#include "session/Session.h"

#include <QListWidget>
#include <QTest>

using namespace eenet;

class TestDatasetView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsEveryExitInTableAndPlot();
    void hidesTestCurveWithoutTestSplit();
    void followsANewLoad();
    void everyExitRowShowsInASmallTab();
};

void TestDatasetView::showsEveryExitInTableAndPlot() {
    Session session;
    DatasetView view(&session);
    view.resize(1000, 600);
    view.show();
    auto data = test::sharedSynthetic({4, 10, 400, 200, 5});
    session.setPredictions(data);

    QCOMPARE(view.exitTable()->rowCount(), 4);
    QCOMPARE(view.exitTable()->item(2, 1)->text(), QString("3.000"));
    QCOMPARE(view.exitTable()->item(2, 3)->text(),
             QString::number(exitAccuracyPercent(data->val, 10, 2), 'f', 2));
    QCOMPARE(view.exitTable()->item(2, 4)->text(),
             QString::number(exitAccuracyPercent(*data->test, 10, 2), 'f', 2));

    QCPGraph* val = view.accuracyPlot()->valGraph();
    QCOMPARE(val->dataCount(), 4);
    for (int k = 0; k < 4; ++k) {
        QCOMPARE(val->data()->at(k)->key, data->costs[size_t(k)]);
        QCOMPARE(val->data()->at(k)->value, exitAccuracyPercent(data->val, 10, k));
    }
    QVERIFY(view.accuracyPlot()->testGraph()->visible());
    QCOMPARE(view.accuracyPlot()->testGraph()->dataCount(), 4);
    QCOMPARE(view.classList()->count(), 10);
    // Every point lies inside the visible range after the automatic fit.
    for (int k = 0; k < 4; ++k) {
        QVERIFY(view.accuracyPlot()->xAxis->range().contains(val->data()->at(k)->key));
        QVERIFY(view.accuracyPlot()->yAxis->range().contains(val->data()->at(k)->value));
    }
}

void TestDatasetView::hidesTestCurveWithoutTestSplit() {
    Session session;
    DatasetView view(&session);
    session.setPredictions(test::sharedSynthetic({3, 5, 100, 0, 1}));
    QVERIFY(!view.accuracyPlot()->testGraph()->visible());
    QCOMPARE(view.accuracyPlot()->testGraph()->dataCount(), 0);
    QCOMPARE(view.exitTable()->item(0, 4)->text(), QString("—"));
}

void TestDatasetView::followsANewLoad() {
    Session session;
    DatasetView view(&session);
    session.setPredictions(test::sharedSynthetic({3, 5, 100, 50, 1}));
    session.setPredictions(test::sharedSynthetic({6, 7, 100, 50, 1}));
    QCOMPARE(view.exitTable()->rowCount(), 6);
    QCOMPARE(view.accuracyPlot()->valGraph()->dataCount(), 6);
    QCOMPARE(view.classList()->count(), 7);
}

void TestDatasetView::everyExitRowShowsInASmallTab() {
    // The bottom tab's size at 1280x720 with the default layout.
    Session session;
    DatasetView view(&session);
    QVERIFY(test::showExposed(view, QSize(734, 255)));
    session.setPredictions(test::sharedSynthetic({4, 10, 400, 200, 5}));
    QApplication::processEvents();
    const QTableWidget* table = view.exitTable();
    const int lastRowBottom = table->rowViewportPosition(3) + table->rowHeight(3);
    QVERIFY2(
        lastRowBottom <= table->viewport()->height(),
        qPrintable(
            QStringLiteral("row 4 ends at %1 px of %2").arg(lastRowBottom).arg(table->viewport()->height())));
}

QTEST_MAIN(TestDatasetView)
#include "tst_datasetview.moc"
