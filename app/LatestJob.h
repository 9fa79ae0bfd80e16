#pragma once

#include "PostToOwner.h"

#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace eenet {

/// One kind of background job of a controller (loading a file, computing curves or a snapshot, exporting,
/// saving), run on a private one-thread pool. The latest started job wins: starting one while another runs
/// makes only the new one's result count; the older one runs to its end (jobs run in order) and its result
/// is dropped. Results are delivered on the owner's thread.
///
/// A job whose work takes a `const std::atomic<bool>&` may stop early: that flag is raised when a newer job
/// starts or the LatestJob is destroyed, so a long computation nobody will see (a curve sweep under a rule
/// changed since) neither delays the next one nor holds up closing the window. Work without the parameter
/// (an export writing a file) always runs to its end.
///
/// Threads: a job runs in the pool, so it must own copies of what it reads, or shared pointers to immutable
/// data; it never touches its controller. The destructor waits for the running job; a result it posted
/// meanwhile is dropped with the owner.
template <typename Result> class LatestJob {
public:
    /// `deliver` runs on `owner`'s thread with the latest job's result.
    LatestJob(QObject* owner, std::function<void(Result)> deliver)
        : m_owner(owner)
        , m_deliver(std::move(deliver)) {
        m_pool.setMaxThreadCount(1);
    }
    ~LatestJob() {
        m_cancel->store(true);
        m_pool.waitForDone();
    }
    LatestJob(const LatestJob&) = delete;
    LatestJob& operator=(const LatestJob&) = delete;

    /// `work` returns a Result and must not throw; it is called with the job's cancel flag when it takes one.
    template <typename Work> void start(Work work) {
        const int ticket = ++m_latestTicket;
        m_busy = true;
        m_cancel->store(true); // the job before, if it still runs, is overtaken
        m_cancel = std::make_shared<std::atomic<bool>>(false);
        QObject* owner = m_owner;
        handOver(
            [this, owner, ticket, cancel = m_cancel, work = std::move(work)]() mutable {
                postToOwner(owner, [this, ticket, result = run(work, *cancel)]() mutable {
                    finish(ticket, std::move(result));
                });
            },
            [this](auto task) { m_pool.start(std::move(task)); });
    }
    /// True from start() until the latest job's result has been delivered.
    bool isBusy() const { return m_busy; }
    /// Raises the latest job's cancel flag, as a newer start would; its result is still delivered.
    void cancel() { m_cancel->store(true); }
    /// Whether the latest job's flag was raised (a cancel after its last check still counts).
    bool cancelRequested() const { return m_cancel->load(); }

private:
    template <typename Work> static Result run(Work& work, const std::atomic<bool>& cancel) {
        if constexpr (std::is_invocable_v<Work&, const std::atomic<bool>&>)
            return work(cancel);
        else
            return work();
    }
    void finish(int ticket, Result result) {
        if (ticket != m_latestTicket)
            return;     // overtaken by a newer job
        m_busy = false; // before delivering: the delivery may start the next job
        m_deliver(std::move(result));
    }

    QObject* m_owner;
    std::function<void(Result)> m_deliver;
    /// GUI thread only: the ticket of the latest job started.
    int m_latestTicket = 0;
    bool m_busy = false;
    /// The latest job's cancel flag (shared with it: the job may outlive a newer start).
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
    QThreadPool m_pool;
};

} // namespace eenet
