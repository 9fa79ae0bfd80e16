#include "CalibrationController.h"
#include "CliRunner.h"
#include "MainWindow.h"
#include "ModelRunController.h"
#include "ModelRunView.h"
#include "PolicyController.h"
#include "SessionController.h"
#include "TestData.h"

#include "Error.h"
#include "eval/Evaluator.h"
#include "eval/SchedulerExport.h"
#include "eval/TemperatureScaling.h"
#include "io/PredictionsReader.h"
#include "io/SessionFile.h"
#include "runtime/EarlyExitRunner.h"
#include "runtime/ExitModel.h"
#include "session/Session.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <cmath>

using namespace eenet;

/// "Run on model" (issue 10, item 5): the studio runs the policy it shows for real on a scripted multi-exit
/// model (written at test time by tests/app/make_exit_model.py, 200 test samples) in the background. Its
/// decisions are the policy's simulated ones in every mode, a cancel stops it within a batch and leaves the
/// window as it was, a model that does not fit the file is an error naming it, and the attached model is
/// part of a saved session.
class TestModelRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void theRunnerStopsWithinABatchWhenCancelled();
    void decisionsEqualTheSimulatedOnes_data();
    void decisionsEqualTheSimulatedOnes();
    void cancelKeepsTheWindowAsItWas();
    void closingDuringARunJoinsTheWorker();
    void aModelThatDoesNotFitIsRefusedByName_data();
    void aModelThatDoesNotFitIsRefusedByName();
    void aRunWithAModelThatDoesNotFitFailsByName();
    void theModelSurvivesASessionSaveAndLoad();
    void theSessionReadsItsModelKeyStrictly_data();
    void theSessionReadsItsModelKeyStrictly();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    /// The window with the tiny model's predictions loaded, curves and policy computed.
    void loadAndSettle(MainWindow& window) const;
    static QMessageBox* errorBox(MainWindow& window) {
        return window.findChild<QMessageBox*>(QStringLiteral("errorBox"));
    }

    QTemporaryDir m_dir;
    std::shared_ptr<const Predictions> m_predictions;
};

void TestModelRun::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("EENetTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_modelrun"));
    QVERIFY(m_dir.isValid());
    // scripts/setup.sh installs python3-torch, python3-h5py and python3-numpy: their absence is a failure.
    const QString error =
        runPython(QStringLiteral(EENET_SOURCE_DIR "/tests/app/make_exit_model.py"), {m_dir.path()});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_predictions = readPredictions(path("predictions.h5").toStdString());
    QCOMPARE(m_predictions->test->numSamples, 200);
}

void TestModelRun::init() {
    QSettings().clear();
}

void TestModelRun::loadAndSettle(MainWindow& window) const {
    window.openFile(path("predictions.h5"));
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->curves().empty(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->snapshot() && !window.policyController()->isBusy(), 30000);
}

void TestModelRun::theRunnerStopsWithinABatchWhenCancelled() {
    Evaluator evaluator(m_predictions);
    const auto snapshot = test::snapshotOf(evaluator, "maxprob", test::budgetAt(*m_predictions, 0.4));
    const DeployedPolicy policy = schedulerFileFor(*snapshot, *m_predictions, {}).deployedPolicy();
    const ExitModel model = loadExitModel(path("model.pt").toStdString());
    std::atomic<bool> cancel{false};
    int batchesAfterCancel = -1;
    RunOptions options;
    options.mode = RunMode::Compact;
    options.batchSize = 10;
    options.cancel = &cancel;
    // The cancel comes from "another thread" after the first timed batch: no further batch may run.
    options.progress = [&](double) {
        ++batchesAfterCancel;
        cancel = true;
    };
    QVERIFY_THROWS_EXCEPTION(CancelledError,
                             runEarlyExit(model, *m_predictions, Split::Test, policy, options));
    QCOMPARE(batchesAfterCancel, 0);

    // Without a cancel, a subset runs whole: the first 50 samples, progress ending at 1.
    cancel = false;
    std::vector<double> fractions;
    options.progress = [&](double fraction) { fractions.push_back(fraction); };
    options.sampleCount = 50;
    const EarlyExitRun run = runEarlyExit(model, *m_predictions, Split::Test, policy, options);
    QCOMPARE(run.exits.size(), size_t(50));
    QCOMPARE(fractions.size(), size_t(5));
    QCOMPARE(fractions.back(), 1.0);
    QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
}

