#pragma once

#include "eval/ServingCost.h"

#include <string>
#include <vector>

namespace eenet {

/// A policy's cost per sample at one batch size, in each batched serving mode, next to the model without
/// early exit at that batch size (every sample to the last exit).
struct ServingProfilePoint {
    int batchSize = 1;
    double sync = 0;
    double compact = 0;
    double fullModel = 0;
};

/// What the serving view draws for one policy: its cost per sample one sample at a time and, per batch size,
/// in `sync` and `compact` batches (ServingCostModel), each against the full model served the same way.
struct ServingProfile {
    std::string unit;
    /// The batch costs were measured (/exits/batch_costs) rather than assumed to be b c_k.
    bool measured = false;
    double sample = 0;
    double fullModelSample = 0;
    std::vector<ServingProfilePoint> points;
};

/// Batch sizes 1, 2, 4, ... up to `largest` (itself included when not a power of two), at most the split's
/// sample count.
std::vector<int> profileBatchSizes(int largest, int numSamples);

/// The profile of a policy that sends exitCounts[k] samples to exit k, at `batchSizes`.
ServingProfile servingProfile(const ServingCostModel& model, const std::vector<long long>& exitCounts,
                              const std::vector<int>& batchSizes);

/// The profile's point at `batchSize`, or nullptr.
const ServingProfilePoint* profilePointAt(const ServingProfile& profile, int batchSize);

} // namespace eenet
