#include "ExitDistributionPlot.h"
#include "MainWindow.h"
#include "PolicyController.h"
#include "PolicyCurvesPlot.h"
#include "PresentationMode.h"
#include "SampleInspector.h"
#include "TestData.h"
#include "ThresholdHistograms.h"
#include "session/Session.h"

#include <QAction>
#include <QDockWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace eenet;

class TestPresentation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void scalesFontsAndLinesAndHidesSecondaryDocks();
    void chartsRebuiltWhilePresentingAreScaledToo();

private:
    void loadAndSettle(MainWindow& window);
    QTemporaryDir m_dir;
};

void TestPresentation::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("EENetTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_presentation"));
    QVERIFY(m_dir.isValid());
}

void TestPresentation::loadAndSettle(MainWindow& window) {
    window.resize(1280, 720);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openFile(test::writeSynthetic(m_dir.filePath(QStringLiteral("four.h5")), {4, 10, 300, 100, 5}));
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->curves().empty(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->snapshot() && !window.policyController()->isBusy(), 30000);
}

void TestPresentation::scalesFontsAndLinesAndHidesSecondaryDocks() {
    MainWindow window;
    loadAndSettle(window);
    PolicyCurvesPlot& curves = *window.curvesPlot();
    curves.replot();
    const double tickPoints = curves.xAxis->tickLabelFont().pointSizeF();
    const double titlePoints = curves.title()->font().pointSizeF();
    const double penWidth = curves.curve("maxprob")->pen().widthF();
    const double labelPoints = window.font().pointSizeF();
    QVERIFY(window.dockOf(window.inspector())->isVisible());

    window.presentation()->action()->trigger();
    QVERIFY(window.presentation()->isOn());
    QVERIFY(window.windowState() & Qt::WindowFullScreen);
    curves.replot();
    QCOMPARE(curves.xAxis->tickLabelFont().pointSizeF(), 1.5 * tickPoints);
    QCOMPARE(curves.title()->font().pointSizeF(), 1.5 * titlePoints);
    QCOMPARE(curves.curve("maxprob")->pen().widthF(), 1.5 * penWidth);
    QCOMPARE(window.font().pointSizeF(), 1.5 * labelPoints);
    QVERIFY(!window.dockOf(window.inspector())->isVisible());
    QVERIFY(!window.dockOf(window.thresholds())->isVisible());
    QVERIFY(window.dockOf(window.exitDistribution())->isVisible());

    window.presentation()->action()->trigger();
    QVERIFY(!window.presentation()->isOn());
    QVERIFY(!(window.windowState() & Qt::WindowFullScreen));
    curves.replot();
    QCOMPARE(curves.xAxis->tickLabelFont().pointSizeF(), tickPoints);
    QCOMPARE(curves.title()->font().pointSizeF(), titlePoints);
    QCOMPARE(curves.curve("maxprob")->pen().widthF(), penWidth);
    QCOMPARE(window.font().pointSizeF(), labelPoints);
    QTRY_VERIFY(window.dockOf(window.inspector())->isVisible());
}

void TestPresentation::chartsRebuiltWhilePresentingAreScaledToo() {
    MainWindow window;
    loadAndSettle(window);
    ExitDistributionPlot& bars = *window.exitDistribution();
    bars.replot();
    const double tickPoints = bars.yAxis->tickLabelFont().pointSizeF();
    window.presentation()->setOn(true);
    // A new budget rebuilds the chart's bars and labels: still presented large.
    Session& session = *window.session();
    session.setBudget(0.5 * (session.budget() + session.maxBudget()));
    QTRY_VERIFY_WITH_TIMEOUT(!window.policyController()->isBusy(), 30000);
    bars.replot();
    QCOMPARE(bars.yAxis->tickLabelFont().pointSizeF(), 1.5 * tickPoints);
    window.presentation()->setOn(false);
    bars.replot();
    QCOMPARE(bars.yAxis->tickLabelFont().pointSizeF(), tickPoints);
}

QTEST_MAIN(TestPresentation)
#include "tst_presentation.moc"
