#pragma once

#include "LatestJob.h"
#include "eval/CurveSweep.h"

#include <QObject>

namespace eenet {

class Session;

/// Computes the session's accuracy-budget curves off the GUI thread whenever a file is loaded or the budget
/// rule changes. The latest wins: a sweep overtaken by a newer one (or by closing the window) stops at its
/// next point, and curves of a file that was replaced meanwhile are dropped.
class CurveController : public QObject {
    Q_OBJECT
public:
    static constexpr int kBudgetCount = 20;

    explicit CurveController(Session* session, QObject* parent = nullptr);

Q_SIGNALS:
    void computed(double seconds);
    void failed(const QString& message);

private:
    struct Result {
        std::shared_ptr<const Predictions> predictions;
        /// The rule the curves were fitted under.
        BudgetRule rule;
        std::vector<Curve> curves;
        QString error;
        double seconds = 0;
        bool cancelled = false;
    };
    void start();
    void onFinished(Result result);

    Session* m_session;
    LatestJob<Result> m_job;
};

} // namespace eenet
