#pragma once

#include <optional>
#include <string>

namespace eenet {

/// How a batch meets its exits (docs/deploy.md, "Real early exit"; docs/method.md, "Serving").
enum class RunMode {
    Sample,  ///< one sample at a time
    Sync,    ///< the whole batch runs every stage until its deepest sample has left
    Compact, ///< samples that leave drop out of the batch; each stage runs on those left
};

/// "sample", "sync", "compact".
std::string runModeName(RunMode mode);
std::optional<RunMode> parseRunMode(const std::string& name);

/// A serving mode and its batch size: what a deployment's cost per sample depends on besides the policy.
struct ServingMode {
    RunMode mode = RunMode::Sample;
    /// Samples per batch; always 1 for RunMode::Sample.
    int batchSize = 1;

    bool operator==(const ServingMode& other) const {
        return mode == other.mode && batchSize == other.batchSize;
    }
    bool operator!=(const ServingMode& other) const { return !(*this == other); }
};

/// "sample", "sync:32", "compact:32".
std::string servingModeName(const ServingMode& serving);
/// Parses "sample", "sync:B" or "compact:B" (B >= 1; "sync:1" and "compact:1" are "sample");
/// std::nullopt for anything else.
std::optional<ServingMode> parseServingMode(const std::string& text);

} // namespace eenet
