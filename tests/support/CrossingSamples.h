#pragma once

#include "eval/PolicySnapshot.h"

#include <vector>

namespace eenet::test {

/// The samples of `split` whose exit moving T_exit of `before` to `threshold` must change, worked out
/// independently of the threshold rule's code: those that reach the exit (leave there or later) and whose
/// score there lies on the other side of the new threshold than of the old one. Ascending.
inline std::vector<int> samplesCrossing(const PolicySnapshot& before, Split split, int exit,
                                        double threshold) {
    const SplitPolicy& shown = *before.split(split);
    const double old = before.thresholds.at(static_cast<size_t>(exit));
    std::vector<int> crossing;
    for (int n = 0; n < shown.data->numSamples; ++n) {
        const double score = (*shown.scores)(exit, n);
        if (shown.outcome.exitOf[static_cast<size_t>(n)] >= exit && (score >= old) != (score >= threshold))
            crossing.push_back(n);
    }
    return crossing;
}

/// The samples whose exit differs between two outcomes of the same split. Ascending.
inline std::vector<int> samplesMoved(const PolicyOutcome& before, const PolicyOutcome& after) {
    std::vector<int> moved;
    for (size_t n = 0; n < before.exitOf.size(); ++n)
        if (before.exitOf[n] != after.exitOf[n])
            moved.push_back(static_cast<int>(n));
    return moved;
}

} // namespace eenet::test
