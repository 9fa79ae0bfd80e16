#include "cli/RunCommand.h"

#include "Error.h"
#include "cli/Arguments.h"
#include "cli/CliCommands.h"
#include "cli/CostOptions.h"
#include "cli/SchedulerCommands.h"
#include "eval/Percentile.h"
#include "eval/ServingCost.h"
#include "io/PredictionsReader.h"
#include "runtime/EarlyExitRunner.h"
#include "runtime/ExitModel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <iomanip>

namespace eenet::cli {
namespace {

/// The model's outputs are compared with the file's on this many samples before the run, to this
/// tolerance: enough to catch another model or another preprocessing, cheap next to the run.
constexpr int kCheckedSamples = 16;
constexpr double kCheckTolerance = 1e-4;

/// What the run's figures say, in the file's cost unit and in ms.
struct RunFigures {
    int samples = 0;
    double accuracyPercent = 0;
    std::vector<double> exitFractions;
    double measuredMs = 0;
    double fullModelMs = 0;
    double simulatedCost = 0;
    double fullCost = 0;
    double p50Ms = 0;
    double p95Ms = 0;
    double p99Ms = 0;
    double schedulerUsPerExit = 0;
    double schedulerUsPerSample = 0;
    /// The cost per sample the file's measured batch costs predict for the run's mode and batch size
    /// (ServingCostModel), next to the measured time; absent when the file has no batch costs.
    std::optional<double> simulatedServingCost;
    std::string servingUnit;

