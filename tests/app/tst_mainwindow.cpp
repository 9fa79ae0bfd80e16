#include "BudgetControl.h"
#include "CalibrationView.h"
#include "ClassExitMap.h"
#include "CurveController.h"
#include "DatasetView.h"
#include "ExitDistributionPlot.h"
#include "ExitTable.h"
#include "LoadController.h"
#include "MainWindow.h"
#include "PolicyController.h"
#include "PolicyControls.h"
#include "PolicyCurvesPlot.h"
#include "SampleInspector.h"
#include "SampleTableModel.h"
#include "SchedulerExporter.h"
#include "SessionController.h"
#include "SessionRecovery.h"
#include "TestData.h"
#include "TrainingActions.h"
#include "TrainingController.h"
#include "UnsavedWork.h"
#include "io/SchedulerFile.h"
#include "io/SessionFile.h"
#include "session/Session.h"

#include <QAbstractButton>
#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QUrl>

using namespace eenet;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void loadsAFileInTheBackground();
    void badFileShowsErrorAndKeepsPreviousData_data();
    void badFileShowsErrorAndKeepsPreviousData();
    void latestRequestWins();
    void dropLoadsAFile();
    void remembersRecentFilesAndLayout();
    void sliderUpdatesEveryView();
    void trainingFromTheWindowReachesEveryView();
    void releasingTheSliderTrainsWhenAsked();
    void trainingViewShowsTheSchedulerInUse();
    void closingDuringTrainingJoinsTheWorker();
    void loadingDuringTrainingStopsIt();
    void darkThemeReachesTheCharts();
    void exportsTheShownSchedulerAndReportsTheReplay();
    void sessionSavesAndReopensWithoutRetraining();
    void quittingWithUnsavedSchedulersAsksFirst();
    void aWindowWithNothingNewQuitsWithoutAsking();
    void movingASavedHandSetThresholdIsUnsavedWork();
    void anAttachedModelAndAServingRuleAreUnsavedWork();
    void saveInThePromptWritesTheSessionThenQuits();
    void openingAnotherFileWithUnsavedWorkAsksFirst();
    void theRecoveryFileFollowsUnsavedWork();
    void aSessionWhoseInputMovedOffersLocateInOneMessage();
    void helpShowsTheDocumentationAndEveryShortcut();
    void aCrashLeavesASessionThatTheNextStartOffers();

private:
    QString writeSynthetic(const QString& name, int exits, int samples = 300);
    /// A window with a file loaded and its curves and snapshot computed.
    static void loadAndSettle(MainWindow& window, const QString& path);
    /// Starts `action` (train or train curve) with endless options; true once steps arrive.
    static bool startEndlessTraining(MainWindow& window, QAction* action);
    /// Clicks `button` in the open "Save the session before …?" box.
    static void answerUnsavedWorkBox(MainWindow& window, QMessageBox::StandardButton button);
    static QMessageBox* errorBox(MainWindow& window) {
        return window.findChild<QMessageBox*>(QStringLiteral("errorBox"));
    }

    QTemporaryDir m_dir;
};

void TestMainWindow::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("EENetTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    QVERIFY(m_dir.isValid());
    // Recovery files an interrupted earlier run left in the test-mode data folder would be offered.
    QDir data(QFileInfo(SessionRecovery::ownPath()).absolutePath());
    for (const QString& name : data.entryList({QStringLiteral("recovery-*.eenet-session")}, QDir::Files))
        QVERIFY(data.remove(name));
}

void TestMainWindow::init() {
    QSettings().clear();
}

QString TestMainWindow::writeSynthetic(const QString& name, int exits, int samples) {
    return test::writeSynthetic(m_dir.filePath(name), {exits, 10, samples, samples / 3, 11});
}

