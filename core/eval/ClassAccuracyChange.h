#pragma once

#include "policy/ExitData.h"

#include <vector>

namespace eenet {

/// One class under an early-exit policy against running every sample to the last exit: who pays for the
/// savings. Early exit trades accuracy for cost on average, but the loss need not be shared evenly: the
/// classes an early exit confuses lose most, and a few classes may gain (overthinking).
struct ClassAccuracyChange {
    int cls = 0;
    /// The class's samples in the split.
    int samples = 0;
    /// Of those, right at the exit the policy sends them to, and right at the last exit.
    int rightUnderPolicy = 0;
    int rightAtLastExit = 0;

    double accuracyUnderPolicyPercent() const { return 100.0 * rightUnderPolicy / samples; }
    double accuracyAtLastExitPercent() const { return 100.0 * rightAtLastExit / samples; }
    /// Accuracy under the policy minus at the last exit, in percentage points: negative for a loss.
    double deltaPp() const { return 100.0 * (rightUnderPolicy - rightAtLastExit) / samples; }
};

/// Every class with samples in the split, the largest loss first (ties by class index). `exitOf` is a
/// policy's exit per sample (PolicyOutcome::exitOf). Throws ArgumentError when it does not give every
/// sample of `data` an exit in [0, K).
std::vector<ClassAccuracyChange> classAccuracyChanges(const ExitData& data, const std::vector<int>& exitOf);

} // namespace eenet
