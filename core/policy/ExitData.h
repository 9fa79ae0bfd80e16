#pragma once

#include "data/Predictions.h"
#include "policy/ScoreMatrix.h"

#include <vector>

namespace eenet {

/// One split's per-exit outcomes in the shapes the policies use. Computed once per split and shared.
struct ExitData {
    int numExits = 0;
    int numSamples = 0;
    int numClasses = 0;
    /// Predicted class per exit and sample [K, N].
    LabelMatrix predictions;
    /// 1 where the exit's prediction equals the label [K, N].
    MaskMatrix correct;
    std::vector<int> labels;
    /// Cumulative cost of each exit (the file's /exits/costs).
    std::vector<double> costs;
};

ExitData makeExitData(const Predictions& predictions, const SplitPredictions& split);

/// Throws ArgumentError, naming `caller`, unless `exitOf` (a policy's exit per sample) gives every sample of
/// `data` an exit in [0, K).
void requireExitPerSample(const ExitData& data, const std::vector<int>& exitOf, const char* caller);

} // namespace eenet