void TestMainWindow::loadAndSettle(MainWindow& window, const QString& path) {
    QSignalSpy loaded(window.session(), &Session::predictionsLoaded);
    window.openFile(path);
    QVERIFY(loaded.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->curves().empty(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->snapshot() && !window.policyController()->isBusy(), 30000);
}

bool TestMainWindow::startEndlessTraining(MainWindow& window, QAction* action) {
    window.trainingController()->setOptions(test::endlessTraining());
    action->trigger();
    return QTest::qWaitFor([&] { return window.session()->trainingRun().history.size() > 2; }, 30000);
}

void TestMainWindow::loadsAFileInTheBackground() {
    MainWindow window;
    window.show();
    const QString path = writeSynthetic("four.h5", 4);
    QSignalSpy loaded(window.session(), &Session::predictionsLoaded);
    window.openFile(path);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(window.session()->summary().numExits, 4);
    QCOMPARE(window.datasetView()->exitTable()->rowCount(), 4);
    QVERIFY(window.windowTitle().contains("four.h5"));
    // The policy curves follow in the background.
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->curves().empty(), 30000);
    QVERIFY(window.curvesPlot()->curve("maxprob") != nullptr);
    QCOMPARE(window.curvesPlot()->curve("maxprob")->dataCount(), CurveController::kBudgetCount);
    // And the 90 % band of the method shown (maxprob), shaded around its curve.
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->bands("maxprob", window.session()->split()), 30000);
    const auto& curve = *window.curvesPlot()->curve("maxprob");
    QTRY_COMPARE(window.curvesPlot()->bandLow()->dataCount(), curve.dataCount());
    for (int i = 0; i < curve.dataCount(); ++i) {
        QVERIFY(window.curvesPlot()->bandLow()->data()->at(i)->value <= curve.data()->at(i)->value + 1e-9);
        QVERIFY(window.curvesPlot()->bandHigh()->data()->at(i)->value >= curve.data()->at(i)->value - 1e-9);
    }
    // So does each exit's calibration, for the calibration tab.
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->calibration(), 30000);
    QCOMPARE(int(window.session()->calibration()->size()), 4);
    // Its tab, behind the curves, catches up when shown.
    QCOMPARE(window.calibrationView()->table()->rowCount(), 0);
    window.stage()->setCurrentWidget(window.calibrationView());
    QCOMPARE(window.calibrationView()->table()->rowCount(), 4);
}

void TestMainWindow::badFileShowsErrorAndKeepsPreviousData_data() {
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    QTest::newRow("text file") << "notes.h5" << QByteArray("just some text\n") << "not an HDF5 file";
    QTest::newRow("missing file") << "missing.h5" << QByteArray() << "no such file";
}

void TestMainWindow::badFileShowsErrorAndKeepsPreviousData() {
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    MainWindow window;
    window.show();
    QSignalSpy loaded(window.session(), &Session::predictionsLoaded);
    window.openFile(writeSynthetic("good.h5", 3));
    QVERIFY(loaded.wait(10000));
    const auto before = window.session()->predictions();

    const QString bad = m_dir.filePath(fileName);
    if (!content.isEmpty()) {
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }
    QSignalSpy failed(window.loader(), &LoadController::failed);
    window.openFile(bad);
    QVERIFY(failed.wait(10000));
    QTRY_VERIFY(errorBox(window) != nullptr);
    QVERIFY(errorBox(window)->isVisible());
    QVERIFY2(errorBox(window)->text().contains(bad), qPrintable(errorBox(window)->text()));
    QVERIFY2(errorBox(window)->text().contains(expected), qPrintable(errorBox(window)->text()));
    QCOMPARE(window.session()->predictions(), before);
    QCOMPARE(window.datasetView()->exitTable()->rowCount(), 3);
}

void TestMainWindow::latestRequestWins() {
    MainWindow window;
    const QString first = writeSynthetic("first.h5", 3);
    const QString second = writeSynthetic("second.h5", 5);
    QSignalSpy loaded(window.session(), &Session::predictionsLoaded);
    window.openFile(first);
    window.openFile(second);
    QVERIFY(loaded.wait(10000));
    QTRY_VERIFY(!window.loader()->isLoading());
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(window.session()->summary().numExits, 5);
}

void TestMainWindow::dropLoadsAFile() {
    MainWindow window;
    window.show();
    const QString path = writeSynthetic("dropped.h5", 6);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QSignalSpy loaded(window.session(), &Session::predictionsLoaded);
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &drop);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(window.session()->summary().numExits, 6);
}

void TestMainWindow::remembersRecentFilesAndLayout() {
    const QString path = writeSynthetic("recent.h5", 3);
    {
        MainWindow window;
        window.resize(1240, 780);
        window.show();
        QSignalSpy loaded(window.session(), &Session::predictionsLoaded);
        window.openFile(path);
        QVERIFY(loaded.wait(10000));
        window.close();
    }
    QCOMPARE(QSettings().value("recentFiles").toStringList().value(0), QFileInfo(path).absoluteFilePath());
    {
        MainWindow reopened;
        QCOMPARE(reopened.size(), QSize(1240, 780));
        reopened.show();
        reopened.dockOf(reopened.inspector())->close();
        reopened.close();
    }
    MainWindow third;
    third.show();
    QVERIFY(!third.dockOf(third.inspector())->isVisible());
    QVERIFY(third.dockOf(third.exitDistribution())->isVisible());
}

