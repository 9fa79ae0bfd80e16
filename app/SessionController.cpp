#include "SessionController.h"

#include "CalibrationController.h"
#include "Error.h"
#include "LoadController.h"
#include "data/CostModels.h"
#include "eval/TemperatureScaling.h"
#include "io/SchedulerFile.h"
#include "session/Session.h"

#include <QFileInfo>
#include <QMainWindow>

#include <algorithm>

namespace eenet {
namespace {

QString canonical(const std::string& path) {
    return QFileInfo(QString::fromStdString(path)).canonicalFilePath();
}

} // namespace

SessionController::SessionController(Session* session, LoadController* loader, QMainWindow* window,
                                     QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_loader(loader)
    , m_window(window)
    , m_restoreJob(this, [this](const Restored& result) { onRestored(result); })
    , m_saveJob(this, [this](const QString& error) { onSaved(error); })
    , m_recoveryJob(this, [](const QString& error) {
        if (!error.isEmpty())
            qWarning("session recovery file not written: %s", qPrintable(error));
    }) {
    connect(m_session, &Session::predictionsLoaded, this, &SessionController::onPredictionsLoaded);
    connect(loader, &LoadController::failed, this, [this](const QString& input, const QString& message) {
        if (m_pending)
            Q_EMIT inputMissing(m_pendingPath, input, message);
    });
    // A cancelled load of the session's input abandons the restore: nothing of it is shown.
    connect(loader, &LoadController::cancelled, this, [this] { abandonRestore(); });
}

void SessionController::save(const QString& path) {
    if (!m_session->hasPredictions()) {
        Q_EMIT failed(path, tr("nothing is loaded"));
        return;
    }
    if (m_saveJob.isBusy()) {
        Q_EMIT failed(path, tr("another session is still being saved"));
        return;
    }
    // What the window shows is read here, on the GUI thread; hashing and writing happen in the pool.
    SessionState state = shownState();
    m_savePath = path;
    m_saveJob.start([path, state = std::move(state)]() mutable {
        try {
            state.inputSha256 = sha256OfFile(state.inputFile);
            writeSessionFile(path.toStdString(), state);
            return QString();
        } catch (const std::exception& e) {
            return QString::fromStdString(e.what());
        }
    });
}

SessionState SessionController::shownState() const {
    SessionState state;
    state.inputFile = QFileInfo(QString::fromStdString(m_session->predictions()->sourcePath))
                          .absoluteFilePath()
                          .toStdString();
    state.budget = m_session->budget();
    state.method = m_session->method().name();
    if (const auto& custom = m_session->customPolicy()) {
        state.custom = SavedCustomPolicy{custom->base.name(), std::nullopt, custom->thresholds};
        if (custom->scheduler)
            state.custom->schedulerBudget = custom->scheduler->budget;
    }
    state.split = m_session->split();
    state.calibrated = m_session->calibrated();
    state.modelFile = m_session->modelPath().toStdString();
    state.costModel = m_session->predictions()->costModel;
    state.serving = m_session->budgetRule().serving;
    state.guarantee = m_session->budgetRule().guarantee;
    for (const auto& scheduler : m_session->schedulers())
        state.fits.push_back({scheduler->budget, scheduler->fit, state.calibrated});
    for (const auto& scheduler : m_session->parkedSchedulers())
        state.fits.push_back({scheduler->budget, scheduler->fit, !state.calibrated});
    state.windowGeometry = m_window->saveGeometry();
    state.windowState = m_window->saveState();
    return state;
}

void SessionController::writeRecovery(const QString& path) {
    if (!m_session->hasPredictions())
        return;
    m_recoveryJob.start([path, state = shownState()]() {
        try {
            writeSessionFile(path.toStdString(), state);
            return QString();
        } catch (const std::exception& e) {
            return QString::fromStdString(e.what());
        }
    });
}

void SessionController::onSaved(const QString& error) {
    if (error.isEmpty())
        Q_EMIT saved(m_savePath);
    else
        Q_EMIT failed(m_savePath, error);
}

void SessionController::open(const QString& path) {
    try {
        m_pending = readSessionFile(path.toStdString());
        m_pendingPath = path;
        m_loader->load(QString::fromStdString(m_pending->inputFile));
    } catch (const std::exception& e) {
        m_pending.reset();
        Q_EMIT failed(path, QString::fromStdString(e.what()));
    }
}

void SessionController::locateInput(const QString& inputPath) {
    if (!m_pending)
        return;
    m_pending->inputFile = QFileInfo(inputPath).absoluteFilePath().toStdString();
    m_loader->load(inputPath);
}

void SessionController::abandonRestore() {
    m_pending.reset();
}

void SessionController::onPredictionsLoaded() {
    if (!m_pending)
        return;
    auto predictions = m_session->predictions();
    if (canonical(predictions->sourcePath) != canonical(m_pending->inputFile)) {
        m_pending.reset(); // the user opened another file meanwhile
        return;
    }
    SessionState state = std::move(*m_pending);
    m_pending.reset();
    // Custom thresholds follow once their base's scores are back (onRestored); their base shows meanwhile.
    m_session->setMethod(*Method::parse(state.custom ? state.custom->base : state.method));
    m_session->setSplit(state.split);
    m_session->setBudget(state.budget);
    // The model is checked against the input when it runs (a missing one is reported then, by name).
    m_session->setModelPath(QString::fromStdString(state.modelFile));
    m_window->restoreGeometry(state.windowGeometry);
    m_window->restoreState(state.windowState);
    // Re-scoring the schedulers (and hashing the input) takes a moment on large files: off the GUI thread.
    m_restoreJob.start([predictions, state]() {
        Restored restored{predictions,
                          nullptr,
                          BudgetRule{state.serving, state.guarantee},
                          state.budget,
                          {},
                          nullptr,
                          {},
                          state.calibrated,
                          state.custom,
                          false,
                          {}};
        try {
            // Budgets and schedulers were in the saved cost model: everything is restored in it.
            std::shared_ptr<const Predictions> shown = predictions;
            if (state.costModel != predictions->costModel)
                shown = restored.costModelPredictions = withCostModel(predictions, state.costModel);
            restored.inputChanged =
                !state.inputSha256.empty() && sha256OfFile(predictions->sourcePath) != state.inputSha256;
            const bool anyCalibrated = std::any_of(state.fits.begin(), state.fits.end(),
                                                   [](const SavedFit& fit) { return fit.calibrated; });
            // The temperatures follow from the input: fitted again, as the calibration controller does.
            if (state.calibrated || anyCalibrated)
                restored.calibratedPredictions = temperatureScaledCopy(
                    *shown, temperaturesOf(fitTemperatures(*shown)), kStudioCalibration);
            Evaluator evaluator(shown);
            std::optional<Evaluator> calibratedEvaluator;
            if (restored.calibratedPredictions)
                calibratedEvaluator.emplace(restored.calibratedPredictions);
            for (const SavedFit& saved : state.fits) {
                if (saved.fit.scheduler.numExits != predictions->numExits ||
                    saved.fit.scheduler.numClasses != predictions->numClasses)
                    throw Error("its schedulers do not match the input's exits and classes any more");
                (saved.calibrated ? restored.calibratedSchedulers : restored.schedulers)
                    .push_back(std::make_shared<const TrainedScheduler>(describeFit(
                        saved.calibrated ? *calibratedEvaluator : evaluator, saved.budget, saved.fit)));
            }
            if (state.custom && state.custom->thresholds.size() != static_cast<size_t>(predictions->numExits))
                throw Error("its custom thresholds do not match the input's exits any more");
        } catch (const std::exception& e) {
            restored.error = QString::fromStdString(e.what());
        }
        return restored;
    });
}

void SessionController::restoreCustomPolicy(
    const SavedCustomPolicy& saved, const std::vector<std::shared_ptr<const TrainedScheduler>>& schedulers) {
    CustomPolicy policy{*Method::parse(saved.base), nullptr, saved.thresholds};
    // The reader made sure a learned base names the budget of a saved scheduler.
    for (const auto& scheduler : schedulers)
        if (saved.schedulerBudget && scheduler->budget == *saved.schedulerBudget)
            policy.scheduler = scheduler;
    m_session->setCustomPolicy(std::move(policy));
}

void SessionController::onRestored(const Restored& result) {
    if (result.predictions != m_session->predictions())
        return;
    if (!result.error.isEmpty()) {
        Q_EMIT failed(m_pendingPath, result.error);
        return;
    }
    if (result.costModelPredictions)
        m_session->setCostModelPredictions(result.costModelPredictions, nullptr);
    for (const auto& scheduler : result.schedulers)
        m_session->addScheduler(scheduler);
    if (result.calibratedPredictions) {
        // Through the calibrated probabilities, so their schedulers land with them, then back if the
        // session showed the model's own.
        m_session->setCalibratedPredictions(result.calibratedPredictions);
        for (const auto& scheduler : result.calibratedSchedulers)
            m_session->addScheduler(scheduler);
        if (!result.calibrated)
            m_session->setCalibratedPredictions(nullptr);
    }
    m_session->setBudgetRule(result.rule);
    m_session->setBudget(result.budget);
    if (result.custom)
        restoreCustomPolicy(*result.custom,
                            result.calibrated ? result.calibratedSchedulers : result.schedulers);
    Q_EMIT restored(
        m_pendingPath,
        result.inputChanged
            ? tr("%1 changed since the session was saved (its SHA-256 differs): the schedulers were "
                 "fitted on its old contents.")
                  .arg(QString::fromStdString(result.predictions->sourcePath))
            : QString());
}

} // namespace eenet
