#include "MainWindow.h"
#include "StressRun.h"
#include "data/SyntheticPredictions.h"
#include "io/PredictionsWriter.h"

#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace eenet;

/// The studio under a seeded storm of user actions (StressRun): 10,000 slider moves while curves train, with
/// method and split switches, reloads and cancels at random moments. Nothing crashes (and, in the sanitizer
/// builds, nothing leaks or races), no result of one file reaches the other, and the window settles on the
/// file opened last. The event loop's latency under this load is a benchmark figure (eenet-bench), not
/// asserted here.
class TestStress : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void sliderStormWhileTrainingAndReloading();

private:
    QTemporaryDir m_dir;
};

void TestStress::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("EENetTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_stress"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
}

void TestStress::sliderStormWhileTrainingAndReloading() {
    StressOptions options;
    options.fileA = m_dir.filePath(QStringLiteral("three-exits.h5"));
    options.fileB = m_dir.filePath(QStringLiteral("four-exits.h5"));
    writePredictions(options.fileA.toStdString(), makeSyntheticPredictions({3, 10, 1500, 500, 1}));
    writePredictions(options.fileB.toStdString(), makeSyntheticPredictions({4, 10, 2000, 500, 2}));

    MainWindow window;
    window.resize(1280, 800);
    window.show();
    const StressReport report = runStress(window, options);
    qInfo("%d moves, %d method and %d split switches, %d reloads, %d trainings started, %d cancels, %d "
          "schedulers "
          "trained in %.1f s",
          report.sliderMoves, report.methodSwitches, report.splitSwitches, report.reloads,
          report.trainingsStarted, report.cancels, report.schedulersTrained, report.seconds);
    QVERIFY2(report.violations.isEmpty(), qPrintable(report.violations.join(QStringLiteral("\n"))));
    QCOMPARE(report.sliderMoves, options.sliderMoves);
    // The seed makes every kind of action happen, several times.
    QVERIFY(report.reloads >= 3);
    QVERIFY(report.trainingsStarted >= 3);
    QVERIFY(report.cancels >= 3);
    QVERIFY(report.methodSwitches >= 10);
    QVERIFY(report.splitSwitches >= 5);
    QVERIFY(!report.latenessMs.empty());
}

QTEST_MAIN(TestStress)
#include "tst_stress.moc"