void TestModelRun::decisionsEqualTheSimulatedOnes_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<bool>("calibrated");
    for (const char* method : {"maxprob", "entropy", "patience", "maxprob-opt"})
        QTest::newRow(method) << QString(method) << false;
    // Fitted on temperature-scaled probabilities: the deployed policy scales the model's own by them.
    QTest::newRow("maxprob calibrated") << QStringLiteral("maxprob") << true;
}

void TestModelRun::decisionsEqualTheSimulatedOnes() {
    QFETCH(QString, method);
    QFETCH(bool, calibrated);
    Session session;
    session.setPredictions(m_predictions);
    std::shared_ptr<const Predictions> shown = m_predictions;
    if (calibrated) {
        shown = temperatureScaledCopy(*m_predictions, temperaturesOf(fitTemperatures(*m_predictions)),
                                      kStudioCalibration);
        session.setCalibratedPredictions(shown);
        QVERIFY(session.calibrated());
    }
    Evaluator evaluator(shown);
    const auto snapshot =
        test::snapshotOf(evaluator, method.toUtf8().constData(), test::budgetAt(*m_predictions, 0.4));
    session.setSnapshot(snapshot);
    ModelRunController controller(&session);
    QSignalSpy attached(&controller, &ModelRunController::modelAttached);
    controller.attachModel(path("model.pt"));
    QVERIFY(attached.wait(20000));
    QCOMPARE(session.modelPath(), path("model.pt"));

    QSignalSpy finished(&controller, &ModelRunController::finished);
    QSignalSpy failed(&controller, &ModelRunController::failed);
    controller.run(ModelRunController::defaultModes(7));
    QVERIFY(controller.isRunning());
    QVERIFY2(finished.wait(20000), failed.isEmpty() ? "" : qPrintable(failed.front().front().toString()));
    const ModelRun& run = *controller.result();
    QCOMPARE(run.snapshot, snapshot);
    QVERIFY(run.check.maxDifference < ModelRunController::kCheckTolerance);
    const PolicyOutcome& simulated = snapshot->split(Split::Test)->outcome;
    QCOMPARE(run.modes.size(), size_t(3));
    for (const ModelRunFigures& f : run.modes) {
        const QByteArray mode = QByteArray::fromStdString(servingModeName(f.serving));
        QCOMPARE(f.samples, 200);
        QVERIFY2(f.agreeing == 200, mode.constData());
        for (size_t k = 0; k < f.exitCounts.size(); ++k) {
            QCOMPARE(f.exitCounts[k], std::llround(simulated.exitFractions[k] * 200));
            QCOMPARE(std::isnan(f.measuredExitMs[k]), f.exitCounts[k] == 0);
        }
        QVERIFY(std::abs(f.accuracyPercent - simulated.accuracyPercent) < 1e-9);
        // The file has no batch costs: a batch of b costs b c_k, so one at a time and compacted batches
        // cost sum_k f_k c_k per sample; a synchronous batch pays for its deepest sample.
        if (f.serving.mode == RunMode::Sync)
            QVERIFY2(f.simulatedCost > simulated.cost, mode.constData());
        else
            QVERIFY2(std::abs(f.simulatedCost - simulated.cost) < 1e-12, mode.constData());
        QCOMPARE(f.simulatedFullCost, m_predictions->costs.back());
        QVERIFY(f.measuredMs > 0 && f.fullModelMs > 0 && f.speedup() > 0);
        QVERIFY(f.p50Ms <= f.p95Ms && f.p95Ms <= f.p99Ms);
    }
}

