#include "cli/SchedulerCommands.h"

#include "Error.h"
#include "cli/Arguments.h"
#include "cli/CalibrationOption.h"
#include "cli/CliCommands.h"
#include "eval/Evaluator.h"
#include "eval/ResultJson.h"
#include "eval/SchedulerExport.h"
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

void printOutcome(const std::string& label, const PolicyOutcome& outcome, const std::string& unit,
                  std::ostream& out) {
    out << std::fixed << std::setprecision(2) << label << ": accuracy " << outcome.accuracyPercent
        << " %, cost " << std::setprecision(4) << outcome.cost << " " << unit << ", exit fractions";
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

int runTrain(const QStringList& arguments, std::ostream& out, std::ostream&) {
    const Arguments args(arguments,
                         {QStringLiteral("budget"), QStringLiteral("out"), QStringLiteral("method"),
                          QStringLiteral("calibrate"), QStringLiteral("seed"), QStringLiteral("threads")},
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
    checkWritableTarget(output);
    const auto predictions = readPredictions(input.toStdString());
    const double budget = resolveBudget(budgetArgument, predictions->costs, predictions->costUnit);
    // The policy is fitted and evaluated on the calibrated probabilities; the file carries their
    // temperatures and is replayed on the model's own, as a runtime will feed it.
    const std::shared_ptr<const Predictions> fitted =
        calibrate ? calibrateByTemperature(*predictions).predictions : predictions;
    Evaluator evaluator(fitted, options);

    std::vector<std::shared_ptr<const TrainedScheduler>> trained;
    double fitSeconds = 0;
    if (method->isLearned()) {
        const bool referenceFit = method->kind == Method::Kind::EENetReference;
        const EENetFit& fit = evaluator.eenetFit(budget, referenceFit);
        fitSeconds = fit.trainSeconds;
        trained.push_back(std::make_shared<const TrainedScheduler>(describeFit(evaluator, budget, fit)));
    }
    const PolicySnapshot snapshot = computeSnapshot(evaluator, *method, budget, trained);
    SchedulerFile file = schedulerFileFor(snapshot, *fitted, provenanceFor(*predictions, *method, options));
    file.metrics["train_seconds"] = fitSeconds;
    const ReplayReport replay = exportScheduler(output.toStdString(), file, snapshot, *predictions);

    if (args.flag(QStringLiteral("json"))) {
        QJsonObject json{{"scheduler", output},     {"policy", QString::fromStdString(file.policy)},
                         {"budget", budget},        {"calibration", calibrate ? "temperature" : "none"},
                         {"metrics", file.metrics}, {"replay", QString::fromStdString(replay.summary())}};
        if (calibrate)
            json["temperatures"] = numbersToJson(file.temperatures);
        out << QJsonDocument(json).toJson(QJsonDocument::Indented).toStdString();
        return kOk;
    }
    if (calibrate)
        out << calibrationLine(file.temperatures);
    out << "fitted " << method->name() << " for budget " << budget << " " << predictions->costUnit;
    if (budgetArgument.percent)
        out << " (" << budgetArgument.text.toStdString() << " of the full cost)";
    if (fitSeconds > 0)
        out << " in " << std::setprecision(3) << fitSeconds << " s";
    out << "; saved " << output.toStdString() << "\n" << replay.summary() << "\n";
    for (const SplitPolicy& split : snapshot.splits)
        printOutcome(splitName(split.split), split.outcome, predictions->costUnit, out);
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
    const Arguments args(arguments, {QStringLiteral("split"), QStringLiteral("decisions")},
                         {QStringLiteral("json")}, usageOf(QStringLiteral("apply")));
    const QString schedulerPath = args.positional(0, QStringLiteral("SCHED"));
    const QString input = args.positional(1, QStringLiteral("FILE"));
    args.expectPositionals(2);
    checkApplyOrder(args, schedulerPath, input);
    if (args.has(QStringLiteral("decisions")))
        checkWritableTarget(args.value(QStringLiteral("decisions")));

    const SchedulerFile file = describeScheduler(schedulerPath.toStdString());
    const auto predictions = readPredictions(input.toStdString());
    const Split split = splitArgument(args, *predictions, input);

    const std::vector<int> exits = writtenSchedulerExits(schedulerPath.toStdString(), *predictions, split);
    const ExitData data =
        makeExitData(*predictions, split == Split::Test ? *predictions->test : predictions->val);
    const PolicyOutcome outcome = evaluateAssignment(exits, data);
    if (args.has(QStringLiteral("decisions"))) {
        std::vector<int> predicted;
        for (int i = 0; i < data.numSamples; ++i)
            predicted.push_back(data.predictions(exits[static_cast<size_t>(i)], i));
        writeDecisions(args.value(QStringLiteral("decisions")), exits, predicted);
    }

    if (args.flag(QStringLiteral("json"))) {
        QJsonObject json = outcomeToJson(outcome);
        json["scheduler"] = schedulerPath;
        json["policy"] = QString::fromStdString(file.policy);
        json["file"] = input;
        json["split"] = QString::fromStdString(splitName(split));
        json["budget"] = file.scheduler.budget;
        if (!file.temperatures.empty())
            json["temperatures"] = numbersToJson(file.temperatures);
        out << QJsonDocument(json).toJson(QJsonDocument::Indented).toStdString();
        return kOk;
    }
    out << "applied " << file.policy << " (budget " << file.scheduler.budget << " " << file.costUnit
        << ") to " << input.toStdString() << "\n";
    if (!file.temperatures.empty())
        out << calibrationLine(file.temperatures);
    printOutcome(splitName(split), outcome, predictions->costUnit, out);
    return kOk;
}

} // namespace eenet::cli
