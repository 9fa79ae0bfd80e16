#include "FuzzInput.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace eenet::fuzz {
namespace {

std::string scratchPath() {
    const std::filesystem::path dir = std::filesystem::is_directory("/dev/shm")
                                          ? std::filesystem::path("/dev/shm")
                                          : std::filesystem::temp_directory_path();
    return (dir / ("eenet-fuzz-" + std::to_string(getpid()))).string();
}

void removeScratch();

// A crashing input ends the process before atexit runs, so each new process first removes the scratch files
// of processes that no longer exist.
void removeStaleScratch(const std::filesystem::path& dir) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
        const std::string name = entry.path().filename().string();
        const std::string prefix = "eenet-fuzz-";
        if (name.compare(0, prefix.size(), prefix) != 0)
            continue;
        const pid_t pid = static_cast<pid_t>(std::atol(name.c_str() + prefix.size()));
        if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH)
            std::filesystem::remove(entry.path(), error);
    }
}

const std::string& path() {
    static const std::string p = [] {
        const std::string scratch = scratchPath();
        removeStaleScratch(std::filesystem::path(scratch).parent_path());
        std::atexit(removeScratch);
        return scratch;
    }();
    return p;
}

void removeScratch() {
    std::remove(path().c_str());
}

} // namespace

const std::string& writeInput(const std::uint8_t* data, std::size_t size) {
    const std::string& file = path();
    std::FILE* out = std::fopen(file.c_str(), "wb");
    if (!out || (size > 0 && std::fwrite(data, 1, size, out) != size) || std::fclose(out) != 0) {
        std::perror(file.c_str());
        std::abort();
    }
    return file;
}

} // namespace eenet::fuzz