void TestModelRun::cancelKeepsTheWindowAsItWas() {
    MainWindow window;
    window.show();
    loadAndSettle(window);
    ModelRunController* controller = window.modelRunController();
    ModelRunView* view = window.modelRunView();
    window.stage()->setCurrentWidget(view);
    QVERIFY(!view->runButton()->isEnabled()); // no model yet
    QSignalSpy attached(controller, &ModelRunController::modelAttached);
    controller->attachModel(path("model.pt"));
    QVERIFY(attached.wait(20000));
    QVERIFY(view->runButton()->isEnabled());
    QVERIFY(view->modelText().contains("model.pt"));

    QSignalSpy finished(controller, &ModelRunController::finished);
    QSignalSpy cancelled(controller, &ModelRunController::cancelled);
    view->runButton()->click();
    QVERIFY(finished.wait(20000));
    QCOMPARE(view->table()->rowCount(), 3);
    const ModelRun first = *view->run();
    const auto snapshot = window.session()->snapshot();
    const double budget = window.session()->budget();

    // Cancel from the first progress report of the second run: whether the worker is mid-run or already
    // done when the GUI thread reads it, the run ends cancelled (reports arrive before the result).
    const auto cancelOnProgress =
        connect(controller, &ModelRunController::progressed, controller, [controller](double fraction) {
            if (fraction > 0)
                controller->cancel();
        });
    view->runButton()->click();
    QVERIFY(!view->runButton()->isEnabled());
    QVERIFY(view->cancelButton()->isVisible());
    QVERIFY(cancelled.wait(20000));
    disconnect(cancelOnProgress);
    QCOMPARE(finished.size(), 1);
    QVERIFY(!controller->isRunning());
    QVERIFY(view->runButton()->isEnabled());
    QVERIFY(!view->cancelButton()->isVisible());
    // The figures shown and the session are those of before the cancel.
    QCOMPARE(view->run()->modes.size(), first.modes.size());
    QCOMPARE(view->run()->modes.front().measuredMs, first.modes.front().measuredMs);
    QCOMPARE(controller->result()->modes.back().measuredMs, first.modes.back().measuredMs);
    QCOMPARE(view->table()->rowCount(), 3);
    QCOMPARE(window.session()->snapshot(), snapshot);
    QCOMPARE(window.session()->budget(), budget);
    QCOMPARE(window.session()->modelPath(), path("model.pt"));
    QVERIFY(errorBox(window) == nullptr);
}

void TestModelRun::closingDuringARunJoinsTheWorker() {
    auto window = std::make_unique<MainWindow>();
    window->show();
    loadAndSettle(*window);
    QSignalSpy attached(window->modelRunController(), &ModelRunController::modelAttached);
    window->modelRunController()->attachModel(path("model.pt"));
    QVERIFY(attached.wait(20000));
    window->modelRunView()->runButton()->click();
    QVERIFY(window->modelRunController()->isRunning());
    // The controller stops its worker and waits for it; what the worker posted meanwhile is dropped.
    window.reset();
    QCoreApplication::processEvents();
}

void TestModelRun::aModelThatDoesNotFitIsRefusedByName_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("reason");
    QTest::newRow("two exits") << QStringLiteral("two_exits.pt") << QStringLiteral("exits");
    QTest::newRow("other outputs") << QStringLiteral("other.pt") << QStringLiteral("differ");
    QTest::newRow("no head") << QStringLiteral("no_head.pt") << QStringLiteral("head");
    QTest::newRow("missing") << QStringLiteral("missing.pt") << QStringLiteral("missing.pt");
    QTest::newRow("not a model") << QStringLiteral("predictions.h5") << QStringLiteral("TorchScript");
}

void TestModelRun::aModelThatDoesNotFitIsRefusedByName() {
    QFETCH(QString, model);
    QFETCH(QString, reason);
    MainWindow window;
    window.show();
    loadAndSettle(window);
    QSignalSpy rejected(window.modelRunController(), &ModelRunController::modelRejected);
    window.modelRunController()->attachModel(path(model));
    QVERIFY(rejected.wait(20000));
    const QString message = rejected.front().at(1).toString();
    QVERIFY2(message.contains(model), qPrintable(message));
    QVERIFY2(message.contains(reason, Qt::CaseInsensitive), qPrintable(message));
    QTRY_VERIFY(errorBox(window) != nullptr);
    QVERIFY2(errorBox(window)->text().contains(model), qPrintable(errorBox(window)->text()));
    QVERIFY(window.session()->modelPath().isEmpty());
    QVERIFY(!window.modelRunView()->runButton()->isEnabled());
}

