#include "runtime/BatchCostMeasure.h"

#include "BlasThreads.h"
#include "Error.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

namespace eenet {
namespace {

using Clock = std::chrono::steady_clock;

/// Stored inputs read to draw batches from, unless the largest batch needs more: batches rotate through
/// them, and a split of a million images is not read to time a few hundred batches.
constexpr int kInputsRead = 2048;

double msBetween(Clock::time_point start, Clock::time_point stop) {
    return std::chrono::duration<double, std::milli>(stop - start).count();
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
}

void checkOptions(const BatchCostOptions& o) {
    if (o.maxBatch < 1 || !(o.budgetSeconds > 0) || !std::isfinite(o.budgetSeconds) || o.minRepetitions < 1 ||
        o.maxRepetitions < o.minRepetitions || o.warmupRepetitions < 0 || o.threads < 1)
        throw ArgumentError("measuring batch costs: the largest batch, budget, repetitions (at least 1, the "
                            "most at least the fewest) and threads must be positive");
}

/// Times one repetition: the batch runs stage by stage as early exit runs it, each exit's head evaluated
/// before the next stage; adds the time from the start until exit k's probabilities are out, ms, to
/// times[k]. Returns the repetition's wall time, ms. One clock for all exits makes every repetition's
/// times increase with the exit, so their medians do too, however busy the machine: the format's rule holds
/// by construction.
double timeExits(const ExitModel& model, const ExitActivations& batch,
                 std::vector<std::vector<double>>& times) {
    const int exits = model.numExits();
    const Clock::time_point start = Clock::now();
    ExitActivations h = batch;
    for (int k = 0; k < exits; ++k) {
        h = model.stage(k, h);
        model.probabilities(k, h);
        times[static_cast<size_t>(k)].push_back(msBetween(start, Clock::now()));
    }
    return msBetween(start, Clock::now());
}

/// Batch `r` of `size` samples: consecutive windows of the inputs read, in turn.
ExitActivations batchAt(const ExitActivations& inputs, int size, int r) {
    const int windows = inputs.numSamples() / size;
    std::vector<int> rows(static_cast<size_t>(size));
    std::iota(rows.begin(), rows.end(), (r % windows) * size);
    return inputs.select(rows);
}

/// Each exit's median time for one batch size, ms.
std::vector<double> measureSize(const ExitModel& model, const ExitActivations& inputs, int size,
                                double budgetMs, const BatchCostOptions& options,
                                const BatchCostProgress& progress) {
    const int exits = model.numExits();
    std::vector<std::vector<double>> times(static_cast<size_t>(exits));
    // At least one untimed repetition: its wall time sets how many the budget allows.
    double repetitionMs = 0;
    for (int w = 0; w < std::max(options.warmupRepetitions, 1); ++w)
        repetitionMs = timeExits(model, batchAt(inputs, size, w), times);
    const double affordable = budgetMs / std::max(repetitionMs, 1e-3);
    const int repetitions = static_cast<int>(
        std::clamp<double>(std::floor(affordable), options.minRepetitions, options.maxRepetitions));
    if (progress)
        progress(size, repetitions);
    for (auto& exitTimes : times)
        exitTimes.clear();
    for (int r = 0; r < repetitions; ++r) {
        // Selected before the clock starts: the copy is the runtime's input, not the model's work.
        const ExitActivations batch = batchAt(inputs, size, r);
        timeExits(model, batch, times);
    }
    std::vector<double> medians;
    for (const auto& exitTimes : times)
        medians.push_back(median(exitTimes));
    return medians;
}

} // namespace

std::vector<int> measuredBatchSizes(int maxBatch, int numSamples) {
    if (maxBatch < 1 || numSamples < 1)
        throw ArgumentError("measuring batch costs needs a largest batch and stored samples of at least 1, "
                            "got " +
                            std::to_string(maxBatch) + " and " + std::to_string(numSamples));
    const int largest = std::min(maxBatch, numSamples);
    std::vector<int> sizes;
    for (long long b = 1; b <= largest; b *= 2)
        sizes.push_back(static_cast<int>(b));
    return sizes;
}

BatchCosts measureBatchCosts(const ExitModel& model, const SampleInputs& inputs,
                             const BatchCostOptions& options, const BatchCostProgress& progress) {
    checkOptions(options);
    const std::vector<int> sizes = measuredBatchSizes(options.maxBatch, inputs.numSamples());
    const int read = std::min(inputs.numSamples(), std::max(sizes.back(), kInputsRead));
    const ExitActivations stored = ExitActivations::fromInputs(inputs, 0, read);
    at::set_num_threads(options.threads);
    setBlasThreads(options.threads);

    const int exits = model.numExits();
    BatchCosts result;
    result.batchSizes = sizes;
    result.values.assign(static_cast<size_t>(exits) * sizes.size(), 0.0);
    const double budgetMs = 1000.0 * options.budgetSeconds / static_cast<double>(sizes.size());
    for (size_t j = 0; j < sizes.size(); ++j) {
        const std::vector<double> medians = measureSize(model, stored, sizes[j], budgetMs, options, progress);
        for (int k = 0; k < exits; ++k)
            result.values[static_cast<size_t>(k) * sizes.size() + j] = medians[static_cast<size_t>(k)];
    }
    return result;
}

CostVector batchOneCosts(const BatchCosts& batchCosts, const std::string& name) {
    if (batchCosts.batchSizes.empty() || batchCosts.batchSizes.front() != 1)
        throw ArgumentError("the batch costs have no batch size 1 to take per-sample costs from");
    CostVector costs{name, batchCosts.unit, {}};
    const size_t exits = batchCosts.values.size() / batchCosts.batchSizes.size();
    for (size_t k = 0; k < exits; ++k)
        costs.values.push_back(batchCosts.at(static_cast<int>(k), 0));
    return costs;
}

} // namespace eenet
