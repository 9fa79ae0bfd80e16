#pragma once

#include "data/Predictions.h"
#include "eval/ServingMode.h"
#include "eval/Split.h"
#include "policy/DeployedPolicy.h"
#include "runtime/ExitModel.h"

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace eenet {

struct RunOptions {
    RunMode mode = RunMode::Sample;
    /// Samples per batch; 1 in Sample mode.
    int batchSize = 1;
    /// LibTorch's intra-op threads and OpenBLAS's: one by default, a single-threaded deployment.
    int threads = 1;
    /// Batches run, untimed, before timing starts: TorchScript profiles and optimises its first calls.
    int warmupBatches = 3;
    /// Runs the first `sampleCount` samples of the split only; 0 runs them all.
    int sampleCount = 0;
    /// Called on the running thread after each timed batch with the fraction of the samples done (0 to 1];
    /// it must be cheap (it runs between timed batches, untimed) and must not throw.
    std::function<void(double fraction)> progress;
    /// Read before every batch, warm-up included: once true, runEarlyExit throws CancelledError within one
    /// batch (both the early-exit and the full-model pass of it) and returns nothing.
    const std::atomic<bool>* cancel = nullptr;
};

/// What a real early-exit run measured. Times are wall-clock (std::chrono::steady_clock), per batch.
struct EarlyExitRun {
    /// Per sample run (the split's first options.sampleCount, or all of it): the exit it left at (0-based)
    /// and the argmax of that exit's probabilities.
    std::vector<int> exits;
    std::vector<int> predictions;
    /// Per sample: from the start of its batch (its own start in Sample mode) until it left, ms.
    std::vector<double> latencyMs;
    /// All batches run with early exit, ms.
    double earlyExitMs = 0;
    /// The same batches, mode and batch size with every sample run to the last exit, ms: stages 1..K and
    /// the last head only, as a model without early exit runs.
    double fullModelMs = 0;
    /// Time spent in the scheduler (ExitDecider::decide) during the early-exit batches, ms, and its calls:
    /// one per batch and exit reached.
    double schedulerMs = 0;
    long long schedulerCalls = 0;
    int threads = 1;
};

/// Runs `model` (loadExitModel) with real early exit on the inputs a predictions file stores for `split`,
/// deciding with `policy` after each exit, and times it against the same model run to the end. Sets
/// LibTorch's and OpenBLAS's thread counts to options.threads for the process.
///
/// Throws FormatError naming the model file (num_exits() not the file's K; and what the model's methods
/// throw), Error naming the predictions file (no test split, no inputs), ArgumentError (stored texts, a
/// policy with another number of exits or classes than the file, a batch size or thread count below 1, a
/// negative sample count), CancelledError when options.cancel was set.
EarlyExitRun runEarlyExit(const ExitModel& model, const Predictions& predictions, Split split,
                          const DeployedPolicy& policy, const RunOptions& options);

} // namespace eenet
