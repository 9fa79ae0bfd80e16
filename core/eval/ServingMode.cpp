#include "eval/ServingMode.h"

#include <cctype>

namespace eenet {

std::string runModeName(RunMode mode) {
    switch (mode) {
    case RunMode::Sample:
        return "sample";
    case RunMode::Sync:
        return "sync";
    case RunMode::Compact:
        return "compact";
    }
    return "unknown";
}

std::optional<RunMode> parseRunMode(const std::string& name) {
    for (RunMode mode : {RunMode::Sample, RunMode::Sync, RunMode::Compact})
        if (runModeName(mode) == name)
            return mode;
    return std::nullopt;
}

std::string servingModeName(const ServingMode& serving) {
    if (serving.mode == RunMode::Sample)
        return "sample";
    return runModeName(serving.mode) + ":" + std::to_string(serving.batchSize);
}

std::optional<ServingMode> parseServingMode(const std::string& text) {
    if (text == "sample")
        return ServingMode{};
    const size_t colon = text.find(':');
    if (colon == std::string::npos)
        return std::nullopt;
    const std::optional<RunMode> mode = parseRunMode(text.substr(0, colon));
    const std::string digits = text.substr(colon + 1);
    if (!mode || *mode == RunMode::Sample || digits.empty() || digits.size() > 9)
        return std::nullopt;
    long long size = 0;
    for (char c : digits) {
        if (!std::isdigit(static_cast<unsigned char>(c)))
            return std::nullopt;
        size = size * 10 + (c - '0');
    }
    if (size < 1)
        return std::nullopt;
    // A batch of one is one sample at a time, whichever way the batch would have been run.
    if (size == 1)
        return ServingMode{};
    return ServingMode{*mode, static_cast<int>(size)};
}

} // namespace eenet