void TestMainWindow::sliderUpdatesEveryView() {
    MainWindow window;
    window.show();
    loadAndSettle(window, writeSynthetic("slider.h5", 4, 3000));
    // The correct samples leaving at exit 2 at the middle budget.
    window.exitDistribution()->selectBar(Split::Test, 1, true);
    const int selected = window.inspector()->model()->rowCount();
    QVERIFY(selected > 0);
    auto exitColumn = [&] {
        QStringList exits;
        for (int row = 0; row < window.inspector()->model()->rowCount(); ++row)
            exits << window.inspector()
                         ->model()
                         ->index(row, SampleTableModel::ExitTakenColumn)
                         .data()
                         .toString();
        return exits;
    };
    const QStringList exitsBefore = exitColumn();
    const double firstBarBefore = window.exitDistribution()->bars(Split::Test, true)->data()->at(0)->value;

    // Charts out of sight draw nothing while the slider moves (the per-class map's dock is behind the
    // thresholds'), and the curves redraw only the budget's marks (their own layer), not every curve.
    QVERIFY(window.classMap()->isVisible() && window.classMap()->visibleRegion().isEmpty());
    // The chosen curve's band is computed in the background and redraws the curves when it arrives: under a
    // slow build (ThreadSanitizer) that can be during the move. Measured once it is in.
    QTRY_VERIFY_WITH_TIMEOUT(
        window.session()->bands(window.session()->method().name(), window.session()->split()), 60000);
    QCoreApplication::processEvents(); // the replots the selection and the band queued
    QSignalSpy mapDrawn(window.classMap(), &QCustomPlot::afterReplot);
    QSignalSpy curvesDrawn(window.curvesPlot(), &QCustomPlot::afterReplot);

    // The slider to its lowest position: everyone leaves at exit 1.
    window.policyControls()->budgetControl()->slider()->setValue(0);
    QCOMPARE(window.session()->budget(), window.session()->minBudget());
    QCOMPARE(window.curvesPlot()->budgetLine()->point1->coords().x(), window.session()->minBudget());
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->snapshot()->budget == window.session()->minBudget() &&
                                 !window.policyController()->isBusy(),
                             10000);
    const SplitPolicy& test = *window.session()->snapshot()->split(Split::Test);
    QCOMPARE(test.outcome.exitFractions[0], 1.0);
    const double firstBarAfter = window.exitDistribution()->bars(Split::Test, true)->data()->at(0)->value;
    QVERIFY(firstBarAfter > firstBarBefore);
    QCOMPARE(window.curvesPlot()->currentPoint()->data()->at(0)->key, test.outcome.cost);
    // The inspector re-judges the same samples under the new thresholds.
    QCOMPARE(window.inspector()->model()->rowCount(), selected);
    QCOMPARE(exitsBefore, QStringList(selected, QStringLiteral("2")));
    for (const QString& exit : exitColumn())
        QCOMPARE(exit, QStringLiteral("1"));
    QCoreApplication::processEvents();
    QCOMPARE(mapDrawn.count(), 0);
    QCOMPARE(curvesDrawn.count(), 0);
    // A view in a tab behind another catches up when shown.
    window.dockOf(window.classMap())->raise();
    QTRY_VERIFY(window.classMap()->isVisible());
    const auto& perClass = test.outcome.perClassExitFractions;
    for (int c = 0; c < perClass.rows(); ++c)
        for (int k = 0; k < perClass.cols(); ++k)
            QCOMPARE(window.classMap()->colorMap()->data()->cell(k, c), perClass(c, k));
}

void TestMainWindow::trainingFromTheWindowReachesEveryView() {
    MainWindow window;
    window.show();
    loadAndSettle(window, writeSynthetic("train.h5", 4, 2000));
    QSignalSpy trained(window.trainingController(), &TrainingController::trained);
    window.trainingActions()->trainAction()->trigger();
    QCOMPARE(window.session()->method().name(), std::string("eenet"));
    QVERIFY(window.trainingActions()->cancelAction()->isEnabled());
    QVERIFY(trained.wait(60000));
    QTRY_VERIFY_WITH_TIMEOUT(!window.trainingController()->isRunning(), 10000);
    QVERIFY(!window.trainingActions()->cancelAction()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->snapshot() && window.session()->snapshot()->available &&
                                 !window.policyController()->isBusy(),
                             10000);
    QCOMPARE(*window.session()->snapshot()->trainedBudget, window.session()->budget());
    QVERIFY(window.curvesPlot()->curve("eenet") != nullptr);
    QCOMPARE(window.curvesPlot()->curve("eenet")->dataCount(), 1);
    QVERIFY(!window.exitDistribution()->message()->visible());
    QVERIFY(window.exitDistribution()->bars(Split::Test, true)->dataCount() > 0);
    QVERIFY(!window.session()->trainingRun().history.empty());
}