void TestModelRun::aRunWithAModelThatDoesNotFitFailsByName() {
    // A restored session names its model without checking it: the run checks it first.
    MainWindow window;
    window.show();
    loadAndSettle(window);
    window.session()->setModelPath(path("other.pt"));
    QSignalSpy failed(window.modelRunController(), &ModelRunController::failed);
    window.modelRunView()->runButton()->click();
    QVERIFY(failed.wait(20000));
    QVERIFY2(failed.front().front().toString().contains("other.pt"),
             qPrintable(failed.front().front().toString()));
    QTRY_VERIFY(errorBox(window) != nullptr);
    QVERIFY(!window.modelRunController()->isRunning());
    QVERIFY(!window.modelRunController()->result());
    QVERIFY(window.modelRunView()->runButton()->isEnabled());
}

void TestModelRun::theModelSurvivesASessionSaveAndLoad() {
    const QString sessionPath = path("with-model.eenet-session");
    {
        MainWindow window;
        window.show();
        loadAndSettle(window);
        QSignalSpy attached(window.modelRunController(), &ModelRunController::modelAttached);
        window.modelRunController()->attachModel(path("model.pt"));
        QVERIFY(attached.wait(20000));
        QSignalSpy saved(window.sessionController(), &SessionController::saved);
        window.sessionController()->save(sessionPath);
        QVERIFY(saved.wait(30000));
    }
    const QJsonObject json = QJsonDocument::fromJson(test::readBytes(sessionPath)).object();
    QCOMPARE(json.value("model").toString(), path("model.pt"));
    MainWindow window;
    window.show();
    QSignalSpy restored(window.sessionController(), &SessionController::restored);
    window.sessionController()->open(sessionPath);
    QVERIFY(restored.wait(30000));
    QCOMPARE(window.session()->modelPath(), path("model.pt"));
    QVERIFY(window.modelRunView()->modelText().contains("model.pt"));
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->snapshot() && !window.policyController()->isBusy(), 30000);
    QVERIFY(window.modelRunView()->runButton()->isEnabled());
    // Another file drops it: a model belongs to its predictions.
    window.openFile(path("no_inputs.h5"));
    QTRY_VERIFY_WITH_TIMEOUT(
        window.session()->modelPredictions()->sourcePath == path("no_inputs.h5").toStdString(), 30000);
    QVERIFY(window.session()->modelPath().isEmpty());
}

void TestModelRun::theSessionReadsItsModelKeyStrictly_data() {
    QTest::addColumn<QJsonValue>("model");
    QTest::addColumn<QString>("expected"); // the path read, or "error"
    QTest::newRow("absent (an older session)") << QJsonValue(QJsonValue::Undefined) << QString();
    QTest::newRow("a path") << QJsonValue(QStringLiteral("/models/m.pt")) << QStringLiteral("/models/m.pt");
    QTest::newRow("empty") << QJsonValue(QString()) << QStringLiteral("error");
    QTest::newRow("a number") << QJsonValue(3) << QStringLiteral("error");
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << QStringLiteral("error");
}

void TestModelRun::theSessionReadsItsModelKeyStrictly() {
    QFETCH(QJsonValue, model);
    QFETCH(QString, expected);
    SessionState state;
    state.inputFile = path("predictions.h5").toStdString();
    state.budget = 0.006;
    const QString file = path("strict.eenet-session");
    writeSessionFile(file.toStdString(), state);
    QJsonObject json = QJsonDocument::fromJson(test::readBytes(file)).object();
    QVERIFY(!json.contains("model")); // written only when a model is attached
    if (!model.isUndefined())
        json["model"] = model;
    QVERIFY(test::writeBytes(file, QJsonDocument(json).toJson()));
    if (expected == QLatin1String("error")) {
        try {
            readSessionFile(file.toStdString());
            QFAIL("a bad model key was accepted");
        } catch (const FormatError& e) {
            QVERIFY2(QString(e.what()).contains("/model") && QString(e.what()).contains(file), e.what());
        }
        return;
    }
    QCOMPARE(QString::fromStdString(readSessionFile(file.toStdString()).modelFile), expected);
}

QTEST_MAIN(TestModelRun)
#include "tst_modelrun.moc"
