#include "ModelRunController.h"

#include "Error.h"
#include "PostToOwner.h"
#include "eval/SchedulerExport.h"
#include "runtime/EarlyExitRunner.h"
#include "runtime/ExitModel.h"
#include "session/Session.h"

#include <QFileInfo>

namespace eenet {
namespace {

/// Progress steps worth a queued signal: a run of 10,000 single samples would otherwise post 10,000.
constexpr double kProgressStep = 0.01;

QString fileName(const QString& path) {
    return QFileInfo(path).fileName();
}

} // namespace

ModelRunController::ModelRunController(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_checkJob(this, [this](const CheckResult& result) { onChecked(result); })
    , m_runJob(this, [this](const RunOutcome& outcome) { onRunEnded(outcome); }) {
    // A model and its figures belong to the file they were run on.
    connect(m_session, &Session::predictionsLoaded, this, &ModelRunController::forgetFile);
}

QString ModelRunController::checkSummary() const {
    if (m_checkedPath.isEmpty())
        return {};
    return tr("outputs match the file on %1 %2 samples (largest difference %3)")
        .arg(m_lastCheck.samples)
        .arg(QString::fromStdString(splitName(m_checkedSplit)))
        .arg(m_lastCheck.maxDifference, 0, 'g', 2);
}

std::vector<ServingMode> ModelRunController::defaultModes(int batchSize) {
    return {{RunMode::Sample, 1}, {RunMode::Compact, batchSize}, {RunMode::Sync, batchSize}};
}

void ModelRunController::forgetFile() {
    cancel();
    m_result.reset();
    m_checkedPath.clear();
    m_lastCheck = {};
}

void ModelRunController::attachModel(const QString& path) {
    const auto predictions = m_session->modelPredictions();
    if (!predictions) {
        Q_EMIT modelRejected(path, tr("Open a predictions file before attaching its model."));
        return;
    }
    const Split split = m_session->split();
    m_checkJob.start([path, predictions, split]() {
        CheckResult result{path, predictions, split, {}, {}};
        try {
            const ExitModel model = loadExitModel(path.toStdString());
            result.check = checkModelAgainst(model, *predictions, split, kCheckedSamples, kCheckTolerance);
        } catch (const std::exception& e) {
            result.error = QString::fromStdString(e.what());
        }
        return result;
    });
}

void ModelRunController::onChecked(const CheckResult& result) {
    const auto& shown = m_session->modelPredictions();
    if (!shown || shown->sourcePath != result.predictions->sourcePath)
        return; // checked against a file that is no longer open
    if (!result.error.isEmpty()) {
        Q_EMIT modelRejected(result.path, result.error);
        return;
    }
    m_checkedPath = result.path;
    m_lastCheck = result.check;
    m_checkedSplit = result.split;
    m_session->setModelPath(result.path);
    Q_EMIT modelAttached(result.path, checkSummary());
}

void ModelRunController::run(const std::vector<ServingMode>& modes, int sampleCount) {
    if (isRunning())
        return;
    const auto snapshot = m_session->snapshot();
    const auto predictions = m_session->modelPredictions();
    const QString modelPath = m_session->modelPath();
    QString refusal;
    if (!predictions)
        refusal = tr("Open a predictions file first.");
    else if (modelPath.isEmpty())
        refusal = tr("Attach the file's model first: File ▸ Attach Model….");
    else if (modes.empty())
        refusal = tr("Choose at least one serving mode.");
    else if (!snapshot || !snapshot->available)
        refusal = snapshot ? QString::fromStdString(snapshot->method + ": " + snapshot->note)
                           : tr("The policy is still being computed; try again in a moment.");
    else if (snapshot->thresholds.empty())
        refusal = tr("%1 has no thresholds a deployment could run (it decides with the labels).")
                      .arg(QString::fromStdString(snapshot->method));
    const Split split = m_session->split();
    const SplitPolicy* simulated = snapshot ? snapshot->split(split) : nullptr;
    if (refusal.isEmpty() && !simulated)
        refusal =
            tr("The policy has no decisions on the %1 split.").arg(QString::fromStdString(splitName(split)));
    DeployedPolicy policy;
    if (refusal.isEmpty()) {
        try {
            // As File ▸ Export Scheduler… writes it: the thresholds lowered for export, the temperatures of
            // calibrated probabilities, so the model's own probabilities are scaled as a runtime scales them.
            policy = schedulerFileFor(*snapshot, *m_session->predictions(), {}).deployedPolicy();
        } catch (const std::exception& e) {
            refusal = QString::fromStdString(e.what());
        }
    }
    if (!refusal.isEmpty()) {
        Q_EMIT failed(refusal);
        return;
    }
    const int runId = ++m_latestRun;
    const std::vector<int> simulatedExits = simulated->outcome.exitOf;
    const std::string budgetUnit = m_session->budgetUnit();
    m_runJob.start([this, runId, modelPath, predictions, snapshot, policy, split, simulatedExits, budgetUnit,
                    modes, sampleCount](const std::atomic<bool>& cancel) {
        RunOutcome outcome;
        try {
            ModelRun result{modelPath.toStdString(), snapshot, budgetUnit, predictions, split, {}, {}};
            const ExitModel model = loadExitModel(modelPath.toStdString());
            result.check = checkModelAgainst(model, *predictions, split, kCheckedSamples, kCheckTolerance);
            const SplitPredictions& data = split == Split::Test ? *predictions->test : predictions->val;
            const ServingCostModel costs(*predictions);
            double reported = 0;
            for (size_t m = 0; m < modes.size(); ++m) {
                const QString text = tr("Running %1 (%2 of %3)")
                                         .arg(QString::fromStdString(servingModeName(modes[m])))
                                         .arg(m + 1)
                                         .arg(modes.size());
                RunOptions options;
                options.mode = modes[m].mode;
                options.batchSize = modes[m].batchSize;
                options.sampleCount = sampleCount;
                options.cancel = &cancel;
                // Runs on the worker, between timed batches: only posts, and rarely.
                options.progress = [&, m](double fraction) {
                    const double overall =
                        (static_cast<double>(m) + fraction) / static_cast<double>(modes.size());
                    if (overall < 1.0 && overall - reported < kProgressStep)
                        return;
                    reported = overall;
                    postToOwner(this, [this, runId, overall, text] { onProgress(runId, overall, text); });
                };
                const EarlyExitRun run = runEarlyExit(model, *predictions, split, policy, options);
                result.modes.push_back(summariseRun(run, modes[m], data, simulatedExits, costs));
            }
            outcome.result = std::move(result);
        } catch (const CancelledError&) {
            outcome.cancelled = true;
        } catch (const std::exception& e) {
            outcome.error = QString::fromStdString(e.what());
        }
        return outcome;
    });
    Q_EMIT runningChanged(true);
    Q_EMIT progressed(0.0, tr("Loading and checking %1").arg(fileName(modelPath)));
}

void ModelRunController::cancel() {
    if (isRunning())
        m_runJob.cancel();
}

void ModelRunController::onProgress(int run, double fraction, const QString& text) {
    if (run == m_latestRun && isRunning())
        Q_EMIT progressed(fraction, text);
}

void ModelRunController::onRunEnded(const RunOutcome& outcome) {
    Q_EMIT runningChanged(false);
    // A cancel that came after the last batch still wins: the user asked to keep what was shown.
    if (outcome.cancelled || m_runJob.cancelRequested()) {
        Q_EMIT cancelled();
        return;
    }
    if (!outcome.result) {
        Q_EMIT failed(outcome.error);
        return;
    }
    m_result = outcome.result;
    m_checkedPath = QString::fromStdString(m_result->modelPath);
    m_lastCheck = m_result->check;
    m_checkedSplit = m_result->split;
    Q_EMIT finished();
}

} // namespace eenet