void TestMainWindow::releasingTheSliderTrainsWhenAsked() {
    MainWindow window;
    window.show();
    loadAndSettle(window, writeSynthetic("release.h5", 4, 1500));
    QSlider* slider = window.policyControls()->budgetControl()->slider();
    QSignalSpy trained(window.trainingController(), &TrainingController::trained);
    // Off by default, and a heuristic never trains.
    slider->setValue(300);
    Q_EMIT slider->sliderReleased();
    QVERIFY(!window.trainingController()->isRunning());
    window.trainingActions()->trainOnReleaseAction()->setChecked(true);
    Q_EMIT slider->sliderReleased();
    QVERIFY(!window.trainingController()->isRunning());
    // With EENet chosen, releasing the slider trains exactly the budget it shows.
    window.session()->setMethod(*Method::parse("eenet"));
    slider->setValue(420);
    const double budget = window.session()->budget();
    Q_EMIT slider->sliderReleased();
    QVERIFY(window.trainingController()->isRunning());
    QVERIFY(trained.wait(60000));
    QCOMPARE(trained.front().at(0).toDouble(), budget);
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->snapshot() && window.session()->snapshot()->available &&
                                 !window.policyController()->isBusy(),
                             10000);
    QVERIFY(window.session()->snapshot()->note.empty()); // the exact fit, not a re-thresholded neighbour
    QVERIFY(QSettings().value("training/trainOnRelease").toBool());
}

void TestMainWindow::trainingViewShowsTheSchedulerInUse() {
    MainWindow window;
    window.show();
    loadAndSettle(window, writeSynthetic("history.h5", 4, 1500));
    window.trainingActions()->trainCurveAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!window.trainingController()->isRunning(), 120000);
    QCOMPARE(window.session()->schedulers().size(), size_t(CurveController::kBudgetCount));
    // The last run trained the largest budget; near the smallest, the views use its scheduler and the
    // training view shows how that one was trained.
    window.session()->setBudget(window.session()->minBudget() * 1.001);
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->snapshot()->budget == window.session()->budget() &&
                                 !window.policyController()->isBusy(),
                             10000);
    const auto& used = window.session()->schedulers().front();
    QCOMPARE(*window.session()->snapshot()->trainedBudget, used->budget);
    QCOMPARE(window.session()->trainingRun().budget, used->budget);
    QVERIFY(!window.session()->trainingRun().running);
    QCOMPARE(window.session()->trainingRun().history.size(), used->fit.history.size());
    QCOMPARE(window.session()->trainingRun().history.back().expectedCost,
             used->fit.history.back().expectedCost);
}

void TestMainWindow::closingDuringTrainingJoinsTheWorker() {
    MainWindow window;
    window.show();
    loadAndSettle(window, writeSynthetic("close.h5", 4, 2000));
    QVERIFY(startEndlessTraining(window, window.trainingActions()->trainAction()));
    // Training switched the method to EENet: quitting asks first, and Discard quits.
    QVERIFY(!window.close());
    QVERIFY(window.trainingController()->isRunning());
    answerUnsavedWorkBox(window, QMessageBox::Discard);
    QTRY_VERIFY(!window.isVisible());
    QVERIFY(!window.trainingController()->isRunning());
    QVERIFY(window.session()->schedulers().empty());
}

void TestMainWindow::loadingDuringTrainingStopsIt() {
    MainWindow window;
    window.show();
    loadAndSettle(window, writeSynthetic("first-train.h5", 4, 2000));
    QVERIFY(startEndlessTraining(window, window.trainingActions()->trainCurveAction()));
    loadAndSettle(window, writeSynthetic("second-train.h5", 5, 600));
    QVERIFY(!window.trainingController()->isRunning());
    QCOMPARE(window.session()->summary().numExits, 5);
    QTest::qWait(100);
    QVERIFY(window.session()->schedulers().empty());
    QVERIFY(window.session()->trainingRun().history.empty());
    QVERIFY(errorBox(window) == nullptr);
}

