// libFuzzer target: readSchedulerFile over arbitrary bytes. Every input must either load or throw one of
// core's errors; a loaded scheduler must be one a deployment can run.
#include "Error.h"
#include "FuzzInput.h"
#include "io/SchedulerFile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = eenet::fuzz::writeInput(data, size);
    try {
        const eenet::SchedulerFile file = eenet::readSchedulerFile(path);
        const auto& s = file.scheduler;
        if (s.numExits < 2 || s.thresholds.size() != static_cast<size_t>(s.numExits) ||
            file.costs.size() != static_cast<size_t>(s.numExits))
            __builtin_trap();
        // What a deployment does next with a loaded file.
        (void)file.deployedPolicy();
        (void)file.toJson();
    } catch (const eenet::Error&) {
    }
    return 0;
}
