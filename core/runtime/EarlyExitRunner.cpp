#include "runtime/EarlyExitRunner.h"

#include "BlasThreads.h"
#include "Error.h"
#include "policy/ExitDecider.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <numeric>

namespace eenet {
namespace {

using Clock = std::chrono::steady_clock;

double msBetween(Clock::time_point start, Clock::time_point stop) {
    return std::chrono::duration<double, std::milli>(stop - start).count();
}

const SplitPredictions& splitOf(const Predictions& predictions, Split split) {
    if (split == Split::Test && !predictions.test)
        throw Error(predictions.sourcePath + " has no test split (/test/probs)");
    return split == Split::Test ? *predictions.test : predictions.val;
}

int firstLargest(const float* row, int classes) {
    return static_cast<int>(std::max_element(row, row + classes) - row);
}

std::vector<int> range(int first, int count) {
    std::vector<int> rows(static_cast<size_t>(count));
    std::iota(rows.begin(), rows.end(), first);
    return rows;
}

/// One batch with early exit, from its stored inputs `x` (samples first .. first + n - 1), each sample
/// leaving at the first exit whose decision says so; their exits, predictions and latencies go into `out`.
/// Returns the batch's time, ms.
double earlyExitBatch(const ExitModel& model, ExitDecider& decider, ExitActivations h, int first,
                      bool compact, EarlyExitRun& out) {
    const int n = h.numSamples();
    const int classes = decider.numClasses();
    decider.startBatch(n);
    std::vector<int> sampleSlots = range(0, n);
    std::vector<std::uint8_t> leaves;
    std::vector<float> running;
    const Clock::time_point start = Clock::now();
    for (int k = 0; k < model.numExits() && !sampleSlots.empty(); ++k) {
        h = model.stage(k, h);
        const ExitOutput output = model.probabilities(k, h);
        const float* probs = output.probs.data();
        // Sync runs the whole batch; only the rows still running are decided.
        if (!compact && static_cast<int>(sampleSlots.size()) < n) {
            running.clear();
            for (int slot : sampleSlots)
                running.insert(running.end(), probs + static_cast<size_t>(slot) * classes,
                               probs + static_cast<size_t>(slot + 1) * classes);
            probs = running.data();
        }
        const Clock::time_point asked = Clock::now();
        decider.decide(k, probs, static_cast<int>(sampleSlots.size()), sampleSlots.data(), leaves);
        const Clock::time_point decided = Clock::now();
        out.schedulerMs += msBetween(asked, decided);
        ++out.schedulerCalls;
        std::vector<int> staying;
        std::vector<int> stayingRows;
        for (size_t r = 0; r < sampleSlots.size(); ++r) {
            if (!leaves[r]) {
                staying.push_back(sampleSlots[r]);
                stayingRows.push_back(static_cast<int>(r));
                continue;
            }
            const auto i = static_cast<size_t>(first + sampleSlots[r]);
            out.exits[i] = k;
            out.predictions[i] = firstLargest(probs + r * static_cast<size_t>(classes), classes);
            out.latencyMs[i] = msBetween(start, decided);
        }
        if (compact && !staying.empty() && staying.size() < sampleSlots.size())
            h = h.select(stayingRows);
        sampleSlots = std::move(staying);
    }
    return msBetween(start, Clock::now());
}

/// The same batch without early exit: every stage, then the last head and its answers. Returns ms.
double fullModelBatch(const ExitModel& model, ExitActivations h) {
    const Clock::time_point start = Clock::now();
    for (int k = 0; k < model.numExits(); ++k)
        h = model.stage(k, h);
    const ExitOutput output = model.probabilities(model.numExits() - 1, h);
    std::vector<int> answers;
    for (int i = 0; i < output.numSamples; ++i)
        answers.push_back(firstLargest(output.probs.data() + static_cast<size_t>(i) * output.numClasses,
                                       output.numClasses));
    return msBetween(start, Clock::now());
}

} // namespace

EarlyExitRun runEarlyExit(const ExitModel& model, const Predictions& predictions, Split split,
                          const DeployedPolicy& policy, const RunOptions& options) {
    if (policy.numExits != predictions.numExits || policy.numClasses != predictions.numClasses)
        throw ArgumentError("the scheduler has " + std::to_string(policy.numExits) + " exits and " +
                            std::to_string(policy.numClasses) + " classes but " + predictions.sourcePath +
                            " has " + std::to_string(predictions.numExits) + " and " +
                            std::to_string(predictions.numClasses));
    const int batchSize = options.mode == RunMode::Sample ? 1 : options.batchSize;
    if (batchSize < 1 || options.threads < 1 || options.warmupBatches < 0 || options.sampleCount < 0)
        throw ArgumentError("run: the batch size and thread count must be positive, the sample count not "
                            "negative");
    if (model.numExits() != predictions.numExits)
        throw FormatError(model.path(), "num_exits",
                          "the model has " + std::to_string(model.numExits()) + " exits but " +
                              predictions.sourcePath + " has " + std::to_string(predictions.numExits));
    const SplitPredictions& data = splitOf(predictions, split);
    if (!data.inputs)
        throw Error(predictions.sourcePath + ": /" + splitName(split) +
                    "/inputs: missing; the model needs the stored inputs to run on");
    const int n = options.sampleCount > 0 ? std::min(options.sampleCount, data.numSamples) : data.numSamples;
    // Read once, before anything is timed: a run measures the model, not the file.
    const ExitActivations inputs = ExitActivations::fromInputs(*data.inputs, 0, n);
    at::set_num_threads(options.threads);
    setBlasThreads(options.threads);
    ExitDecider decider(policy);
    const bool compact = options.mode != RunMode::Sync;

    EarlyExitRun run;
    run.threads = options.threads;
    run.exits.assign(static_cast<size_t>(n), -1);
    run.predictions.assign(static_cast<size_t>(n), -1);
    run.latencyMs.assign(static_cast<size_t>(n), 0.0);
    // A cancel is honoured between batches only: a batch is never left half-timed, and the caller gets
    // either the whole run or CancelledError.
    const auto stopIfCancelled = [&options] {
        if (options.cancel && options.cancel->load())
            throw CancelledError();
    };
    EarlyExitRun warmup = run;
    for (int w = 0, first = 0; w < options.warmupBatches && first < n; ++w, first += batchSize) {
        stopIfCancelled();
        const ExitActivations batch = inputs.select(range(first, std::min(batchSize, n - first)));
        earlyExitBatch(model, decider, batch, first, compact, warmup);
        fullModelBatch(model, batch);
    }
    // Batch by batch, early exit then the full model on the same inputs: a load that drifts over the run
    // (another process on the machine) slows both alike.
    for (int first = 0; first < n; first += batchSize) {
        stopIfCancelled();
        const int count = std::min(batchSize, n - first);
        const ExitActivations batch = inputs.select(range(first, count));
        run.earlyExitMs += earlyExitBatch(model, decider, batch, first, compact, run);
        run.fullModelMs += fullModelBatch(model, batch);
        if (options.progress)
            options.progress(static_cast<double>(first + count) / n);
    }
    return run;
}

} // namespace eenet