void TestMainWindow::darkThemeReachesTheCharts() {
    MainWindow window;
    window.show();
    loadAndSettle(window, writeSynthetic("dark.h5", 4));
    auto backgroundLightness = [&] {
        window.curvesPlot()->replot();
        return window.curvesPlot()->grab().toImage().pixelColor(3, 3).lightness();
    };
    window.setTheme(Theme::Dark);
    QTRY_VERIFY(backgroundLightness() < 80);
    window.setTheme(Theme::Light);
    QTRY_VERIFY(backgroundLightness() > 200);
    QCOMPARE(QSettings().value("view/theme").toString(), QStringLiteral("light"));
}

void TestMainWindow::exportsTheShownSchedulerAndReportsTheReplay() {
    MainWindow window;
    window.show();
    loadAndSettle(window, writeSynthetic("export.h5", 4, 1500));
    window.session()->setMethod(*Method::parse("entropy-opt"));
    QTRY_VERIFY_WITH_TIMEOUT(
        window.session()->snapshot()->method == "entropy-opt" && !window.policyController()->isBusy(), 10000);
    QSignalSpy exported(window.schedulerExporter(), &SchedulerExporter::exported);
    const QString path = m_dir.filePath("entropy-opt.json");
    window.exportScheduler(path);
    QVERIFY(exported.wait(30000));
    QCOMPARE(exported.front().at(0).toString(), path);
    QCOMPARE(exported.front().at(1).toString(),
             QStringLiteral("decisions identical on 1500/1500 val and 500/500 test samples"));
    QTRY_VERIFY(window.findChild<QMessageBox*>(QStringLiteral("exportBox")) != nullptr);
    const SchedulerFile file = readSchedulerFile(path.toStdString());
    QCOMPARE(file.policy, std::string("entropy-opt"));
    QCOMPARE(file.scheduler.budget, window.session()->budget());

    // EENet before training cannot be exported: the user is told why, nothing is written.
    window.session()->setMethod(*Method::parse("eenet"));
    QTRY_VERIFY_WITH_TIMEOUT(
        window.session()->snapshot()->method == "eenet" && !window.policyController()->isBusy(), 10000);
    QSignalSpy failed(window.schedulerExporter(), &SchedulerExporter::failed);
    window.exportScheduler(m_dir.filePath("eenet.pt"));
    QCOMPARE(failed.size(), 1);
    QVERIFY(failed.front().at(1).toString().contains("train"));
    QVERIFY(!QFile::exists(m_dir.filePath("eenet.pt")));
    QTRY_VERIFY(errorBox(window) != nullptr);
}

void TestMainWindow::sessionSavesAndReopensWithoutRetraining() {
    const QString input = writeSynthetic("session.h5", 4, 1200);
    const QString sessionPath = m_dir.filePath("work.eenet-session");
    double budget = 0;
    std::vector<double> thresholds;
    {
        MainWindow window;
        window.show();
        loadAndSettle(window, input);
        window.session()->setBudget(window.session()->minBudget() * 1.3);
        budget = window.session()->budget();
        QSignalSpy trained(window.trainingController(), &TrainingController::trained);
        window.trainingActions()->trainAction()->trigger();
        QVERIFY(trained.wait(60000));
        window.session()->setSplit(Split::Val);
        thresholds = window.session()->schedulers().front()->fit.scheduler.thresholds;
        QSignalSpy saved(window.sessionController(), &SessionController::saved);
        window.sessionController()->save(sessionPath);
        QVERIFY(saved.wait(30000));
        QCOMPARE(saved.size(), 1);
    }
    {
        MainWindow window;
        window.show();
        QSignalSpy restored(window.sessionController(), &SessionController::restored);
        QSignalSpy trained(window.trainingController(), &TrainingController::trained);
        window.sessionController()->open(sessionPath);
        QVERIFY(restored.wait(30000));
        QVERIFY(restored.front().at(1).toString().isEmpty()); // the input did not change
        QCOMPARE(window.session()->method().name(), std::string("eenet"));
        QCOMPARE(window.session()->split(), Split::Val);
        QCOMPARE(window.session()->budget(), budget);
        QCOMPARE(window.session()->schedulers().size(), size_t(1));
        QCOMPARE(window.session()->schedulers().front()->fit.scheduler.thresholds, thresholds);
        QCOMPARE(trained.size(), 0); // nothing was retrained
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->snapshot() && window.session()->snapshot()->available &&
                                     !window.policyController()->isBusy(),
                                 10000);
    }
    // The input changes on disk: reopening warns.
    test::writeSynthetic(input, {4, 10, 1200, 400, 99});
    MainWindow window;
    window.show();
    QSignalSpy restored(window.sessionController(), &SessionController::restored);
    window.sessionController()->open(sessionPath);
    QVERIFY(restored.wait(30000));
    QVERIFY(restored.front().at(1).toString().contains("changed since the session was saved"));
    QTRY_VERIFY(errorBox(window) != nullptr);
}

