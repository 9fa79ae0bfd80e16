#include "CalibrationView.h"
#include "ReliabilityPlot.h"
#include "SessionFixture.h"
#include "ShowWidget.h"

#include <QTableWidget>
#include <QTest>

using namespace eenet;

/// The calibration view draws the session's calibration: a reliability panel per exit with the bins of
/// core's metrics, and a table of each metric before → after; it follows the split.
class TestCalibrationView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void panelsHoldEachExitsBins();
    void tableListsEachExitBeforeAndAfter();
    void followsTheSplit();
    void saysWhatIsMissing();

private:
    test::SessionFixture m_data;
    std::shared_ptr<const std::vector<ExitCalibration>> m_calibration;
};

void TestCalibrationView::initTestCase() {
    m_calibration =
        std::make_shared<const std::vector<ExitCalibration>>(summarizeCalibration(*m_data.predictions).exits);
    m_data.session->setSplit(Split::Test);
    m_data.session->setCalibration(m_calibration);
}

void TestCalibrationView::panelsHoldEachExitsBins() {
    ReliabilityPlot plot(m_data.session.get());
    QVERIFY(test::showExposed(plot, {900, 400}));
    QCOMPARE(plot.panelCount(), m_data.predictions->numExits);
    QVERIFY(!plot.note()->visible());
    for (int k = 0; k < plot.panelCount(); ++k) {
        const ExitCalibration& exit = (*m_calibration)[size_t(k)];
        QVector<double> accuracies, afterAccuracies;
        for (const ReliabilityBin& bin : exit.test->before.bins)
            if (bin.count > 0)
                accuracies << bin.accuracy;
        for (const ReliabilityBin& bin : exit.test->after.bins)
            if (bin.count > 0)
                afterAccuracies << bin.accuracy;
        const ReliabilityPlot::Panel& panel = plot.panel(k);
        QCOMPARE(panel.before->dataCount(), accuracies.size());
        for (int i = 0; i < accuracies.size(); ++i)
            QCOMPARE(panel.before->data()->at(i)->value, accuracies[i]);
        QCOMPARE(panel.after->dataCount(), afterAccuracies.size());
        QVERIFY(panel.title->text().contains(QStringLiteral("T = %1").arg(exit.fit.temperature, 0, 'f', 2)));
        QVERIFY(
            panel.title->text().contains(QStringLiteral("%1 %").arg(100 * exit.test->before.ece, 0, 'f', 1)));
    }
    QCOMPARE(plot.tableData().rows.size(), size_t(m_data.predictions->numExits * 2 * kReliabilityBins));
}

void TestCalibrationView::tableListsEachExitBeforeAndAfter() {
    CalibrationView view(m_data.session.get());
    QTableWidget* table = view.table();
    QCOMPARE(table->rowCount(), m_data.predictions->numExits);
    for (int k = 0; k < table->rowCount(); ++k) {
        const ExitCalibration& exit = (*m_calibration)[size_t(k)];
        QCOMPARE(table->item(k, CalibrationView::TemperatureColumn)->text(),
                 QString::number(exit.fit.temperature, 'f', 3));
        QCOMPARE(table->item(k, CalibrationView::EceColumn)->text(),
                 QStringLiteral("%1 → %2")
                     .arg(100 * exit.test->before.ece, 0, 'f', 2)
                     .arg(100 * exit.test->after.ece, 0, 'f', 2));
        QCOMPARE(table->item(k, CalibrationView::NllColumn)->text(),
                 QStringLiteral("%1 → %2")
                     .arg(exit.test->before.nll, 0, 'f', 4)
                     .arg(exit.test->after.nll, 0, 'f', 4));
    }
    QVERIFY(view.captionText().contains("test split"));
}

void TestCalibrationView::followsTheSplit() {
    CalibrationView view(m_data.session.get());
    m_data.session->setSplit(Split::Val);
    const ExitCalibration& first = m_calibration->front();
    QCOMPARE(view.table()->item(0, CalibrationView::EceColumn)->text(),
             QStringLiteral("%1 → %2")
                 .arg(100 * first.val.before.ece, 0, 'f', 2)
                 .arg(100 * first.val.after.ece, 0, 'f', 2));
    QVERIFY(view.captionText().contains("validation split"));
    QVERIFY(view.plot()->panel(0).title->text().contains("val"));
    m_data.session->setSplit(Split::Test);
}

void TestCalibrationView::saysWhatIsMissing() {
    Session empty;
    ReliabilityPlot nothing(&empty);
    QVERIFY(nothing.note()->visible());
    QVERIFY(nothing.note()->text().contains("Open a predictions file"));
    QCOMPARE(nothing.panelCount(), 0);

    test::SessionFixture fresh(m_data.predictions);
    CalibrationView measuring(fresh.session.get());
    QVERIFY(measuring.plot()->note()->text().contains("Measuring"));
    QCOMPARE(measuring.table()->rowCount(), 0);
    fresh.session->setCalibration(m_calibration);
    QVERIFY(!measuring.plot()->note()->visible());
    QCOMPARE(measuring.table()->rowCount(), m_data.predictions->numExits);
}

QTEST_MAIN(TestCalibrationView)
#include "tst_calibrationview.moc"
