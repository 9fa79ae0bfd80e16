#pragma once

#include "policy/EENetTrainer.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

class QThread;

namespace eenet {

class Session;

/// Trains EENet schedulers in a worker thread, one queued budget after another, and adds each to the
/// session as soon as it is fitted (so a "Train curve" sweep fills in point by point). Reports progress
/// with an ETA; cancel stops the current fit within one training step. Loading another file or
/// destroying the controller cancels and joins the worker: nothing outlives the data it trains on. While
/// idle, the session's training run is the history of the scheduler the views use.
class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(Session* session, QObject* parent = nullptr);
    ~TrainingController() override;

    /// Queues the budgets that are neither trained nor queued yet and starts the worker if idle.
    void train(const std::vector<double>& budgets);
    /// Queues the sweep budgets the heuristic curves use. Their fits share one EENetTrainer: each starts
    /// from the nearest scheduler fitted before, the session's included (docs/method.md 6.7).
    void trainCurve(int budgetCount);
    /// Stops the current fit and drops the queue; returns at once.
    void cancel();
    /// cancel() and wait for the worker to end.
    void stopAndWait();
    bool isRunning() const { return m_running; }

    /// Options for the budgets queued from now on; budgets already queued keep theirs.
    void setOptions(const EENetOptions& options) { m_options = options; }
    const EENetOptions& options() const { return m_options; }

Q_SIGNALS:
    void runningChanged(bool running);
    /// `fraction` of the queued work done, estimated seconds left (negative when unknown), e.g.
    /// "Training EENet at 0.1454 ms (2 of 20)".
    void progressed(double fraction, double secondsLeft, const QString& text);
    void trained(double budget, double seconds);
    void cancelled();
    void failed(const QString& message);

private:
    /// A queued fit: the worker reads only its own copy of the options.
    struct Job {
        double budget;
        EENetOptions options;
        /// Set for the budgets of a curve: they share one trainer, so each fit starts from the nearest one
        /// fitted before (docs/method.md 6.7). Created on the GUI thread, then used by the worker only.
        std::shared_ptr<EENetTrainer> curve;
    };
    void enqueue(const std::vector<Job>& jobs);
    void workerLoop(std::shared_ptr<const Predictions> predictions, int generation);
    /// Runs `call` on the GUI thread unless the worker that posted it was stopped meanwhile.
    template <typename Call> void postFromWorker(int generation, Call call);
    void onFitStarted(double budget);
    void onProgress(const TrainingProgress& progress);
    void onFitEnded(double budget);
    void onWorkerFinished();
    void resetRunState();
    void showHistoryOfShownScheduler();
    bool isKnown(double budget) const;

    Session* m_session;
    EENetOptions m_options;
    QThread* m_thread = nullptr;
    std::atomic<bool> m_cancel{false};
    /// Guards m_queue between the GUI thread and the worker.
    mutable std::mutex m_mutex;
    std::deque<Job> m_queue;
    /// GUI thread only: budgets from the moment they are queued until their scheduler reached the session
    /// or they were dropped (cancel, failure). The worker pops a budget long before the GUI thread hears
    /// of it, so the queue alone cannot say what is in flight.
    std::vector<double> m_unresolved;
    bool m_running = false;
    /// Bumped by stopAndWait(): calls a stopped worker posted are dropped.
    int m_generation = 0;
    // Progress bookkeeping, GUI thread only.
    int m_runTotal = 0;
    int m_runDone = 0;
    double m_currentBudget = 0;
    QElapsedTimer m_clock;
};

} // namespace eenet