void TestMainWindow::answerUnsavedWorkBox(MainWindow& window, QMessageBox::StandardButton button) {
    auto* box = window.findChild<QMessageBox*>(QStringLiteral("unsavedWorkBox"));
    QVERIFY(box);
    QTRY_VERIFY(box->isVisible());
    box->button(button)->click();
}

void TestMainWindow::quittingWithUnsavedSchedulersAsksFirst() {
    MainWindow window;
    window.show();
    loadAndSettle(window, writeSynthetic("unsaved.h5", 4, 1000));
    QSignalSpy trained(window.trainingController(), &TrainingController::trained);
    window.trainingController()->train({window.session()->budget()});
    QVERIFY(trained.wait(60000));
    QVERIFY(window.unsavedWork()->isModified());

    QVERIFY(!window.close());
    auto* box = window.findChild<QMessageBox*>(QStringLiteral("unsavedWorkBox"));
    QVERIFY(box);
    QVERIFY2(box->informativeText().contains("1 trained EENet scheduler"),
             qPrintable(box->informativeText()));
    answerUnsavedWorkBox(window, QMessageBox::Cancel);
    QTest::qWait(50);
    QVERIFY(window.isVisible());
    QCOMPARE(window.session()->schedulers().size(), size_t(1));

    QVERIFY(!window.close());
    answerUnsavedWorkBox(window, QMessageBox::Discard);
    QTRY_VERIFY(!window.isVisible());
}

void TestMainWindow::aWindowWithNothingNewQuitsWithoutAsking() {
    MainWindow window;
    window.show();
    loadAndSettle(window, writeSynthetic("clean.h5", 3));
    QVERIFY(!window.unsavedWork()->isModified());
    QVERIFY(window.close());
    QVERIFY(!window.findChild<QMessageBox*>(QStringLiteral("unsavedWorkBox")));
}

void TestMainWindow::movingASavedHandSetThresholdIsUnsavedWork() {
    MainWindow window;
    window.show();
    loadAndSettle(window, writeSynthetic("custom.h5", 3));
    Session& session = *window.session();
    session.setThresholdByHand(0, 0.9);
    QCOMPARE(session.method().name(), std::string("custom"));
    QSignalSpy saved(window.sessionController(), &SessionController::saved);
    window.sessionController()->save(m_dir.filePath("custom.eenet-session"));
    QVERIFY(saved.wait(30000));
    QVERIFY(!window.unsavedWork()->isModified());
    // Still "custom", at the same budget: only the threshold tells the saved work from the new.
    session.setThresholdByHand(0, 0.95);
    QVERIFY(window.unsavedWork()->isModified());
}

void TestMainWindow::anAttachedModelAndAServingRuleAreUnsavedWork() {
    MainWindow window;
    window.show();
    loadAndSettle(window, writeSynthetic("model-rule.h5", 3));
    Session& session = *window.session();
    QVERIFY(!window.unsavedWork()->isModified());
    // A session file keeps the model and the rule: losing either unasked would drop what the user set up.
    session.setModelPath(m_dir.filePath("model.pt"));
    QVERIFY(window.unsavedWork()->isModified());
    QSignalSpy saved(window.sessionController(), &SessionController::saved);
    window.sessionController()->save(m_dir.filePath("model-rule.eenet-session"));
    QVERIFY(saved.wait(30000));
    QVERIFY(!window.unsavedWork()->isModified());
    BudgetRule rule;
    rule.serving = parseServingMode("compact:32");
    QVERIFY(rule.serving.has_value());
    session.setBudgetRule(rule);
    QVERIFY(window.unsavedWork()->isModified());
    session.setBudgetRule(BudgetRule{});
    QVERIFY(!window.unsavedWork()->isModified());
    rule.serving.reset();
    rule.guarantee = 0.95;
    session.setBudgetRule(rule);
    QVERIFY(window.unsavedWork()->isModified());
}

