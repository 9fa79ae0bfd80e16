#pragma once

#include "policy/ExitData.h"

#include <vector>

namespace eenet {

/// Where an exit and the last exit disagree about samples' correctness. A later exit is not always right
/// where an earlier one was ("overthinking", Kaya et al., ICML 2019), so stopping early can raise accuracy,
/// not only save cost; the oracle bound exploits exactly these samples.
struct ExitVsLast {
    /// Samples (ascending indices) this exit gets right and the last exit gets wrong: stopping here helps.
    std::vector<int> helps;
    /// Samples (ascending indices) this exit gets wrong and the last exit gets right: stopping here hurts.
    std::vector<int> hurts;
};

/// Per exit k (K entries), over every sample of the split. The last exit's lists are empty.
std::vector<ExitVsLast> compareExitsWithLast(const ExitData& data);

/// Per exit k (K entries), among the samples `exitOf` sends to k (a policy's PolicyOutcome::exitOf): right
/// there but wrong at the last exit, and the reverse. Throws ArgumentError when `exitOf` does not give every
/// sample of `data` an exit in [0, K).
std::vector<ExitVsLast> compareExitsWithLast(const ExitData& data, const std::vector<int>& exitOf);

/// Helps and hurts summed over exits. Of a policy's comparison, helps − hurts is how many more samples the
/// policy gets right than running every sample to the last exit.
struct ExitVsLastTotals {
    int helps = 0;
    int hurts = 0;
};

ExitVsLastTotals totalsOf(const std::vector<ExitVsLast>& perExit);

} // namespace eenet
