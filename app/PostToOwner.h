#pragma once

#include <QMetaObject>
#include <QObject>

#include <utility>

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define EENET_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define EENET_TSAN 1
#endif
#ifdef EENET_TSAN
extern "C" void __tsan_acquire(void* address);
extern "C" void __tsan_release(void* address);
extern "C" void __tsan_ignore_thread_begin();
extern "C" void __tsan_ignore_thread_end();
#endif

namespace eenet {

/// Hands `task` over to another thread through Qt (`post` queues it: an event, a thread-pool job) so that
/// what this thread did before happens before `task` runs there, for ThreadSanitizer too. Qt's queues are
/// not instrumented (their mutex is a bare futex), so under TSan the handover is annotated: a release here,
/// an acquire before `task` reads anything, and the copy of `task` into Qt's queue (made after the release)
/// left out of TSan's record. Outside TSan this is post(task).
template <typename Task, typename Post> void handOver(Task task, Post post) {
#ifdef EENET_TSAN
    static char token;
    __tsan_release(&token);
    __tsan_ignore_thread_begin();
    post([task = std::move(task)]() mutable {
        __tsan_acquire(&token);
        task();
    });
    __tsan_ignore_thread_end();
#else
    post(std::move(task));
#endif
}

/// Runs `call` on `owner`'s thread, queued, from a worker thread: how every result leaves a worker. What the
/// worker did before posting happens before `call` runs, because Qt's event queue orders the two (annotated
/// for TSan by handOver). `call` must own what it reads (captured by value). Dropped if `owner` is destroyed
/// first.
template <typename Call> void postToOwner(QObject* owner, Call call) {
    handOver(std::move(call),
             [owner](auto task) { QMetaObject::invokeMethod(owner, std::move(task), Qt::QueuedConnection); });
}

} // namespace eenet
