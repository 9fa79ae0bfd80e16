#pragma once

#include "eval/PolicySnapshot.h"

#include <memory>
#include <vector>

namespace eenet {

/// Thresholds set by hand in the studio (docs/method.md section 7): the user's T_k applied to the scores of
/// the method shown when the first threshold was moved, its `base`. The scores stay the base's: max softmax
/// for maxprob and maxprob-opt, entropy confidence for entropy and entropy-opt, and so on, and the learned q̂
/// of one trained scheduler for eenet and eenet-opt. Nothing is fitted and the budget plays no part.
struct CustomPolicy {
    /// The method whose scores the thresholds apply to; base.acceptsCustomThresholds() holds.
    Method base;
    /// The EENet scheduler whose learned scores are used when `base` is learned; nullptr for the heuristics.
    std::shared_ptr<const TrainedScheduler> scheduler;
    /// T_k for every exit; T_K = -inf (the last exit takes everyone left).
    std::vector<double> thresholds;

    /// Same base, same scheduler (by identity) and the same thresholds.
    bool operator==(const CustomPolicy& other) const;
};

/// Whether `snapshot` (fitted or custom) holds the scores `policy` applies to: customSnapshot can then make
/// the policy's snapshot from it without computing any score.
bool holdsScoresOf(const PolicySnapshot& snapshot, const CustomPolicy& policy);

/// The snapshot of `thresholds` on the scores of `fitted` (a snapshot of the custom policy's base with its
/// scheduler, or another custom snapshot on them): method "custom", the same scores and exit data, every
/// sample's exit and the figures re-evaluated. O(N K) per split, cheap enough for every step of a drag.
/// Throws ArgumentError when `fitted` has no scores or `thresholds` has not one entry per exit.
PolicySnapshot customSnapshot(const PolicySnapshot& fitted, std::vector<double> thresholds);

/// The custom policy's snapshot from nothing: its base fitted at `budget` for the scores, then
/// customSnapshot.
PolicySnapshot computeCustomSnapshot(Evaluator& evaluator, const CustomPolicy& policy, double budget);

} // namespace eenet
