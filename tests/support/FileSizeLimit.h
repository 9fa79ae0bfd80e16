#pragma once

#include <csignal>
#include <sys/resource.h>

namespace eenet::test {

/// Lowers the largest file this process may write, so that every write beyond `bytes` fails (EFBIG), also for
/// root, whom permissions do not stop. Raises it back and restores SIGXFSZ on scope exit, so no later code
/// (QtTest's logger writing to a file included) runs under the lowered limit, whatever path the test takes.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        getrlimit(RLIMIT_FSIZE, &m_saved);
        // Without this the kernel kills the process with SIGXFSZ instead of failing the write with EFBIG.
        m_savedHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit lowered = m_saved;
        lowered.rlim_cur = bytes;
        m_active = setrlimit(RLIMIT_FSIZE, &lowered) == 0;
    }
    ~FileSizeLimit() {
        setrlimit(RLIMIT_FSIZE, &m_saved);
        std::signal(SIGXFSZ, m_savedHandler);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

    /// False when the limit could not be lowered (then writes are not limited at all).
    bool active() const { return m_active; }

private:
    rlimit m_saved{};
    void (*m_savedHandler)(int) = SIG_DFL;
    bool m_active = false;
};

} // namespace eenet::test
