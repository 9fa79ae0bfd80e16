#include "cli/SchedulerCommands.h"

#include "Error.h"
#include "cli/Arguments.h"
#include "cli/CalibrationOption.h"
#include "cli/CliCommands.h"
#include "cli/CostOptions.h"
#include "eval/Evaluator.h"
#include "eval/ResultJson.h"
#include "eval/SchedulerExport.h"
#include "eval/ServingCost.h"
#include "io/AtomicFile.h"
#include "io/PredictionsReader.h"
#include "io/SchedulerFile.h"
#include "io/TorchScriptPolicy.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <iomanip>

namespace eenet::cli {
namespace {

/// The serving cost of a policy's decisions on a split, as a command prints it.
struct ServingFigure {
    ServingMode serving;
    double costPerSample = 0;
    std::string unit;
};

ServingFigure servingFigure(const Predictions& predictions, const std::vector<int>& exitOf,
                            const ServingMode& serving) {
    const ServingCostModel model(predictions);
    return {serving, model.costPerSample(exitCounts(exitOf, predictions.numExits), serving), model.unit()};
}

void printOutcome(const std::string& label, const PolicyOutcome& outcome, const std::string& unit,
                  const std::optional<ServingFigure>& serving, std::ostream& out) {
    out << std::fixed << std::setprecision(2) << label << ": accuracy " << outcome.accuracyPercent
        << " %, cost " << std::setprecision(4) << outcome.cost << " " << unit;
    if (serving)
        out << ", serving cost " << serving->costPerSample << " " << serving->unit << " under "
            << servingModeName(serving->serving);
    out << ", exit fractions";
    for (double f : outcome.exitFractions)
        out << " " << std::setprecision(3) << f;
    out << "\n";
}

/// What a file holds, judged from its first bytes: enough to tell apply's two arguments apart.
enum class FileKind { Unknown, Hdf5, Json, Zip };

FileKind sniff(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return FileKind::Unknown;
    const QByteArray head = file.read(512);
    if (head.startsWith("\x89HDF\r\n\x1a\n"))
        return FileKind::Hdf5;
    if (head.startsWith("PK\x03\x04"))
        return FileKind::Zip; // TorchScript archives are zip files
    if (head.trimmed().startsWith('{'))
        return FileKind::Json;
    return FileKind::Unknown;
}

/// apply takes SCHED FILE; says which argument is wrong rather than letting a reader fail on the other's
/// format ("/: not a JSON object").
void checkApplyOrder(const Arguments& args, const QString& schedulerPath, const QString& input) {
    const FileKind first = sniff(schedulerPath);
    const FileKind second = sniff(input);
    const bool secondIsScheduler = second == FileKind::Json || second == FileKind::Zip;
    if (first == FileKind::Hdf5 && secondIsScheduler)
        args.fail(QStringLiteral("%1: the second argument must be a predictions file (HDF5); the first, %2, "
                                 "must be a scheduler (.json or .pt) — were they swapped?")
                      .arg(input, schedulerPath));
    if (first == FileKind::Hdf5)
        throw Error(schedulerPath.toStdString() +
                    ": the first argument must be a scheduler (.json or .pt), this is a predictions file "
                    "(HDF5)");
    if (secondIsScheduler)
        throw Error(input.toStdString() +
                    ": the second argument must be a predictions file (HDF5), this looks like a scheduler");
}

} // namespace

void writeDecisions(const QString& path, const std::vector<int>& exits, const std::vector<int>& predictions) {
    QByteArray csv = "index,exit,prediction\n";
    for (size_t i = 0; i < exits.size(); ++i)
        csv += QByteArray::number(static_cast<qulonglong>(i)) + ',' + QByteArray::number(exits[i]) + ',' +
               QByteArray::number(predictions[i]) + '\n';
    writeFileAtomically(path.toStdString(), csv);
}

SchedulerFile describeScheduler(const std::string& path) {
    if (QFileInfo(QString::fromStdString(path)).suffix().toLower() == QLatin1String("pt"))
        return schedulerFromJson(QByteArray::fromStdString(readTorchScriptMetadata(path)), path);
    return readSchedulerFile(path);
}

namespace {

/// The per-sample budget EENet is first fitted at under the evaluator's rule: where the maximum softmax
/// probability's thresholds meet it (as Evaluator fits EENet under a rule); `budget` itself by default.
double firstFitBudget(Evaluator& evaluator, double budget) {
    if (evaluator.budgetRule().isDefault())
        return budget;
    const Method maxProbMethod{Method::Kind::Heuristic, ConfidenceMeasure::MaxProb};
    const MethodResult maxProb = evaluator.evaluate(maxProbMethod, budget, {Split::Val}).front();
    return maxProb.rule ? maxProb.rule->fittedBudget : budget;
}

/// The snapshot `train` exports: EENet fitted at the per-sample budget that meets the rule (refitted once at
/// the one its own scores need, as Evaluator does), or a heuristic fitted at `budget`.
PolicySnapshot trainedSnapshot(Evaluator& evaluator, const Method& method, double budget,
                               double& fitSeconds) {
    std::vector<std::shared_ptr<const TrainedScheduler>> trained;
    const auto fitAt = [&](double fitBudget) {
        const EENetFit& fit = evaluator.eenetFit(fitBudget, method.kind == Method::Kind::EENetReference);
        fitSeconds += fit.trainSeconds;
        trained = {std::make_shared<const TrainedScheduler>(describeFit(evaluator, fitBudget, fit))};
    };
    if (!method.isLearned())
        return computeSnapshot(evaluator, method, budget, trained);
    const double first = firstFitBudget(evaluator, budget);
    fitAt(first);
    PolicySnapshot snapshot = computeSnapshot(evaluator, method, budget, trained);
    if (snapshot.rule && snapshot.rule->fittedBudget != first) {
        fitAt(snapshot.rule->fittedBudget);
        snapshot = computeSnapshot(evaluator, method, budget, trained);
    }
    return snapshot;
}

void printRule(const BudgetRule& rule, const SchedulerFile& file, const std::string& costUnit,
               std::ostream& out) {
    if (rule.isDefault())
        return;
    out << std::defaultfloat << std::setprecision(6) << "fitted at a per-sample budget of "
        << file.metrics["fitted_budget"].toDouble() << " " << costUnit;
    if (rule.guarantee > 0)
        out << "; with " << 100 * rule.guarantee << " % confidence the average cost on new data stays <= "
            << file.metrics["cost_upper_bound"].toDouble() << " "
            << (rule.serving ? file.servingUnit : costUnit) << " (margin "
            << file.metrics["margin"].toDouble() << ", " << std::fixed << std::setprecision(2)
            << file.metrics["accuracy_cost"].toDouble() << " pp of val accuracy)";
    out << "\n";
}

} // namespace

int runTrain(const QStringList& arguments, std::ostream& out, std::ostream&) {
    const Arguments args(arguments,
                         {QStringLiteral("budget"), QStringLiteral("out"), QStringLiteral("method"),
                          QStringLiteral("calibrate"), QStringLiteral("seed"), QStringLiteral("threads"),
                          kCostOption, kServingOption, kGuaranteeOption},
                         {QStringLiteral("reference"), QStringLiteral("json")},
                         usageOf(QStringLiteral("train")));
    const QString input = args.positional(0, QStringLiteral("FILE"));
    args.expectPositionals(1);
    const BudgetArgument budgetArgument = args.requiredBudget(QStringLiteral("budget"));
    const QString output = args.required(QStringLiteral("out"));
    const bool reference = args.flag(QStringLiteral("reference"));
    const QString methodName = args.value(
        QStringLiteral("method"), reference ? QStringLiteral("eenet-reference") : QStringLiteral("eenet"));
    const auto method = Method::parse(methodName.toStdString());
    if (!method || method->kind == Method::Kind::Oracle || method->kind == Method::Kind::Static)
        args.fail(QStringLiteral("--method must be a policy a deployment can run (eenet, eenet-opt, maxprob, "
                                 "maxprob-opt, entropy, ...), got '%1'")
                      .arg(methodName));

    EENetOptions options;
    options.seed = static_cast<std::uint64_t>(args.integer(QStringLiteral("seed")).value_or(0));
    options.threads = static_cast<int>(args.integer(QStringLiteral("threads")).value_or(1));
    const bool calibrate = wantsTemperatureScaling(args);
    const BudgetRule rule = budgetRuleArgument(args);
    checkWritableTarget(output);
    const auto predictions = withCostArgument(args, readPredictions(input.toStdString()));
    // The policy is fitted and evaluated on the calibrated probabilities; the file carries their
    // temperatures and is replayed on the model's own, as a runtime will feed it.
    const std::shared_ptr<const Predictions> fitted =
        calibrate ? calibrateByTemperature(*predictions).predictions : predictions;
    Evaluator evaluator(fitted, options, rule);
    const double budget = resolveRuleBudget(budgetArgument, evaluator);
    const std::string unit = budgetUnit(*predictions, rule);

    double fitSeconds = 0;
    const PolicySnapshot snapshot = trainedSnapshot(evaluator, *method, budget, fitSeconds);
    SchedulerFile file = schedulerFileFor(snapshot, *fitted, provenanceFor(*predictions, *method, options));
    file.metrics["train_seconds"] = fitSeconds;
    recordBudgetRule(file, rule, snapshot, *fitted);
    const ReplayReport replay = exportScheduler(output.toStdString(), file, snapshot, *predictions);

    if (args.flag(QStringLiteral("json"))) {
        QJsonObject json{{"scheduler", output},
                         {"policy", QString::fromStdString(file.policy)},
                         {"budget", budget},
                         {"budget_unit", QString::fromStdString(unit)},
                         {"calibration", calibrate ? "temperature" : "none"},
                         {"metrics", file.metrics},
                         {"replay", QString::fromStdString(replay.summary())}};
        addCostJson(json, *predictions, rule);
        if (calibrate)
            json["temperatures"] = numbersToJson(file.temperatures);
        out << QJsonDocument(json).toJson(QJsonDocument::Indented).toStdString();
        return kOk;
    }
    if (calibrate)
        out << calibrationLine(file.temperatures);
    out << ruleLine(*predictions, rule);
    out << "fitted " << method->name() << " for budget " << budget << " " << unit;
    if (budgetArgument.percent)
        out << " (" << budgetArgument.text.toStdString() << " of the full cost)";
    if (predictions->costModel != "costs")
        out << " in cost model " << predictions->costModel;
    if (fitSeconds > 0)
        out << " in " << std::setprecision(3) << fitSeconds << " s";
    out << "; saved " << output.toStdString() << "\n" << replay.summary() << "\n";
    printRule(rule, file, predictions->costUnit, out);
    for (const SplitPolicy& split : snapshot.splits) {
        // Under a serving mode the snapshot's cost is the serving cost: the per-sample one is recomputed.
        const std::vector<int>& exitOf = split.outcome.exitOf;
        printOutcome(
            splitName(split.split), evaluateAssignment(exitOf, *split.data), predictions->costUnit,
            rule.serving ? std::optional(servingFigure(*fitted, exitOf, *rule.serving)) : std::nullopt, out);
    }
    return kOk;
}

Split splitArgument(const Arguments& args, const Predictions& predictions, const QString& input) {
    const QString splitText = args.value(QStringLiteral("split"),
                                         predictions.test ? QStringLiteral("test") : QStringLiteral("val"));
    if (splitText != QLatin1String("val") && splitText != QLatin1String("test"))
        args.fail(QStringLiteral("--split must be val or test, got '%1'").arg(splitText));
    const Split split = splitText == QLatin1String("test") ? Split::Test : Split::Val;
    if (split == Split::Test && !predictions.test)
        throw Error(input.toStdString() + " has no test split (/test/probs)");
    return split;
}

int runApply(const QStringList& arguments, std::ostream& out, std::ostream&) {
    const Arguments args(arguments,
                         {QStringLiteral("split"), QStringLiteral("decisions"), kCostOption, kServingOption},
                         {QStringLiteral("json")}, usageOf(QStringLiteral("apply")));
    const QString schedulerPath = args.positional(0, QStringLiteral("SCHED"));
    const QString input = args.positional(1, QStringLiteral("FILE"));
    args.expectPositionals(2);
    checkApplyOrder(args, schedulerPath, input);
    if (args.has(QStringLiteral("decisions")))
        checkWritableTarget(args.value(QStringLiteral("decisions")));
    const std::optional<ServingMode> servingOption = servingArgument(args);

    const SchedulerFile file = describeScheduler(schedulerPath.toStdString());
    // Priced as the scheduler was fitted unless the user asks otherwise: its budget is in its cost model
    // and its serving mode.
    const auto predictions =
        withSchedulerCostModel(args, readPredictions(input.toStdString()), file.costModel, schedulerPath);
    const std::optional<ServingMode> serving = servingOption ? servingOption : file.serving;
    const Split split = splitArgument(args, *predictions, input);

    const std::vector<int> exits = writtenSchedulerExits(schedulerPath.toStdString(), *predictions, split);
    const ExitData data =
        makeExitData(*predictions, split == Split::Test ? *predictions->test : predictions->val);
    const PolicyOutcome outcome = evaluateAssignment(exits, data);
    const std::optional<ServingFigure> servingCost =
        serving ? std::optional(servingFigure(*predictions, exits, *serving)) : std::nullopt;
    if (args.has(QStringLiteral("decisions"))) {
        std::vector<int> predicted;
        for (int i = 0; i < data.numSamples; ++i)
            predicted.push_back(data.predictions(exits[static_cast<size_t>(i)], i));
        writeDecisions(args.value(QStringLiteral("decisions")), exits, predicted);
    }
    // The scheduler's budget: a cost per sample in its cost unit, or under its serving mode in that one's.
    const std::string budgetUnit =
        file.serving && !file.servingUnit.empty() ? file.servingUnit : file.costUnit;

    if (args.flag(QStringLiteral("json"))) {
        QJsonObject json = outcomeToJson(outcome);
        json["scheduler"] = schedulerPath;
        json["policy"] = QString::fromStdString(file.policy);
        json["file"] = input;
        json["split"] = QString::fromStdString(splitName(split));
        json["budget"] = file.scheduler.budget;
        json["budget_unit"] = QString::fromStdString(budgetUnit);
        json["scheduler_cost_model"] = QString::fromStdString(file.costModel);
        addCostJson(json, *predictions, BudgetRule{serving, file.guarantee});
        if (servingCost)
            json["serving_cost"] = servingCost->costPerSample;
        if (!file.temperatures.empty())
            json["temperatures"] = numbersToJson(file.temperatures);
        out << QJsonDocument(json).toJson(QJsonDocument::Indented).toStdString();
        return kOk;
    }
    out << "applied " << file.policy << " (budget " << file.scheduler.budget << " " << budgetUnit;
    if (file.serving)
        out << " under " << servingModeName(*file.serving);
    if (file.guarantee > 0)
        out << ", guaranteed with " << 100 * file.guarantee << " % confidence";
    if (file.costModel != "costs")
        out << ", cost model " << file.costModel;
    out << ") to " << input.toStdString();
    // --cost priced the decisions in another model than the scheduler's.
    if (predictions->costModel != file.costModel)
        out << " (" << costsText(*predictions) << ")";
    out << "\n";
    if (!file.temperatures.empty())
        out << calibrationLine(file.temperatures);
    printOutcome(splitName(split), outcome, predictions->costUnit, servingCost, out);
    return kOk;
}

} // namespace eenet::cli
