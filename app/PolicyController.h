#pragma once

#include "LatestJob.h"
#include "eval/PolicySnapshot.h"

#include <QObject>

#include <memory>

namespace eenet {

class Session;

/// Keeps the session's policy snapshot (the chosen method at the current budget) up to date off the GUI
/// thread. While one computation runs, further changes (a dragged slider) only mark it stale; one more
/// computation with the latest state follows, so work never piles up and the last state always wins.
///
/// Custom thresholds moved on the scores the shown snapshot already holds (a dragged threshold line) are
/// applied at once on the GUI thread: customSnapshot is O(N K), 0.09 ms at N = 10,000 (docs/method.md
/// section 7), so every view follows the drag with no round trip through the pool.
class PolicyController : public QObject {
    Q_OBJECT
public:
    explicit PolicyController(Session* session, QObject* parent = nullptr);

    /// True until the snapshot of the latest state has reached the session.
    bool isBusy() const { return m_job.isBusy() || m_stale; }

Q_SIGNALS:
    /// A snapshot reached the session; `milliseconds` is its computation time.
    void computed(double milliseconds);
    void failed(const QString& message);

private:
    struct Result {
        std::shared_ptr<const PolicySnapshot> snapshot;
        std::shared_ptr<const Predictions> predictions;
        QString error;
        double milliseconds = 0;
        /// m_generation when the computation started.
        int generation = 0;
    };
    void onPredictionsLoaded();
    void request();
    /// Applies the session's custom thresholds to the shown snapshot's scores, when it holds them; false when
    /// a computation is needed (no custom policy, or its scores are not computed yet).
    bool applyCustomThresholds();
    void start();
    void onFinished(Result result);

    Session* m_session;
    /// Used by one computation at a time (a new start only after the previous result was delivered).
    std::shared_ptr<Evaluator> m_evaluator;
    bool m_stale = false;
    /// Raised whenever a snapshot is made on the GUI thread: the result of a computation started before is
    /// older than what the session shows, and is dropped.
    int m_generation = 0;
    LatestJob<Result> m_job;
};

} // namespace eenet
