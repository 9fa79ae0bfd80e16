#include "PolicyController.h"

#include "eval/CustomPolicy.h"
#include "session/Session.h"

#include <chrono>

namespace eenet {

PolicyController::PolicyController(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_job(this, [this](Result result) { onFinished(std::move(result)); }) {
    connect(m_session, &Session::predictionsLoaded, this, &PolicyController::onPredictionsLoaded);
    connect(m_session, &Session::probabilitiesChanged, this, &PolicyController::onPredictionsLoaded);
    connect(m_session, &Session::budgetRuleChanged, this, &PolicyController::onPredictionsLoaded);
    connect(m_session, &Session::budgetChanged, this, &PolicyController::request);
    connect(m_session, &Session::methodChanged, this, &PolicyController::request);
    // Custom thresholds that end are followed by methodChanged: only moves need a request of their own.
    connect(m_session, &Session::customPolicyChanged, this, [this] {
        if (m_session->customPolicy())
            request();
    });
    connect(m_session, &Session::schedulersChanged, this, &PolicyController::request);
}

void PolicyController::onPredictionsLoaded() {
    m_evaluator =
        std::make_shared<Evaluator>(m_session->predictions(), EENetOptions{}, m_session->budgetRule());
    ++m_generation; // a snapshot under the old rule is not shown
    request();
}

void PolicyController::request() {
    if (!m_session->hasPredictions() || applyCustomThresholds())
        return;
    m_stale = true;
    if (!m_job.isBusy())
        start();
}

bool PolicyController::applyCustomThresholds() {
    const auto& custom = m_session->customPolicy();
    const auto& shown = m_session->snapshot();
    if (!custom || !shown || !holdsScoresOf(*shown, *custom))
        return false;
    m_stale = false;
    ++m_generation;
    if (shown->isCustom() && shown->thresholds == custom->thresholds)
        return true; // already shown
    const auto begin = std::chrono::steady_clock::now();
    m_session->setSnapshot(
        std::make_shared<const PolicySnapshot>(customSnapshot(*shown, custom->thresholds)));
    Q_EMIT computed(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count());
    return true;
}

void PolicyController::start() {
    m_stale = false;
    auto evaluator = m_evaluator;
    const Method method = m_session->method();
    const auto custom = m_session->customPolicy();
    const double budget = m_session->budget();
    const auto schedulers = m_session->schedulers();
    m_job.start([evaluator, method, custom, budget, schedulers, generation = m_generation]() {
        Result result;
        result.predictions = evaluator->predictions();
        result.generation = generation;
        const auto begin = std::chrono::steady_clock::now();
        try {
            result.snapshot = std::make_shared<const PolicySnapshot>(
                custom ? computeCustomSnapshot(*evaluator, *custom, budget)
                       : computeSnapshot(*evaluator, method, budget, schedulers));
        } catch (const std::exception& e) {
            result.error = QString::fromStdString(e.what());
        }
        result.milliseconds =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count();
        return result;
    });
}

void PolicyController::onFinished(Result result) {
    if (result.predictions == m_session->predictions() && result.generation == m_generation) {
        if (result.error.isEmpty()) {
            m_session->setSnapshot(std::move(result.snapshot));
            Q_EMIT computed(result.milliseconds);
        } else {
            Q_EMIT failed(result.error);
        }
    }
    if (m_stale)
        start();
}

} // namespace eenet
