#pragma once

#include "eval/PolicySnapshot.h"

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>

#include <memory>

namespace eenet {

class Session;

/// Keeps the session's policy snapshot (the chosen method at the current budget) up to date off the GUI
/// thread. While one computation runs, further changes (a dragged slider) only mark it stale; one more
/// computation with the latest state follows, so work never piles up and the last state always wins.
class PolicyController : public QObject {
    Q_OBJECT
public:
    explicit PolicyController(Session* session, QObject* parent = nullptr);
    ~PolicyController() override;

    bool isBusy() const { return m_watcher.isRunning() || m_stale; }

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
    };
    void onPredictionsLoaded();
    void request();
    void start();
    void onFinished();

    Session* m_session;
    /// Used by one computation at a time (one pool thread, a new start only after the previous finished).
    std::shared_ptr<Evaluator> m_evaluator;
    QThreadPool m_pool;
    QFutureWatcher<Result> m_watcher;
    bool m_stale = false;
};

} // namespace eenet
