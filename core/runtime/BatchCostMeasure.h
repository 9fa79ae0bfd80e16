#pragma once

#include "data/Predictions.h"
#include "data/SampleInputs.h"
#include "runtime/ExitModel.h"

#include <functional>
#include <string>
#include <vector>

namespace eenet {

/// What `eenet-cli measure` and eenet-make-sample name batch 1's latencies among the cost vectors
/// (/exits/extra_costs/measured_ms).
inline constexpr const char* kMeasuredCostName = "measured_ms";

/// How measureBatchCosts times a model.
struct BatchCostOptions {
    /// The largest batch size: 1, 2, 4, ... up to it and to the samples stored.
    int maxBatch = 256;
    /// About how long the timed repetitions of all batch sizes take together, split evenly between the
    /// sizes; warm-up and the model's own run time at the smallest repetition counts come on top.
    double budgetSeconds = 20.0;
    /// Repetitions per batch size, each timing every exit once: as many as the budget allows, within these.
    int minRepetitions = 5;
    int maxRepetitions = 300;
    /// Untimed repetitions first at each batch size: TorchScript profiles and optimises its first calls of
    /// a shape.
    int warmupRepetitions = 3;
    /// LibTorch's intra-op threads and OpenBLAS's: one, a single-threaded deployment.
    int threads = 1;
};

/// Called before each batch size is timed, with the size and the repetitions it gets.
using BatchCostProgress = std::function<void(int batchSize, int repetitions)>;

/// The batch sizes measureBatchCosts times: the powers of two up to `maxBatch` and `numSamples`. Throws
/// ArgumentError when either is below 1.
std::vector<int> measuredBatchSizes(int maxBatch, int numSamples);

/// Measures a multi-exit model's serving costs (docs/format.md, "Serving costs"): for each batch size b of
/// measuredBatchSizes and each exit k, the median wall time (std::chrono::steady_clock) of one batch of b
/// stored inputs to reach and evaluate exit k as early exit runs it: stages 0..k, each followed by its
/// exit's head and softmax (a batch that goes on past exit j has evaluated head j to decide). One clock per
/// repetition, read as each exit's probabilities are out, so every repetition's times increase with the
/// exit and so do their medians, however busy the machine. Batches rotate through the stored inputs, read
/// once before anything is timed. Sets LibTorch's and OpenBLAS's thread counts to options.threads for the
/// process.
///
/// Throws ArgumentError (stored texts, options out of range) and what the model's methods throw.
BatchCosts measureBatchCosts(const ExitModel& model, const SampleInputs& inputs,
                             const BatchCostOptions& options = {}, const BatchCostProgress& progress = {});

/// Batch size 1's column of `batchCosts` as a cost vector named `name`: the cumulative latency of one
/// sample at each exit. Throws ArgumentError when `batchCosts` has no batch size 1.
CostVector batchOneCosts(const BatchCosts& batchCosts, const std::string& name);

} // namespace eenet
