#include "cli/MeasureCommand.h"

#include "Error.h"
#include "cli/Arguments.h"
#include "cli/CliCommands.h"
#include "cli/SchedulerCommands.h"
#include "data/CostModels.h"
#include "io/CostsUpdate.h"
#include "io/PredictionsReader.h"
#include "runtime/BatchCostMeasure.h"
#include "runtime/ExitModel.h"

#include <QFileInfo>

#include <iomanip>

namespace eenet::cli {
namespace {

/// As `eenet-cli run`: the model's outputs are compared with the file's on this many samples first, to this
/// tolerance, so that another model's timings never end up in the file.
constexpr int kCheckedSamples = 16;
constexpr double kCheckTolerance = 1e-4;

void printTable(const BatchCosts& costs, const Predictions& predictions, std::ostream& out) {
    out << "ms per batch to reach each exit (median), by batch size:\n"
        << std::setw(22) << std::left << "exit";
    for (int b : costs.batchSizes)
        out << std::setw(10) << std::right << b;
    out << "\n" << std::fixed << std::setprecision(4);
    for (int k = 0; k < predictions.numExits; ++k) {
        out << std::setw(22) << std::left << predictions.exitNames[static_cast<size_t>(k)];
        for (size_t j = 0; j < costs.batchSizes.size(); ++j)
            out << std::setw(10) << std::right << costs.at(k, static_cast<int>(j));
        out << "\n";
    }
    out << std::setw(22) << std::left << "ms per sample, last";
    const int last = predictions.numExits - 1;
    for (size_t j = 0; j < costs.batchSizes.size(); ++j)
        out << std::setw(10) << std::right << costs.at(last, static_cast<int>(j)) / costs.batchSizes[j];
    out << "\n";
}

} // namespace

int runMeasure(const QStringList& arguments, std::ostream& out, std::ostream& err) {
    const Arguments args(arguments,
                         {QStringLiteral("model"), QStringLiteral("split"), QStringLiteral("out"),
                          QStringLiteral("name"), QStringLiteral("max-batch"), QStringLiteral("seconds")},
                         {QStringLiteral("no-check")}, usageOf(QStringLiteral("measure")));
    const QString input = args.positional(0, QStringLiteral("FILE"));
    args.expectPositionals(1);
    const QString modelPath = args.required(QStringLiteral("model"));
    const QString output = args.value(QStringLiteral("out"), input);
    const std::string name = args.value(QStringLiteral("name"), kMeasuredCostName).toStdString();
    if (const std::string problem = costNameProblem(name); !problem.empty())
        args.fail(QStringLiteral("--name: ") + QString::fromStdString(problem));
    BatchCostOptions options;
    const long long maxBatch = args.integer(QStringLiteral("max-batch")).value_or(options.maxBatch);
    if (maxBatch < 1 || maxBatch > 1000000)
        args.fail(QStringLiteral("--max-batch must be a positive number of samples, got %1").arg(maxBatch));
    options.maxBatch = static_cast<int>(maxBatch);
    options.budgetSeconds = args.number(QStringLiteral("seconds")).value_or(options.budgetSeconds);
    if (!(options.budgetSeconds > 0) || options.budgetSeconds > 86400)
        args.fail(QStringLiteral("--seconds must be a positive number of seconds, got %1")
                      .arg(args.value(QStringLiteral("seconds"))));
    checkWritableTarget(output);

    const auto predictions = readPredictions(input.toStdString());
    const Split split = splitArgument(args, *predictions, input);
    const SplitPredictions& data = split == Split::Test ? *predictions->test : predictions->val;
    if (!data.inputs)
        throw Error(input.toStdString() + ": /" + splitName(split) +
                    "/inputs: missing; the model needs the stored inputs to run on");
    const ExitModel model = loadExitModel(modelPath.toStdString());
    if (model.numExits() != predictions->numExits)
        throw Error(modelPath.toStdString() + ": num_exits() is " + std::to_string(model.numExits()) +
                    " but " + input.toStdString() + " has " + std::to_string(predictions->numExits) +
                    " exits");
    const bool check = !args.flag(QStringLiteral("no-check"));
    if (check)
        checkModelAgainst(model, *predictions, split, kCheckedSamples, kCheckTolerance);

    err << "measuring " << modelPath.toStdString() << " on " << input.toStdString() << " ("
        << splitName(split) << " inputs), 1 thread, about " << options.budgetSeconds << " s" << std::endl;
    const BatchCosts costs =
        measureBatchCosts(model, *data.inputs, options, [&err](int batchSize, int repetitions) {
            err << "  batch size " << batchSize << ": " << repetitions << " repetitions" << std::endl;
        });
    CostsUpdate update;
    update.batchCosts = costs;
    update.extraCosts.push_back(batchOneCosts(costs, name));
    updateCosts(input.toStdString(), output.toStdString(), update);

    out << "measured " << modelPath.toStdString() << " on " << input.toStdString() << " (" << splitName(split)
        << ", batches of stored inputs, 1 thread)\n";
    if (!check)
        out << "note: --no-check: the model's outputs were not compared with the file's\n";
    printTable(costs, *predictions, out);
    out << "wrote " << output.toStdString() << ": /exits/batch_sizes, /exits/batch_costs (ms) and "
        << "/exits/extra_costs/" << name << " (batch 1, ms); everything else as it was\n";
    return kOk;
}

} // namespace eenet::cli
