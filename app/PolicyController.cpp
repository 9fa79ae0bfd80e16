#include "PolicyController.h"

#include "session/Session.h"

#include <QtConcurrent/QtConcurrentRun>

#include <chrono>

namespace eenet {

PolicyController::PolicyController(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session) {
    m_pool.setMaxThreadCount(1);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &PolicyController::onFinished);
    connect(m_session, &Session::predictionsLoaded, this, &PolicyController::onPredictionsLoaded);
    connect(m_session, &Session::budgetChanged, this, &PolicyController::request);
    connect(m_session, &Session::methodChanged, this, &PolicyController::request);
    connect(m_session, &Session::schedulersChanged, this, &PolicyController::request);
}

PolicyController::~PolicyController() {
    m_watcher.disconnect(this);
    m_pool.waitForDone();
}

void PolicyController::onPredictionsLoaded() {
    m_evaluator = std::make_shared<Evaluator>(m_session->predictions());
    request();
}

void PolicyController::request() {
    if (!m_session->hasPredictions())
        return;
    m_stale = true;
    if (!m_watcher.isRunning())
        start();
}

void PolicyController::start() {
    m_stale = false;
    auto evaluator = m_evaluator;
    const Method method = m_session->method();
    const double budget = m_session->budget();
    const auto schedulers = m_session->schedulers();
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [evaluator, method, budget, schedulers]() {
        Result result;
        result.predictions = evaluator->predictions();
        const auto begin = std::chrono::steady_clock::now();
        try {
            result.snapshot = std::make_shared<const PolicySnapshot>(
                computeSnapshot(*evaluator, method, budget, schedulers));
        } catch (const std::exception& e) {
            result.error = QString::fromStdString(e.what());
        }
        result.milliseconds =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count();
        return result;
    }));
}

void PolicyController::onFinished() {
    if (m_watcher.future().resultCount() > 0) {
        Result result = m_watcher.result();
        if (result.predictions == m_session->predictions()) {
            if (result.error.isEmpty()) {
                m_session->setSnapshot(std::move(result.snapshot));
                Q_EMIT computed(result.milliseconds);
            } else {
                Q_EMIT failed(result.error);
            }
        }
    }
    if (m_stale)
        start();
}

} // namespace eenet