void TestMainWindow::saveInThePromptWritesTheSessionThenQuits() {
    MainWindow window;
    window.show();
    loadAndSettle(window, writeSynthetic("to-save.h5", 3));
    const QString sessionPath = m_dir.filePath("prompt.eenet-session");
    QSignalSpy saved(window.sessionController(), &SessionController::saved);
    window.sessionController()->save(sessionPath);
    QVERIFY(saved.wait(30000));
    QVERIFY(!window.unsavedWork()->isModified());

    const double budget = 0.25 * window.session()->minBudget() + 0.75 * window.session()->maxBudget();
    window.session()->setBudget(budget);
    QVERIFY(window.unsavedWork()->isModified());
    QVERIFY(!window.close());
    // Save writes to the session the window came from, without asking for a path, and then quits.
    answerUnsavedWorkBox(window, QMessageBox::Save);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), 30000);
    QCOMPARE(readSessionFile(sessionPath.toStdString()).budget, budget);
}

void TestMainWindow::openingAnotherFileWithUnsavedWorkAsksFirst() {
    MainWindow window;
    window.show();
    const QString first = writeSynthetic("keep-me.h5", 3);
    loadAndSettle(window, first);
    window.session()->setMethod(*Method::parse("entropy"));
    const QString other = writeSynthetic("other.h5", 4);

    window.requestOpen(other);
    answerUnsavedWorkBox(window, QMessageBox::Cancel);
    QTest::qWait(200);
    QCOMPARE(QString::fromStdString(window.session()->predictions()->sourcePath), first);

    QSignalSpy loaded(window.session(), &Session::predictionsLoaded);
    window.requestOpen(other);
    answerUnsavedWorkBox(window, QMessageBox::Discard);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(window.session()->summary().numExits, 4);
    // A freshly loaded file holds nothing new.
    QVERIFY(!window.unsavedWork()->isModified());
}

void TestMainWindow::theRecoveryFileFollowsUnsavedWork() {
    MainWindow window;
    window.show();
    loadAndSettle(window, writeSynthetic("recover-me.h5", 3));
    const QString path = SessionRecovery::ownPath();
    window.recovery()->update();
    QVERIFY(!QFile::exists(path)); // nothing unsaved, nothing written

    const double budget = 0.3 * window.session()->minBudget() + 0.7 * window.session()->maxBudget();
    window.session()->setBudget(budget);
    window.recovery()->update();
    QTRY_VERIFY(QFile::exists(path));
    QTRY_COMPARE(readSessionFile(path.toStdString()).budget, budget);

    // Saved for real: the recovery file goes.
    QSignalSpy saved(window.sessionController(), &SessionController::saved);
    window.sessionController()->save(m_dir.filePath("real.eenet-session"));
    QVERIFY(saved.wait(30000));
    QVERIFY(!QFile::exists(path));
}

void TestMainWindow::aCrashLeavesASessionThatTheNextStartOffers() {
    const QString input = writeSynthetic("crashed.h5", 4, 1000);
    const QString left =
        QFileInfo(SessionRecovery::ownPath()).dir().filePath("recovery-999999999.eenet-session");
    double budget = 0;
    {
        MainWindow window;
        window.show();
        loadAndSettle(window, input);
        budget = window.session()->budget();
        QSignalSpy trained(window.trainingController(), &TrainingController::trained);
        window.trainingController()->train({budget});
        QVERIFY(trained.wait(60000));
        // A new scheduler is written at once.
        QTRY_VERIFY(QFile::exists(SessionRecovery::ownPath()));
        QTRY_COMPARE(readSessionFile(SessionRecovery::ownPath().toStdString()).fits.size(), size_t(1));
        // The "crash": the window goes without closing, and its file now belongs to a process that is gone.
        QVERIFY(QFile::rename(SessionRecovery::ownPath(), left));
    }
    QCOMPARE(SessionRecovery::leftoverPath(), QFileInfo(left).absoluteFilePath());

    MainWindow next;
    next.show();
    bool openedOtherwise = false;
    QVERIFY(next.recovery()->offerLeftover([&] { openedOtherwise = true; }));
    auto* box = next.findChild<QMessageBox*>(QStringLiteral("recoveryBox"));
    QVERIFY(box);
    QTRY_VERIFY(box->isVisible());
    QVERIFY2(box->informativeText().contains("1 trained EENet scheduler"),
             qPrintable(box->informativeText()));
    QSignalSpy restored(next.sessionController(), &SessionController::restored);
    const auto buttons = box->buttons();
    const auto restore = std::find_if(buttons.begin(), buttons.end(), [](QAbstractButton* b) {
        return b->text() == QStringLiteral("Restore");
    });
    QVERIFY(restore != buttons.end());
    (*restore)->click();
    QVERIFY(restored.wait(30000));
    QVERIFY(!openedOtherwise);
    QCOMPARE(next.session()->schedulers().size(), size_t(1));
    QCOMPARE(next.session()->schedulers().front()->budget, budget);
    QVERIFY(!QFile::exists(left));
    // Recovered work is still unsaved: quitting would ask.
    QVERIFY(next.unsavedWork()->isModified());
    QVERIFY(SessionRecovery::leftoverPath().isEmpty());
}

