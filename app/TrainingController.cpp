#include "TrainingController.h"

#include "Error.h"
#include "PostToOwner.h"
#include "eval/TrainedScheduler.h"
#include "session/Session.h"

#include <QThread>

#include <algorithm>
#include <optional>

namespace eenet {

TrainingController::TrainingController(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session) {
    connect(m_session, &Session::predictionsLoaded, this, &TrainingController::stopAndWait);
    // A fit of the probabilities no longer shown would land among the wrong schedulers.
    connect(m_session, &Session::probabilitiesChanged, this, &TrainingController::stopAndWait);
    connect(m_session, &Session::snapshotChanged, this, &TrainingController::showHistoryOfShownScheduler);
}

void TrainingController::showHistoryOfShownScheduler() {
    const auto& snapshot = m_session->snapshot();
    if (m_running || !snapshot || !snapshot->scheduler)
        return;
    const TrainedScheduler& shown = *snapshot->scheduler;
    const TrainingRun& run = m_session->trainingRun();
    if (run.budget == shown.budget && run.history.size() == shown.fit.history.size())
        return;
    m_session->setTrainingRun({shown.budget, shown.fit.history, false, false});
}

TrainingController::~TrainingController() {
    stopAndWait();
}

bool TrainingController::isKnown(double budget) const {
    const auto& schedulers = m_session->schedulers();
    return std::any_of(schedulers.begin(), schedulers.end(),
                       [&](const auto& s) { return s->budget == budget; }) ||
           std::find(m_unresolved.begin(), m_unresolved.end(), budget) != m_unresolved.end();
}

void TrainingController::onFitEnded(double budget) {
    m_unresolved.erase(std::remove(m_unresolved.begin(), m_unresolved.end(), budget), m_unresolved.end());
}

void TrainingController::train(const std::vector<double>& budgets) {
    std::vector<Job> jobs;
    for (double budget : budgets)
        jobs.push_back({budget, m_options, nullptr});
    enqueue(jobs);
}

void TrainingController::enqueue(const std::vector<Job>& jobs) {
    if (!m_session->hasPredictions())
        return;
    int added = 0;
    for (const Job& job : jobs) {
        if (isKnown(job.budget))
            continue;
        m_unresolved.push_back(job.budget);
        const std::lock_guard lock(m_mutex);
        m_queue.push_back(job);
        ++added;
    }
    if (added == 0)
        return;
    m_runTotal += added;
    if (m_running)
        return;
    if (m_thread) {
        // The previous worker has emptied the queue and is on its way out.
        m_thread->wait();
        delete m_thread;
    }
    m_cancel = false;
    m_running = true;
    m_clock.start();
    m_thread = QThread::create(&TrainingController::workerLoop, this, m_session->predictions(), m_generation);
    m_thread->setObjectName(QStringLiteral("EENet training"));
    m_thread->start(QThread::LowPriority);
    Q_EMIT runningChanged(true);
}

void TrainingController::trainCurve(int budgetCount) {
    if (!m_session->hasPredictions())
        return;
    auto curve = std::make_shared<EENetTrainer>(m_session->predictions(), m_options);
    // Schedulers trained before (a single Train, a restored session) are starts too.
    for (const auto& scheduler : m_session->schedulers())
        curve->addFitted(scheduler->fit.scheduler);
    std::vector<Job> jobs;
    for (double budget : Evaluator(m_session->predictions()).sweepBudgets(budgetCount))
        jobs.push_back({budget, m_options, curve});
    enqueue(jobs);
}

void TrainingController::cancel() {
    {
        const std::lock_guard lock(m_mutex);
        m_queue.clear();
    }
    m_cancel = true;
    // The fit in flight ends cancelled; if it finished just before, its posted result still arrives.
    m_unresolved.clear();
}

void TrainingController::stopAndWait() {
    cancel();
    if (!m_thread)
        return;
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    ++m_generation;
    const bool wasRunning = m_running;
    resetRunState();
    if (wasRunning) {
        Q_EMIT runningChanged(false);
        Q_EMIT cancelled();
    }
}

template <typename Call> void TrainingController::postFromWorker(int generation, Call call) {
    // Dropped if `this` is destroyed first; the destructor joins the worker anyway.
    postToOwner(this, [this, generation, call = std::move(call)] {
        if (generation == m_generation)
            call();
    });
}

void TrainingController::resetRunState() {
    m_running = false;
    m_runTotal = 0;
    m_runDone = 0;
    // Both callers come here after a cancel (stopAndWait cancels first) or when the worker ran out of work.
    if (m_session->trainingRun().running)
        m_session->finishTrainingRun(m_cancel);
}

void TrainingController::workerLoop(std::shared_ptr<const Predictions> predictions, int generation) {
    Evaluator evaluator(predictions);
    for (;;) {
        std::optional<Job> job;
        {
            const std::lock_guard lock(m_mutex);
            if (m_queue.empty() || m_cancel)
                break;
            job = std::move(m_queue.front());
            m_queue.pop_front();
        }
        const double budget = job->budget;
        postFromWorker(generation, [this, budget] { onFitStarted(budget); });
        try {
            const auto report = [this, generation](const TrainingProgress& p) {
                postFromWorker(generation, [this, p] { onProgress(p); });
            };
            EENetFit fit = job->curve ? job->curve->fit(budget, report, &m_cancel)
                                      : trainEENet(*predictions, budget, job->options, report, &m_cancel);
            auto scheduler =
                std::make_shared<const TrainedScheduler>(describeFit(evaluator, budget, std::move(fit)));
            postFromWorker(generation, [this, predictions, scheduler] {
                ++m_runDone;
                onFitEnded(scheduler->budget);
                if (predictions != m_session->predictions())
                    return;
                m_session->addScheduler(scheduler);
                Q_EMIT trained(scheduler->budget, scheduler->fit.trainSeconds);
            });
        } catch (const CancelledError&) {
            break;
        } catch (const std::exception& e) {
            const QString message = QString::fromStdString(e.what());
            postFromWorker(generation, [this, budget, message] {
                onFitEnded(budget);
                Q_EMIT failed(message);
            });
            break;
        }
    }
    postFromWorker(generation, [this] { onWorkerFinished(); });
}

void TrainingController::onFitStarted(double budget) {
    m_currentBudget = budget;
    m_session->startTrainingRun(budget);
    Q_EMIT progressed(
        static_cast<double>(m_runDone) / std::max(1, m_runTotal), -1,
        tr("Training EENet at %1 (%2 of %3)").arg(budget, 0, 'g', 5).arg(m_runDone + 1).arg(m_runTotal));
}

void TrainingController::onProgress(const TrainingProgress& progress) {
    m_session->appendTrainingProgress(progress);
    const double within =
        progress.totalSteps > 0 ? static_cast<double>(progress.step) / progress.totalSteps : 0;
    const double fraction = (m_runDone + within) / std::max(1, m_runTotal);
    const double elapsed = m_clock.elapsed() / 1000.0;
    const double secondsLeft = fraction > 0.02 ? elapsed * (1 - fraction) / fraction : -1;
    Q_EMIT progressed(fraction, secondsLeft,
                      tr("Training EENet at %1 (%2 of %3)")
                          .arg(m_currentBudget, 0, 'g', 5)
                          .arg(m_runDone + 1)
                          .arg(m_runTotal));
}

void TrainingController::onWorkerFinished() {
    const bool wasCancelled = m_cancel;
    resetRunState();
    // cancel() empties the queue, so budgets found here were queued after the worker's last look at it (a
    // failure also ends the worker early). They are queued again, with their own options, for a new worker.
    std::vector<Job> pending;
    {
        const std::lock_guard lock(m_mutex);
        pending.assign(m_queue.begin(), m_queue.end());
        m_queue.clear();
    }
    Q_EMIT runningChanged(false);
    if (wasCancelled)
        Q_EMIT cancelled();
    for (const Job& job : pending)
        onFitEnded(job.budget);
    if (!pending.empty())
        enqueue(pending);
}

} // namespace eenet
