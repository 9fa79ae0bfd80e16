// libFuzzer target: readSessionFile over arbitrary bytes. Every input must either load or throw one of
// core's errors.
#include "Error.h"
#include "FuzzInput.h"
#include "io/SessionFile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = eenet::fuzz::writeInput(data, size);
    try {
        const eenet::SessionState state = eenet::readSessionFile(path);
        for (const eenet::SavedFit& saved : state.fits)
            if (saved.fit.exitDistribution.size() != static_cast<size_t>(saved.fit.scheduler.numExits))
                __builtin_trap();
        // Custom thresholds load exactly with method "custom", one per exit, within the reader's limit.
        if (state.custom.has_value() != (state.method == "custom") ||
            (state.custom && (state.custom->thresholds.size() < 2 || state.custom->thresholds.size() > 4096)))
            __builtin_trap();
    } catch (const eenet::Error&) {
    }
    return 0;
}
