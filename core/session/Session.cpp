#include "session/Session.h"

#include <algorithm>
#include <cmath>

namespace eenet {

Session::Session(QObject* parent)
    : QObject(parent) {}

void Session::setPredictions(std::shared_ptr<const Predictions> predictions) {
    if (predictions == m_predictions || !predictions)
        return;
    m_predictions = std::move(predictions);
    m_summary = summarize(*m_predictions);
    m_curves.clear();
    m_budget = 0.5 * (minBudget() + maxBudget());
    Q_EMIT predictionsLoaded();
    Q_EMIT curvesChanged();
    Q_EMIT budgetChanged(m_budget);
}

double Session::minBudget() const {
    return m_predictions ? m_predictions->costs.front() : 0.0;
}

double Session::maxBudget() const {
    return m_predictions ? m_predictions->costs.back() : 0.0;
}

void Session::setBudget(double budget) {
    if (!m_predictions || !std::isfinite(budget))
        return;
    budget = std::clamp(budget, minBudget(), maxBudget());
    if (budget == m_budget)
        return;
    m_budget = budget;
    Q_EMIT budgetChanged(m_budget);
}

void Session::setCurves(std::vector<Curve> curves) {
    m_curves = std::move(curves);
    Q_EMIT curvesChanged();
}

} // namespace eenet