    double speedup() const { return fullModelMs / measuredMs; }
    double simulatedSpeedup() const { return fullCost / simulatedCost; }
};

RunFigures figuresOf(const EarlyExitRun& run, const Predictions& predictions, const SplitPredictions& split,
                     const ServingMode& serving) {
    RunFigures f;
    f.samples = split.numSamples;
    const double n = std::max(split.numSamples, 1);
    std::vector<int> leaving(static_cast<size_t>(predictions.numExits), 0);
    int correct = 0;
    for (int i = 0; i < split.numSamples; ++i) {
        ++leaving[static_cast<size_t>(run.exits[static_cast<size_t>(i)])];
        correct += run.predictions[static_cast<size_t>(i)] == split.labels[static_cast<size_t>(i)] ? 1 : 0;
    }
    // Fractions and cost summed as apply sums them (evaluateAssignment), so equal decisions print alike.
    for (size_t k = 0; k < leaving.size(); ++k) {
        f.exitFractions.push_back(leaving[k] / n);
        f.simulatedCost += f.exitFractions.back() * predictions.costs[k];
    }
    f.accuracyPercent = 100.0 * correct / n;
    f.fullCost = predictions.costs.back();
    f.measuredMs = run.earlyExitMs / n;
    f.fullModelMs = run.fullModelMs / n;
    f.p50Ms = nearestRankPercentile(run.latencyMs, 0.50);
    f.p95Ms = nearestRankPercentile(run.latencyMs, 0.95);
    f.p99Ms = nearestRankPercentile(run.latencyMs, 0.99);
    f.schedulerUsPerExit = run.schedulerCalls > 0 ? 1000.0 * run.schedulerMs / run.schedulerCalls : 0.0;
    f.schedulerUsPerSample = 1000.0 * run.schedulerMs / n;
    if (!predictions.batchCosts.empty()) {
        const ServingCostModel model(predictions);
        f.simulatedServingCost = model.costPerSample(exitCounts(run.exits, predictions.numExits), serving);
        f.servingUnit = model.unit();
    }
    return f;
}

QJsonObject toJson(const RunFigures& f) {
    QJsonArray fractions;
    for (double x : f.exitFractions)
        fractions.append(x);
    QJsonObject json{{"samples", f.samples},
                     {"accuracy", f.accuracyPercent},
                     {"exit_fractions", fractions},
                     {"measured_ms_per_sample", f.measuredMs},
                     {"full_model_ms_per_sample", f.fullModelMs},
                     {"speedup", f.speedup()},
                     {"simulated_cost", f.simulatedCost},
                     {"full_cost", f.fullCost},
                     {"simulated_speedup", f.simulatedSpeedup()},
                     {"p50_ms", f.p50Ms},
                     {"p95_ms", f.p95Ms},
                     {"p99_ms", f.p99Ms},
                     {"scheduler_us_per_exit", f.schedulerUsPerExit},
                     {"scheduler_us_per_sample", f.schedulerUsPerSample}};
    if (f.simulatedServingCost) {
        json["simulated_serving_cost"] = *f.simulatedServingCost;
        json["serving_unit"] = QString::fromStdString(f.servingUnit);
    }
    return json;
}

void printText(const RunFigures& f, const std::string& unit, const ServingMode& serving, std::ostream& out) {
    out << std::fixed << std::setprecision(2) << "accuracy:   " << f.accuracyPercent << " %, exit fractions";
    for (double x : f.exitFractions)
        out << " " << std::setprecision(3) << x;
    out << std::setprecision(4) << "\nmeasured:   " << f.measuredMs << " ms per sample with early exit, "
        << f.fullModelMs << " ms for the full model: speed-up " << std::setprecision(2) << f.speedup()
        << "x\n"
        << std::setprecision(4) << "simulated:  " << f.simulatedCost << " " << unit << " per sample of "
        << f.fullCost << " " << unit << ": speed-up " << std::setprecision(2) << f.simulatedSpeedup()
        << "x\n";
    if (f.simulatedServingCost)
        out << std::setprecision(4) << "serving:    " << *f.simulatedServingCost << " " << f.servingUnit
            << " per sample simulated for " << servingModeName(serving) << " from the file's batch costs\n";
    out << std::setprecision(4) << "latency:    p50 " << f.p50Ms << " ms, p95 " << f.p95Ms << " ms, p99 "
        << f.p99Ms << " ms (from its batch's start until a sample left)\n"
        << std::setprecision(2) << "scheduler:  " << f.schedulerUsPerExit << " µs per exit decided, "
        << f.schedulerUsPerSample << " µs per sample\n";
}

} // namespace

int runRun(const QStringList& arguments, std::ostream& out, std::ostream&) {
    const Arguments args(arguments,
                         {QStringLiteral("model"), QStringLiteral("scheduler"), QStringLiteral("split"),
                          QStringLiteral("batch"), QStringLiteral("mode"), QStringLiteral("threads"),
                          QStringLiteral("decisions"), kCostOption},
                         {QStringLiteral("json"), QStringLiteral("no-check")},
                         usageOf(QStringLiteral("run")));
    const QString input = args.positional(0, QStringLiteral("FILE"));
    args.expectPositionals(1);
    const QString modelPath = args.required(QStringLiteral("model"));
    const QString schedulerPath = args.required(QStringLiteral("scheduler"));
    RunOptions options;
    const long long batch = args.integer(QStringLiteral("batch")).value_or(1);
    if (batch < 1 || batch > 1000000)
        args.fail(QStringLiteral("--batch must be a positive number of samples, got %1").arg(batch));
    options.batchSize = static_cast<int>(batch);
    const QString modeText =
        args.value(QStringLiteral("mode"), batch == 1 ? QStringLiteral("sample") : QStringLiteral("compact"));
    const auto mode = parseRunMode(modeText.toStdString());
    if (!mode)
        args.fail(QStringLiteral("--mode must be sample, sync or compact, got '%1'").arg(modeText));
    options.mode = *mode;
    if (options.mode == RunMode::Sample && batch > 1)
        args.fail(QStringLiteral("--mode sample runs one sample at a time; --batch %1 needs --mode sync or "
                                 "compact")
                      .arg(batch));
    const long long threads = args.integer(QStringLiteral("threads")).value_or(1);
    if (threads < 1 || threads > 1024)
        args.fail(QStringLiteral("--threads must be a positive number, got %1").arg(threads));
    options.threads = static_cast<int>(threads);
    if (args.has(QStringLiteral("decisions")))
        checkWritableTarget(args.value(QStringLiteral("decisions")));

    const SchedulerFile scheduler = describeScheduler(schedulerPath.toStdString());
    const auto predictions = withSchedulerCostModel(args, readPredictions(input.toStdString()),
                                                    scheduler.costModel, schedulerPath);
    const Split split = splitArgument(args, *predictions, input);
    if (scheduler.scheduler.numExits != predictions->numExits ||
        scheduler.scheduler.numClasses != predictions->numClasses)
        throw Error(schedulerPath.toStdString() + ": the scheduler has " +
                    std::to_string(scheduler.scheduler.numExits) + " exits and " +
                    std::to_string(scheduler.scheduler.numClasses) + " classes but " + input.toStdString() +
                    " has " + std::to_string(predictions->numExits) + " and " +
                    std::to_string(predictions->numClasses));

    const ExitModel model = loadExitModel(modelPath.toStdString());
    if (!args.flag(QStringLiteral("no-check")))
        checkModelAgainst(model, *predictions, split, kCheckedSamples, kCheckTolerance);
    const EarlyExitRun run = runEarlyExit(model, *predictions, split, scheduler.deployedPolicy(), options);
    const SplitPredictions& data = split == Split::Test ? *predictions->test : predictions->val;
    const ServingMode serving{options.mode, options.mode == RunMode::Sample ? 1 : options.batchSize};
    const RunFigures figures = figuresOf(run, *predictions, data, serving);
    if (args.has(QStringLiteral("decisions")))
        writeDecisions(args.value(QStringLiteral("decisions")), run.exits, run.predictions);

    if (args.flag(QStringLiteral("json"))) {
        QJsonObject json = toJson(figures);
        json["model"] = modelPath;
        json["scheduler"] = schedulerPath;
        json["policy"] = QString::fromStdString(scheduler.policy);
        json["budget"] = scheduler.scheduler.budget;
        json["file"] = input;
        json["split"] = QString::fromStdString(splitName(split));
        addCostJson(json, *predictions, {});
        json["mode"] = QString::fromStdString(runModeName(options.mode));
        json["batch"] = options.mode == RunMode::Sample ? 1 : options.batchSize;
        json["threads"] = run.threads;
        json["checked"] = !args.flag(QStringLiteral("no-check"));
        out << QJsonDocument(json).toJson(QJsonDocument::Indented).toStdString();
        return kOk;
    }
    out << "ran " << modelPath.toStdString() << " with " << schedulerPath.toStdString() << " ("
        << scheduler.policy << ", budget " << scheduler.scheduler.budget << " "
        << (scheduler.serving ? scheduler.servingUnit + " under " + servingModeName(*scheduler.serving)
                              : scheduler.costUnit)
        << ") on " << input.toStdString() << " (" << splitName(split) << ", " << figures.samples
        << " samples): " << runModeName(options.mode) << ", batch "
        << (options.mode == RunMode::Sample ? 1 : options.batchSize) << ", " << run.threads
        << (run.threads == 1 ? " thread" : " threads") << "\n";
    if (args.flag(QStringLiteral("no-check")))
        out << "note: --no-check: the model's outputs were not compared with the file's\n";
    printText(figures, predictions->costUnit, serving, out);
    return kOk;
}

} // namespace eenet::cli
