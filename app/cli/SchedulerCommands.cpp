#include "cli/SchedulerCommands.h"

#include "Error.h"
#include "cli/Arguments.h"
#include "cli/CliCommands.h"
#include "eval/Evaluator.h"
#include "eval/ResultJson.h"
#include "io/PredictionsReader.h"
#include "io/SchedulerFile.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

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

void writeDecisions(const QString& path, const PolicyOutcome& outcome, const ExitData& data) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw IoError(path.toStdString(), "cannot write: " + file.errorString().toStdString());
    QByteArray csv = "index,exit,prediction\n";
    for (int i = 0; i < data.numSamples; ++i) {
        const int exit = outcome.exitOf[static_cast<size_t>(i)];
        csv += QByteArray::number(i) + ',' + QByteArray::number(exit) + ',' +
               QByteArray::number(data.predictions(exit, i)) + '\n';
    }
    if (file.write(csv) != csv.size() || !file.commit())
        throw IoError(path.toStdString(), "cannot write: " + file.errorString().toStdString());
}

} // namespace

int runTrain(const QStringList& arguments, std::ostream& out, std::ostream&) {
    const Arguments args(
        arguments,
        {QStringLiteral("budget"), QStringLiteral("out"), QStringLiteral("seed"), QStringLiteral("threads")},
        {QStringLiteral("reference"), QStringLiteral("json")},
        QStringLiteral("eenet-cli train FILE --budget B --out SCHED.json [--seed S] [--threads T] "
                       "[--reference] [--json]"));
    const QString input = args.positional(0, QStringLiteral("FILE"));
    args.expectPositionals(1);
    const auto budget = args.number(QStringLiteral("budget"));
    if (!budget)
        args.fail(QStringLiteral("missing --budget"));
    const QString output = args.value(QStringLiteral("out"));
    if (output.isEmpty())
        args.fail(QStringLiteral("missing --out"));

    EENetOptions options;
    options.seed = static_cast<std::uint64_t>(args.integer(QStringLiteral("seed")).value_or(0));
    options.threads = static_cast<int>(args.integer(QStringLiteral("threads")).value_or(1));
    const auto predictions = readPredictions(input.toStdString());
    Evaluator evaluator(predictions, options);
    const bool reference = args.flag(QStringLiteral("reference"));
    const Method method{reference ? Method::Kind::EENetReference : Method::Kind::EENet};
    const auto results = evaluator.evaluate(method, *budget,
                                            evaluator.hasTest() ? std::vector<Split>{Split::Val, Split::Test}
                                                                : std::vector<Split>{Split::Val});

    SchedulerFile file;
    file.policy = method.name();
    file.scheduler = evaluator.eenetFit(*budget, reference).scheduler;
    file.costs = predictions->costs;
    file.costUnit = predictions->costUnit;
    file.inputFile = QFileInfo(input).absoluteFilePath().toStdString();
    file.seed = options.seed;
    for (const MethodResult& r : results)
        file.metrics[QString::fromStdString(splitName(r.split))] = outcomeToJson(r.outcome);
    file.metrics["train_seconds"] = results.front().trainSeconds;
    writeSchedulerFile(output.toStdString(), file);

    if (args.flag(QStringLiteral("json"))) {
        out << QJsonDocument(
                   QJsonObject{{"scheduler", output}, {"budget", *budget}, {"metrics", file.metrics}})
                   .toJson(QJsonDocument::Indented)
                   .toStdString();
        return kOk;
    }
    out << "trained " << method.name() << " for budget " << *budget << " " << predictions->costUnit << " in "
        << std::setprecision(3) << results.front().trainSeconds << " s; saved " << output.toStdString()
        << "\n";
    for (const MethodResult& r : results)
        printOutcome(splitName(r.split), r.outcome, predictions->costUnit, out);
    return kOk;
}

int runApply(const QStringList& arguments, std::ostream& out, std::ostream&) {
    const Arguments args(
        arguments, {QStringLiteral("split"), QStringLiteral("decisions")}, {QStringLiteral("json")},
        QStringLiteral("eenet-cli apply SCHED.json FILE [--split val|test] [--decisions OUT.csv] [--json]"));
    const QString schedulerPath = args.positional(0, QStringLiteral("SCHED.json"));
    const QString input = args.positional(1, QStringLiteral("FILE"));
    args.expectPositionals(2);

    const SchedulerFile file = readSchedulerFile(schedulerPath.toStdString());
    const auto predictions = readPredictions(input.toStdString());
    const EENetScheduler& scheduler = file.scheduler;
    if (scheduler.numExits != predictions->numExits || scheduler.numClasses != predictions->numClasses)
        throw Error(schedulerPath.toStdString() + ": the scheduler has " +
                    std::to_string(scheduler.numExits) + " exits and " +
                    std::to_string(scheduler.numClasses) + " classes but " + input.toStdString() + " has " +
                    std::to_string(predictions->numExits) + " and " +
                    std::to_string(predictions->numClasses));
    const QString splitText = args.value(QStringLiteral("split"),
                                         predictions->test ? QStringLiteral("test") : QStringLiteral("val"));
    if (splitText != QLatin1String("val") && splitText != QLatin1String("test"))
        args.fail(QStringLiteral("--split must be val or test, got '%1'").arg(splitText));
    const bool test = splitText == QLatin1String("test");
    if (test && !predictions->test)
        throw Error(input.toStdString() + " has no test split (/test/probs)");
    const SplitPredictions& split = test ? *predictions->test : predictions->val;

    const ExitData data = makeExitData(*predictions, split);
    const PolicyOutcome outcome = evaluatePolicy(scheduler.scores(split), scheduler.thresholds, data);
    if (args.has(QStringLiteral("decisions")))
        writeDecisions(args.value(QStringLiteral("decisions")), outcome, data);

    if (args.flag(QStringLiteral("json"))) {
        QJsonObject json = outcomeToJson(outcome);
        json["scheduler"] = schedulerPath;
        json["file"] = input;
        json["split"] = splitText;
        json["budget"] = scheduler.budget;
        out << QJsonDocument(json).toJson(QJsonDocument::Indented).toStdString();
        return kOk;
    }
    out << "applied " << file.policy << " (budget " << scheduler.budget << " " << file.costUnit << ") to "
        << input.toStdString() << "\n";
    printOutcome(splitText.toStdString(), outcome, predictions->costUnit, out);
    return kOk;
}

} // namespace eenet::cli
