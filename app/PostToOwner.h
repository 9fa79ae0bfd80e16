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
#endif

namespace eenet {

/// Runs `call` on `owner`'s thread, queued, from a worker thread: how every result leaves a worker. What the
/// worker did before posting happens before `call` runs, because Qt's event queue orders the two. Debian's
/// Qt is not built for ThreadSanitizer, so TSan cannot see that ordering (its mutex is a bare futex); under
/// TSan the handover is therefore annotated on `owner`'s address, and TSan checks everything else for real.
/// `call` must own what it reads (captured by value). Dropped if `owner` is destroyed first.
template <typename Call> void postToOwner(QObject* owner, Call call) {
#ifdef EENET_TSAN
    __tsan_release(owner);
#endif
    QMetaObject::invokeMethod(
        owner,
        [owner, call = std::move(call)]() mutable {
#ifdef EENET_TSAN
            __tsan_acquire(owner);
#endif
            (void)owner;
            call();
        },
        Qt::QueuedConnection);
}

} // namespace eenet
