#include "CurveController.h"

#include "Error.h"
#include "session/Session.h"

#include <chrono>

namespace eenet {

CurveController::CurveController(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_job(this, [this](Result result) { onFinished(std::move(result)); }) {
    connect(m_session, &Session::predictionsLoaded, this, &CurveController::start);
    // Curves of probabilities shown before come back with them (Session::setCalibratedPredictions).
    connect(m_session, &Session::probabilitiesChanged, this, [this] {
        if (m_session->curves().empty())
            start();
    });
    connect(m_session, &Session::budgetRuleChanged, this, &CurveController::start);
}

void CurveController::start() {
    auto predictions = m_session->predictions();
    m_job.start([predictions, rule = m_session->budgetRule()](const std::atomic<bool>& cancel) {
        Result result{predictions, rule, {}, {}, 0};
        const auto begin = std::chrono::steady_clock::now();
        try {
            result.curves = sweepCurves(predictions, heuristicMethods(), kBudgetCount, rule, &cancel);
        } catch (const CancelledError&) {
            result.cancelled = true; // a newer sweep or the window's end: nobody waits for these curves
        } catch (const std::exception& e) {
            result.error = QString::fromStdString(e.what());
        }
        result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
        return result;
    });
}

void CurveController::onFinished(Result result) {
    if (result.cancelled)
        return;
    if (!result.error.isEmpty()) {
        if (result.predictions == m_session->predictions())
            Q_EMIT failed(result.error);
        return;
    }
    // Curves of a file loaded since, or fitted under another budget rule, are dropped; those of
    // probabilities switched away from are kept aside with them (the curves view overlays them).
    const BudgetRule& rule = m_session->budgetRule();
    if (result.rule.serving != rule.serving || result.rule.guarantee != rule.guarantee)
        return;
    if (m_session->setCurvesOf(result.predictions, std::move(result.curves)))
        Q_EMIT computed(result.seconds);
}

} // namespace eenet
