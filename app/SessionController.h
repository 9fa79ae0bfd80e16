#pragma once

#include "LatestJob.h"
#include "eval/TrainedScheduler.h"
#include "io/SessionFile.h"

#include <QObject>

#include <optional>

class QMainWindow;

namespace eenet {

class Session;
class LoadController;

/// Saves the studio's session (input file and its hash, budget, method and custom thresholds, split, trained
/// EENet schedulers, window layout) and reopens it: loads the input in the background, warns when its
/// contents changed since, then restores what was shown and the schedulers without retraining them.
class SessionController : public QObject {
    Q_OBJECT
public:
    SessionController(Session* session, LoadController* loader, QMainWindow* window,
                      QObject* parent = nullptr);

    /// Writes the session (atomically) off the GUI thread: hashing a large input takes seconds. Emits saved()
    /// or failed().
    void save(const QString& path);
    /// Writes the session to `path` for crash recovery: as save(), but it does not count as saved (no saved()
    /// signal) and skips the input's hash (hashing a large input on every autosave would cost seconds). A
    /// failure only warns: recovery is best effort and must never interrupt the user.
    void writeRecovery(const QString& path);
    /// Reads the session and starts loading its input; restored() follows once everything is back.
    void open(const QString& path);
    /// Continues a restore whose input could not be opened (inputMissing) with the input at `inputPath`.
    void locateInput(const QString& inputPath);
    /// Gives up a restore waiting for its input to be located.
    void abandonRestore();
    bool isRestoring() const { return m_pending.has_value() || m_restoreJob.isBusy(); }

Q_SIGNALS:
    void saved(const QString& path);
    /// `warning` is empty unless the input changed since the session was saved.
    void restored(const QString& path, const QString& warning);
    void failed(const QString& path, const QString& message);
    /// The session's input file cannot be opened (moved, deleted, unreadable): the restore waits for
    /// locateInput() or abandonRestore(). `message` is the reader's.
    void inputMissing(const QString& sessionPath, const QString& inputPath, const QString& message);

private:
    struct Restored {
        std::shared_ptr<const Predictions> predictions;
        /// The loaded predictions in the saved cost model; nullptr when it is the file's own costs.
        std::shared_ptr<const Predictions> costModelPredictions;
        /// The saved budget rule and budget, set once the cost model is (they are in its unit).
        BudgetRule rule;
        double budget = 0;
        std::vector<std::shared_ptr<const TrainedScheduler>> schedulers;
        /// Made when the session was calibrated or kept schedulers trained on calibrated probabilities.
        std::shared_ptr<const Predictions> calibratedPredictions;
        std::vector<std::shared_ptr<const TrainedScheduler>> calibratedSchedulers;
        bool calibrated = false;
        std::optional<SavedCustomPolicy> custom;
        bool inputChanged = false;
        QString error;
    };
    void onPredictionsLoaded();
    /// What the window shows, read on the GUI thread (the input's hash is left to the writer).
    SessionState shownState() const;
    void onRestored(const Restored& result);
    /// Shows the saved custom thresholds on the scores of their base (of `schedulers` for a learned base).
    void restoreCustomPolicy(const SavedCustomPolicy& saved,
                             const std::vector<std::shared_ptr<const TrainedScheduler>>& schedulers);
    void onSaved(const QString& error);

    Session* m_session;
    LoadController* m_loader;
    QMainWindow* m_window;
    std::optional<SessionState> m_pending;
    QString m_pendingPath;
    QString m_savePath;
    LatestJob<Restored> m_restoreJob;
    /// Saving: the error, empty on success.
    LatestJob<QString> m_saveJob;
    LatestJob<QString> m_recoveryJob;
};

} // namespace eenet
