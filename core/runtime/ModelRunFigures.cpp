#include "runtime/ModelRunFigures.h"

#include "Error.h"
#include "eval/Percentile.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace eenet {
namespace {

/// L_k(b) with L_(-1)(b) = 0: the cost of a batch of b before its first stage.
double batchCostBefore(const ServingCostModel& costs, int exit, int batchSize) {
    return exit < 0 ? 0.0 : costs.batchCost(exit, batchSize);
}

/// What the cost model gives each sample of one batch (samples [first, first + count)) as its latency: the
/// cost of every stage the batch ran before that sample's exit, on the samples it ran them on.
void simulateBatch(const ServingCostModel& costs, RunMode mode, const std::vector<int>& exits, int first,
                   int count, int numExits, std::vector<double>& latency) {
    const auto exitOf = [&](int i) { return exits[static_cast<size_t>(first + i)]; };
    if (mode != RunMode::Compact) {
        // Sample mode is a batch of one; sync runs the whole batch through every stage it reaches.
        for (int i = 0; i < count; ++i)
            latency[static_cast<size_t>(first + i)] = costs.batchCost(exitOf(i), count);
        return;
    }
    // Compact: stage j runs on the n_j samples still running, costing L_j(n_j) - L_(j-1)(n_j).
    std::vector<double> reached(static_cast<size_t>(numExits), 0.0);
    double elapsed = 0;
    for (int j = 0; j < numExits; ++j) {
        int running = 0;
        for (int i = 0; i < count; ++i)
            running += exitOf(i) >= j ? 1 : 0;
        if (running > 0)
            elapsed += costs.batchCost(j, running) - batchCostBefore(costs, j - 1, running);
        reached[static_cast<size_t>(j)] = elapsed;
    }
    for (int i = 0; i < count; ++i)
        latency[static_cast<size_t>(first + i)] = reached[static_cast<size_t>(exitOf(i))];
}

/// Mean of `values` over the samples at each exit; NaN where none left.
std::vector<double> meanPerExit(const std::vector<double>& values, const std::vector<int>& exits,
                                int numExits) {
    std::vector<double> sums(static_cast<size_t>(numExits), 0.0);
    std::vector<int> counts(static_cast<size_t>(numExits), 0);
    for (size_t i = 0; i < exits.size(); ++i) {
        sums[static_cast<size_t>(exits[i])] += values[i];
        ++counts[static_cast<size_t>(exits[i])];
    }
    for (size_t k = 0; k < sums.size(); ++k)
        sums[k] = counts[k] > 0 ? sums[k] / counts[k] : std::numeric_limits<double>::quiet_NaN();
    return sums;
}

} // namespace

ModelRunFigures summariseRun(const EarlyExitRun& run, const ServingMode& serving,
                             const SplitPredictions& split, const std::vector<int>& simulatedExits,
                             const ServingCostModel& costs) {
    const auto n = static_cast<int>(run.exits.size());
    const int numExits = costs.numExits();
    if (n == 0 || n > split.numSamples || static_cast<int>(simulatedExits.size()) < n ||
        run.predictions.size() != run.exits.size() || run.latencyMs.size() != run.exits.size())
        throw ArgumentError("summariseRun: a run of " + std::to_string(n) +
                            " samples does not fit a split of " + std::to_string(split.numSamples) +
                            " with " + std::to_string(simulatedExits.size()) + " simulated decisions");
    for (int exit : run.exits)
        if (exit < 0 || exit >= numExits)
            throw ArgumentError("summariseRun: exit " + std::to_string(exit) + " outside the file's " +
                                std::to_string(numExits) + " exits");
    ModelRunFigures f;
    f.serving = serving;
    f.samples = n;
    f.threads = run.threads;
    int correct = 0;
    for (int i = 0; i < n; ++i) {
        const auto s = static_cast<size_t>(i);
        correct += run.predictions[s] == split.labels[s] ? 1 : 0;
        f.agreeing += run.exits[s] == simulatedExits[s] ? 1 : 0;
    }
    f.accuracyPercent = 100.0 * correct / n;
    f.exitCounts = exitCounts(run.exits, numExits);
    f.measuredMs = run.earlyExitMs / n;
    f.fullModelMs = run.fullModelMs / n;
    f.simulatedCost = costs.costPerSample(f.exitCounts, serving);
    f.simulatedFullCost = costs.staticCostPerSample(numExits - 1, serving);
    f.costUnit = costs.unit();
    f.batchCostsMeasured = costs.measured();

    const int batchSize = serving.mode == RunMode::Sample ? 1 : std::max(serving.batchSize, 1);
    std::vector<double> simulatedLatency(static_cast<size_t>(n), 0.0);
    for (int first = 0; first < n; first += batchSize)
        simulateBatch(costs, serving.mode, run.exits, first, std::min(batchSize, n - first), numExits,
                      simulatedLatency);
    f.measuredExitMs = meanPerExit(run.latencyMs, run.exits, numExits);
    f.simulatedExitCost = meanPerExit(simulatedLatency, run.exits, numExits);
    f.p50Ms = nearestRankPercentile(run.latencyMs, 0.50);
    f.p95Ms = nearestRankPercentile(run.latencyMs, 0.95);
    f.p99Ms = nearestRankPercentile(run.latencyMs, 0.99);
    f.schedulerUsPerSample = 1000.0 * run.schedulerMs / n;
    return f;
}

} // namespace eenet
