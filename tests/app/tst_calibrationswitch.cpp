// The "Calibrate exits" switch (issue 13, item 1): every policy, curve and export of the studio on
// temperature-scaled probabilities, the uncalibrated curve overlaid, and back again without losing anything.

#include "CalibrationController.h"
#include "MainWindow.h"
#include "PolicyController.h"
#include "PolicyControls.h"
#include "PolicyCurvesPlot.h"
#include "SchedulerExporter.h"
#include "SessionController.h"
#include "TestData.h"
#include "eval/SchedulerExport.h"
#include "eval/TemperatureScaling.h"
#include "io/SchedulerFile.h"
#include "session/Session.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace eenet;

class TestCalibrationSwitch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void everyViewUsesTheCalibratedProbabilitiesAndComesBack();
    void anExportOfCalibratedPoliciesReplaysOnTheModelsOwnProbabilities();
    void aSessionKeepsTheSwitchAndBothSchedulers();
    void thresholdsSetByHandAreEndedOnlyAfterAsking();

private:
    /// A window with the sample loaded, its curves, snapshot and calibration computed.
    static void loadAndSettle(MainWindow& window, const QString& path);
    static void settle(MainWindow& window);
    static void switchCalibration(MainWindow& window, bool on);

    QTemporaryDir m_dir;
};

void TestCalibrationSwitch::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("EENetTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_calibrationswitch"));
    QVERIFY(m_dir.isValid());
}

void TestCalibrationSwitch::init() {
    QSettings().clear();
}