void TestMainWindow::aSessionWhoseInputMovedOffersLocateInOneMessage() {
    const QString input = writeSynthetic("will-move.h5", 3);
    const QString sessionPath = m_dir.filePath("moved-input.eenet-session");
    double budget = 0;
    {
        MainWindow window;
        window.show();
        loadAndSettle(window, input);
        budget = 0.4 * window.session()->minBudget() + 0.6 * window.session()->maxBudget();
        window.session()->setBudget(budget);
        QSignalSpy saved(window.sessionController(), &SessionController::saved);
        window.sessionController()->save(sessionPath);
        QVERIFY(saved.wait(30000));
    }
    const QString moved = m_dir.filePath("moved-elsewhere.h5");
    QVERIFY(QFile::rename(input, moved));

    MainWindow window;
    window.show();
    window.openFile(sessionPath); // a session, as from the command line or a drop
    QTRY_VERIFY(window.findChild<QMessageBox*>(QStringLiteral("inputMissingBox")));
    auto* box = window.findChild<QMessageBox*>(QStringLiteral("inputMissingBox"));
    QVERIFY2(box->text().contains("will-move.h5") && box->text().contains("moved-input.eenet-session"),
             qPrintable(box->text()));
    QTest::qWait(100);
    QVERIFY(!window.findChild<QMessageBox*>(QStringLiteral("errorBox"))); // one message, not two
    QVERIFY(window.sessionController()->isRestoring());

    // What Locate… does once the file is chosen: the session is restored on the file at its new place.
    QSignalSpy restored(window.sessionController(), &SessionController::restored);
    window.sessionController()->locateInput(moved);
    QVERIFY(restored.wait(30000));
    QCOMPARE(restored.front().at(1).toString(), QString()); // same contents: no warning
    QCOMPARE(window.session()->budget(), budget);
    QCOMPARE(QFileInfo(QString::fromStdString(window.session()->predictions()->sourcePath)).fileName(),
             QStringLiteral("moved-elsewhere.h5"));
}

void TestMainWindow::helpShowsTheDocumentationAndEveryShortcut() {
    MainWindow window;
    window.show();
    QMenu* help = nullptr;
    for (QAction* menu : window.menuBar()->actions())
        if (menu->text() == QStringLiteral("&Help"))
            help = menu->menu();
    QVERIFY(help);
    const auto trigger = [help](const QString& text) {
        for (QAction* action : help->actions())
            if (action->text() == text)
                return action->trigger(), true;
        return false;
    };
    // The docs are found next to the executable (a link to docs/ in the build tree), rendered as Markdown.
    QVERIFY(trigger(QStringLiteral("&Documentation")));
    auto* browser = window.findChild<QTextBrowser*>(QStringLiteral("documentationBrowser"));
    QVERIFY(browser);
    QVERIFY2(browser->toPlainText().startsWith(QStringLiteral("The studio")),
             qPrintable(browser->toPlainText().left(80)));
    // The shortcuts are read from the actions: Train's is there.
    QVERIFY(trigger(QStringLiteral("&Keyboard Shortcuts")));
    auto* shortcuts = window.findChild<QMessageBox*>(QStringLiteral("shortcutsBox"));
    QVERIFY(shortcuts);
    QVERIFY2(shortcuts->text().contains(QStringLiteral("Ctrl+T")) &&
                 shortcuts->text().contains(QStringLiteral("Train")),
             qPrintable(shortcuts->text()));
    QVERIFY(trigger(QStringLiteral("&Getting Started")));
    QVERIFY(window.findChild<QMessageBox*>(QStringLiteral("gettingStartedBox")));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
