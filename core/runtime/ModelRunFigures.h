#pragma once

#include "eval/PolicySnapshot.h"
#include "eval/ServingCost.h"
#include "eval/ServingMode.h"
#include "runtime/EarlyExitRunner.h"

#include <memory>
#include <string>
#include <vector>

namespace eenet {

/// One serving mode's real early-exit run (runEarlyExit) next to what the predictions file's costs predict
/// for the same decisions (ServingCostModel): what the studio's "Run on model" shows for each mode.
struct ModelRunFigures {
    ServingMode serving;
    int samples = 0;
    int threads = 1;
    double accuracyPercent = 0;
    /// Samples that left at the exit the simulation (the policy on the file's stored probabilities) gives
    /// them: all of them when the model reproduces the file.
    int agreeing = 0;
    /// Samples that left at each exit.
    std::vector<long long> exitCounts;

    /// Measured wall time per sample, ms: with early exit, and the full model on the same batches.
    double measuredMs = 0;
    double fullModelMs = 0;
    /// Simulated cost per sample, in costUnit: ServingCostModel::costPerSample of the run's exit counts,
    /// and staticCostPerSample of the last exit (the model without early exit).
    double simulatedCost = 0;
    double simulatedFullCost = 0;
    std::string costUnit;
    /// The simulation had the file's measured batch costs; otherwise a batch of b costs b c_k and batching
    /// gains nothing.
    bool batchCostsMeasured = false;

    /// Per exit, over the samples that left there (NaN where none did): the mean measured latency from its
    /// batch's start, ms, and the latency the cost model gives the same samples in the same batches,
    /// costUnit (sample: L_k(1); sync: L_k(n) for a batch of n; compact: the sum over exits j <= k of
    /// L_j(n_j) - L_(j-1)(n_j), n_j of the batch reaching exit j).
    std::vector<double> measuredExitMs;
    std::vector<double> simulatedExitCost;

    /// Latency percentiles over the samples, ms (nearest rank).
    double p50Ms = 0;
    double p95Ms = 0;
    double p99Ms = 0;
    /// Time in the scheduler per sample, µs.
    double schedulerUsPerSample = 0;

    /// Full model over early exit, measured; 0 when nothing was timed.
    double speedup() const { return measuredMs > 0 ? fullModelMs / measuredMs : 0.0; }
    /// The same ratio of simulated costs.
    double simulatedSpeedup() const { return simulatedCost > 0 ? simulatedFullCost / simulatedCost : 0.0; }
    double agreementPercent() const { return samples > 0 ? 100.0 * agreeing / samples : 0.0; }
};

/// A whole "Run on model": the policy the studio showed, run for real on a model in each serving mode.
struct ModelRun {
    std::string modelPath;
    /// The snapshot whose policy ran (method, budget, decisions): the run belongs to it.
    std::shared_ptr<const PolicySnapshot> snapshot;
    /// The unit of the snapshot's budget (a cost per sample, or under a serving mode).
    std::string budgetUnit;
    /// The probabilities the model was checked against and ran on (the model's own).
    std::shared_ptr<const Predictions> predictions;
    Split split = Split::Test;
    /// What checkModelAgainst found before the run.
    ModelCheck check;
    std::vector<ModelRunFigures> modes;
};

/// The figures of `run`, made in `serving` mode on the first run.exits.size() samples of `split`.
/// `simulatedExits` are the exits the policy takes on the split's stored probabilities (at least as many);
/// `costs` is the file's serving cost model. Throws ArgumentError when the sizes disagree or the run is
/// empty.
ModelRunFigures summariseRun(const EarlyExitRun& run, const ServingMode& serving,
                             const SplitPredictions& split, const std::vector<int>& simulatedExits,
                             const ServingCostModel& costs);

} // namespace eenet