void TestCalibrationSwitch::settle(MainWindow& window) {
    Session* session = window.session();
    QTRY_VERIFY_WITH_TIMEOUT(!session->curves().empty(), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(session->snapshot() && !window.policyController()->isBusy(), 30000);
}

void TestCalibrationSwitch::loadAndSettle(MainWindow& window, const QString& path) {
    QSignalSpy loaded(window.session(), &Session::predictionsLoaded);
    window.openFile(path);
    QVERIFY(loaded.wait(30000));
    settle(window);
    QTRY_VERIFY_WITH_TIMEOUT(window.policyControls()->calibrateBox()->isEnabled(), 60000);
}

void TestCalibrationSwitch::switchCalibration(MainWindow& window, bool on) {
    QCheckBox* box = window.policyControls()->calibrateBox();
    QCOMPARE(box->isChecked(), !on);
    box->click();
    QTRY_COMPARE_WITH_TIMEOUT(window.session()->calibrated(), on, 30000);
    QCOMPARE(box->isChecked(), on);
    settle(window);
}

void TestCalibrationSwitch::everyViewUsesTheCalibratedProbabilitiesAndComesBack() {
    MainWindow window;
    window.show();
    loadAndSettle(window, test::samplePath());
    Session* session = window.session();
    const auto model = session->modelPredictions();
    const std::vector<MethodResult> modelMaxProb = *session->curveResults("maxprob", Split::Test);
    const size_t modelCurveCount = session->curves().size();
    const auto modelSnapshot = session->snapshot();
    QCOMPARE(window.curvesPlot()->otherCalibrationCurve()->dataCount(), 0);

    switchCalibration(window, true);
    const auto calibrated = session->predictions();
    QVERIFY(calibrated != model);
    QCOMPARE(calibrated->temperatures.size(), static_cast<size_t>(model->numExits));
    for (size_t k = 0; k < calibrated->temperatures.size(); ++k)
        QCOMPARE(calibrated->temperatures[k], (*session->calibration())[k].fit.temperature);
    // The fitted temperatures are not 1 on the sample: the probabilities, and so max score's thresholds,
    // change; each exit's prediction does not.
    QVERIFY(calibrated->val.probs != model->val.probs);
    const auto snapshot = session->snapshot();
    QCOMPARE(snapshot->method, std::string("maxprob"));
    QVERIFY(snapshot->thresholds != modelSnapshot->thresholds);
    Evaluator evaluator(calibrated);
    const auto expected = test::snapshotOf(evaluator, "maxprob", session->budget());
    QCOMPARE(snapshot->thresholds, expected->thresholds);
    QCOMPARE(snapshot->splits.back().outcome.exitOf, expected->splits.back().outcome.exitOf);
    QCOMPARE(predictedClass(calibrated->val, calibrated->numClasses, 0, 7),
             predictedClass(model->val, model->numClasses, 0, 7));

    // The curves are the calibrated ones; the uncalibrated curve of the method shown is overlaid.
    const auto* shown = session->curveResults("maxprob", session->split());
    const auto* before = session->parkedCurveResults("maxprob", session->split());
    QVERIFY(shown && before);
    QCOMPARE(window.curvesPlot()->curve("maxprob")->dataCount(), static_cast<int>(shown->size()));
    QCPCurve* overlay = window.curvesPlot()->otherCalibrationCurve();
    QCOMPARE(overlay->dataCount(), static_cast<int>(before->size()));
    QCOMPARE(overlay->data()->at(0)->value, before->front().outcome.accuracyPercent);
    QVERIFY(overlay->name().contains("uncalibrated"));
    QVERIFY(window.curvesPlot()->legend->itemWithPlottable(overlay));

    // Off again: the model's curves are back at once, and the calibrated curve is the overlay now.
    window.policyControls()->calibrateBox()->click();
    QVERIFY(!session->calibrated());
    QCOMPARE(session->curves().size(), modelCurveCount);
    QCOMPARE(session->curveResults("maxprob", Split::Test)->back().outcome.accuracyPercent,
             modelMaxProb.back().outcome.accuracyPercent);
    QVERIFY(window.curvesPlot()->otherCalibrationCurve()->name().endsWith("calibrated"));
    QVERIFY(!window.curvesPlot()->otherCalibrationCurve()->name().contains("uncalibrated"));
    settle(window);
    QCOMPARE(session->snapshot()->thresholds, modelSnapshot->thresholds);
}

void TestCalibrationSwitch::anExportOfCalibratedPoliciesReplaysOnTheModelsOwnProbabilities() {
    MainWindow window;
    window.show();
    loadAndSettle(window, test::samplePath());
    switchCalibration(window, true);
    Session* session = window.session();
    session->setMethod(*Method::parse("entropy"));
    QTRY_VERIFY_WITH_TIMEOUT(session->snapshot()->method == "entropy" && !window.policyController()->isBusy(),
                             30000);
    for (const char* name : {"entropy.json", "entropy.pt"}) {
        QSignalSpy exported(window.schedulerExporter(), &SchedulerExporter::exported);
        QSignalSpy failed(window.schedulerExporter(), &SchedulerExporter::failed);
        const QString path = m_dir.filePath(QString::fromLatin1(name));
        window.exportScheduler(path);
        QVERIFY(QTest::qWaitFor([&] { return !exported.isEmpty() || !failed.isEmpty(); }, 60000));
        QVERIFY2(failed.isEmpty(),
                 qPrintable(failed.isEmpty() ? QString() : failed.front().at(1).toString()));
        QVERIFY2(exported.front().at(1).toString().startsWith("decisions identical on 10000/10000 val"),
                 qPrintable(exported.front().at(1).toString()));
        // Fed the model's own probabilities, the written scheduler takes the studio's calibrated decisions.
        const auto exits =
            writtenSchedulerExits(path.toStdString(), *session->modelPredictions(), Split::Test);
        QCOMPARE(exits, session->snapshot()->splits.back().outcome.exitOf);
        if (path.endsWith(".json"))
            QCOMPARE(readSchedulerFile(path.toStdString()).temperatures,
                     session->predictions()->temperatures);
    }
}

void TestCalibrationSwitch::aSessionKeepsTheSwitchAndBothSchedulers() {
    const QString sessionPath = m_dir.filePath("calibrated.eenet-session");
    const QString input = test::writeSynthetic(m_dir.filePath("switch.h5"), {4, 10, 1200, 400, 5});
    std::vector<double> calibratedThresholds;
    double modelBudget = 0;
    {
        MainWindow window;
        window.show();
        loadAndSettle(window, input);
        Session* session = window.session();
        Evaluator modelEvaluator(session->modelPredictions());
        modelBudget = session->budget();
        session->addScheduler(std::make_shared<const TrainedScheduler>(
            describeFit(modelEvaluator, modelBudget, trainEENet(*session->modelPredictions(), modelBudget))));
        switchCalibration(window, true);
        Evaluator evaluator(session->predictions());
        const double other = test::budgetAt(*session->predictions(), 0.3);
        session->addScheduler(std::make_shared<const TrainedScheduler>(
            describeFit(evaluator, other, trainEENet(*session->predictions(), other))));
        session->setMethod(*Method::parse("eenet"));
        session->setBudget(other);
        QTRY_VERIFY_WITH_TIMEOUT(session->snapshot() && session->snapshot()->method == "eenet" &&
                                     session->snapshot()->available && !window.policyController()->isBusy(),
                                 30000);
        calibratedThresholds = session->snapshot()->thresholds;
        QSignalSpy saved(window.sessionController(), &SessionController::saved);
        window.sessionController()->save(sessionPath);
        QVERIFY(saved.wait(30000));
    }
    MainWindow window;
    window.show();
    QSignalSpy restored(window.sessionController(), &SessionController::restored);
    window.openFile(sessionPath);
    QVERIFY(restored.wait(60000));
    Session* session = window.session();
    QVERIFY(session->calibrated());
    QVERIFY(window.policyControls()->calibrateBox()->isChecked());
    QCOMPARE(session->schedulers().size(), size_t(1));
    QCOMPARE(session->parkedSchedulers().size(), size_t(1));
    QTRY_VERIFY_WITH_TIMEOUT(session->snapshot() && session->snapshot()->method == "eenet" &&
                                 session->snapshot()->available && !window.policyController()->isBusy(),
                             30000);
    // The same scores as before saving: the temperatures were fitted again to the same values.
    QCOMPARE(session->snapshot()->thresholds, calibratedThresholds);
    // The model's scheduler is there when the switch is turned off, nothing was retrained.
    QTRY_VERIFY_WITH_TIMEOUT(window.policyControls()->calibrateBox()->isEnabled(), 60000);
    window.policyControls()->calibrateBox()->click();
    QVERIFY(!session->calibrated());
    QCOMPARE(session->schedulers().size(), size_t(1));
    QCOMPARE(session->schedulers().front()->budget, modelBudget);
}

void TestCalibrationSwitch::thresholdsSetByHandAreEndedOnlyAfterAsking() {
    MainWindow window;
    window.show();
    loadAndSettle(window, test::samplePath());
    Session* session = window.session();
    session->setThresholdByHand(0, 0.95);
    QVERIFY(session->customPolicy());
    const auto answer = [&](QMessageBox::StandardButton button) {
        QCheckBox* box = window.policyControls()->calibrateBox();
        box->click();
        auto* question = window.findChild<QMessageBox*>(QStringLiteral("calibrationSwitchBox"));
        QVERIFY(question);
        QTRY_VERIFY(question->isVisible());
        question->button(button)->click();
        // Closed and deleted: the next question is a box of its own.
        QTRY_VERIFY(!window.findChild<QMessageBox*>(QStringLiteral("calibrationSwitchBox")));
    };
    answer(QMessageBox::Cancel);
    QVERIFY(session->customPolicy());
    QVERIFY(!session->calibrated());
    QVERIFY(!window.policyControls()->calibrateBox()->isChecked());
    answer(QMessageBox::Yes);
    QTRY_VERIFY_WITH_TIMEOUT(session->calibrated(), 30000);
    QVERIFY(!session->customPolicy());
    QCOMPARE(session->method().name(), std::string("maxprob"));
}

QTEST_MAIN(TestCalibrationSwitch)
#include "tst_calibrationswitch.moc"
