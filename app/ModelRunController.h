#pragma once

#include "LatestJob.h"
#include "eval/ServingMode.h"
#include "eval/Split.h"
#include "runtime/ModelRunFigures.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace eenet {

class Session;

/// Runs the attached multi-exit model (docs/deploy.md, "The model") with real early exit in the background:
/// the policy the studio shows becomes a DeployedPolicy as an export makes it (schedulerFileFor), and
/// runEarlyExit runs it on the split's stored inputs in each serving mode, timed against the full model.
/// One run at a time; cancel() stops it within one batch and leaves the last complete result as it was.
/// A model whose exits or outputs do not match the file is a failed() naming the model, never a crash.
///
/// Threads: the worker owns the model it loads, shared pointers to the immutable predictions and snapshot,
/// and a copy of the policy; it only posts back to this object. Signals are emitted on the GUI thread.
class ModelRunController : public QObject {
    Q_OBJECT
public:
    /// Samples compared with the file before a model is attached or run, and the tolerance: enough to catch
    /// another model or another preprocessing, cheap next to a run (as `eenet-cli run`).
    static constexpr int kCheckedSamples = 16;
    static constexpr double kCheckTolerance = 1e-4;

    explicit ModelRunController(Session* session, QObject* parent = nullptr);

    /// Loads `path` and checks it against the loaded file in the background; on success the session
    /// remembers it (Session::setModelPath) and modelAttached() follows, else modelRejected().
    void attachModel(const QString& path);
    /// Runs the session's model with the policy shown, on the shown split's first `sampleCount` samples
    /// (0: all), once per mode in `modes`. Does nothing while a run is going or when there is no model,
    /// no file or no deployable policy (failed() says why).
    void run(const std::vector<ServingMode>& modes, int sampleCount = 0);
    /// Stops the run at its next batch; it ends with cancelled(). Does nothing when none runs.
    void cancel();
    bool isRunning() const { return m_runJob.isBusy(); }
    bool isChecking() const { return m_checkJob.isBusy(); }

    /// The last complete run; std::nullopt before one, and after another file was loaded.
    const std::optional<ModelRun>& result() const { return m_result; }
    /// The model path that passed the check, and what the check found (for the view's caption).
    const QString& checkedPath() const { return m_checkedPath; }
    const ModelCheck& lastCheck() const { return m_lastCheck; }
    /// lastCheck() in words ("outputs match the file on 16 test samples (largest difference 2.4e-07)");
    /// empty before a check.
    QString checkSummary() const;

    /// The default modes: one sample at a time, and batches of 32 compacted and synchronous.
    static std::vector<ServingMode> defaultModes(int batchSize = 32);

Q_SIGNALS:
    void modelAttached(const QString& path, const QString& summary);
    void modelRejected(const QString& path, const QString& message);
    void runningChanged(bool running);
    /// The running job's progress over all its modes, 0 to 1, and what runs, e.g. "compact:32 (2 of 3)".
    void progressed(double fraction, const QString& text);
    void finished();
    void cancelled();
    /// The run could not be made: no policy, the model missing or not matching the file, a model error.
    void failed(const QString& message);

private:
    struct CheckResult {
        QString path;
        std::shared_ptr<const Predictions> predictions;
        Split split = Split::Test;
        ModelCheck check;
        QString error;
    };
    struct RunOutcome {
        std::optional<ModelRun> result;
        QString error;
        bool cancelled = false;
    };
    void onChecked(const CheckResult& result);
    void onRunEnded(const RunOutcome& outcome);
    void onProgress(int run, double fraction, const QString& text);
    void forgetFile();

    Session* m_session;
    std::optional<ModelRun> m_result;
    QString m_checkedPath;
    ModelCheck m_lastCheck;
    Split m_checkedSplit = Split::Test;
    /// GUI thread only: the latest run (progress of older ones is dropped).
    int m_latestRun = 0;
    LatestJob<CheckResult> m_checkJob;
    /// Declared last: destroyed first, so its destructor stops a running job (its cancel flag: within one
    /// batch) and waits for it while the rest is alive.
    LatestJob<RunOutcome> m_runJob;
};

} // namespace eenet
