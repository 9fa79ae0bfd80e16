#include "cli/EvaluateCommand.h"

#include "cli/Arguments.h"
#include "cli/CalibrationOption.h"
#include "cli/CliCommands.h"
#include "cli/CostOptions.h"
#include "eval/BootstrapBands.h"
#include "eval/ResultJson.h"
#include "io/PredictionsReader.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace eenet::cli {
namespace {

const QString kDefaultMethods =
    QStringLiteral("eenet,eenet-opt,maxprob,entropy,patience,agreement,maxprob-opt,oracle,static");

std::string joined(const std::vector<double>& values, int decimals) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(decimals);
    for (size_t i = 0; i < values.size(); ++i)
        text << (i ? " " : "") << values[i];
    return text.str();
}

/// Under a rule, budgets are serving costs (`serving`) and the table adds each result's serving cost, and
/// with a guarantee the upper bound on the cost of new data.
void printTable(const std::vector<MethodResult>& results, const std::string& costUnit, const BudgetRule& rule,
                std::ostream& out) {
    // Wide enough for a long unit ("cost MFLOPs") to keep a space before it.
    const std::string costLabel = "cost " + costUnit;
    const int costWidth = std::max(10, static_cast<int>(costLabel.size()) + 2);
    out << std::left << std::setw(16) << "method" << std::right << std::setw(10) << "budget" << std::setw(6)
        << "split" << std::setw(10) << "acc %" << std::setw(costWidth) << costLabel;
    if (rule.serving)
        out << std::setw(10) << "serving";
    if (rule.guarantee > 0)
        out << std::setw(10) << "bound";
    out << std::setw(9) << "train s"
        << "  exit fractions\n";
    for (const MethodResult& r : results) {
        std::ostringstream budget;
        if (r.budget)
            budget << std::fixed << std::setprecision(4) << *r.budget;
        else
            budget << "-";
        out << std::left << std::setw(16) << r.method << std::right << std::setw(10) << budget.str()
            << std::setw(6) << splitName(r.split) << std::setw(10) << std::fixed << std::setprecision(2)
            << r.outcome.accuracyPercent << std::setw(costWidth) << std::setprecision(4) << r.outcome.cost;
        if (rule.serving)
            out << std::setw(10) << r.servingCost;
        if (rule.guarantee > 0) {
            std::ostringstream bound;
            if (r.rule && std::isfinite(r.rule->costUpperBound))
                bound << std::fixed << std::setprecision(4) << r.rule->costUpperBound;
            else
                bound << "-";
            out << std::setw(10) << bound.str();
        }
        out << std::setw(9) << std::setprecision(3) << r.trainSeconds << "  "
            << joined(r.outcome.exitFractions, 3) << "\n";
    }
}

std::vector<Split> parseSplits(const Arguments& args, bool hasTest) {
    const QString split =
        args.value(QStringLiteral("split"), hasTest ? QStringLiteral("both") : QStringLiteral("val"));
    if (split == QLatin1String("val"))
        return {Split::Val};
    if (split == QLatin1String("test"))
        return {Split::Test};
    if (split == QLatin1String("both"))
        return {Split::Val, Split::Test};
    args.fail(QStringLiteral("--split must be val, test or both, got '%1'").arg(split));
}

} // namespace

int runEvaluate(const QStringList& arguments, std::ostream& out, std::ostream&) {
    const Arguments args(arguments,
                         {QStringLiteral("methods"), QStringLiteral("budgets"), QStringLiteral("sweep"),
                          QStringLiteral("split"), QStringLiteral("calibrate"), QStringLiteral("seed"),
                          QStringLiteral("threads"), kCostOption, kServingOption, kGuaranteeOption},
                         {QStringLiteral("json"), QStringLiteral("bands")},
                         usageOf(QStringLiteral("evaluate")));
    const QString file = args.positional(0, QStringLiteral("FILE"));
    args.expectPositionals(1);
    if (args.flag(QStringLiteral("bands")) && !args.flag(QStringLiteral("json")))
        args.fail(QStringLiteral("--bands adds to the JSON: give --json too"));
    if (args.has(QStringLiteral("budgets")) && args.has(QStringLiteral("sweep")))
        args.fail(QStringLiteral("give --budgets or --sweep, not both"));

    std::vector<Method> methods;
    for (const QString& name :
         args.value(QStringLiteral("methods"), kDefaultMethods).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        methods.push_back(args.method(name));
    }
    const long long sweep = args.integer(QStringLiteral("sweep")).value_or(20);
    if (sweep < 2 || sweep > 10000)
        args.fail(QStringLiteral("--sweep needs 2 to 10000 budgets"));
    EENetOptions options;
    options.seed = static_cast<std::uint64_t>(args.integer(QStringLiteral("seed")).value_or(0));
    options.threads = static_cast<int>(args.integer(QStringLiteral("threads")).value_or(1));
    const std::vector<BudgetArgument> budgetArguments = args.budgetList(QStringLiteral("budgets"));
    const bool calibrate = wantsTemperatureScaling(args);
    const BudgetRule rule = budgetRuleArgument(args);

    auto predictions = withCostArgument(args, readPredictions(file.toStdString()));
    // Every method then sees only the calibrated probabilities: fitted on val like the policies themselves.
    std::vector<double> temperatures;
    if (calibrate) {
        TemperatureCalibrated calibrated = calibrateByTemperature(*predictions);
        predictions = std::move(calibrated.predictions);
        temperatures = std::move(calibrated.temperatures);
    }
    Evaluator evaluator(predictions, options, rule);
    const std::vector<Split> splits = parseSplits(args, evaluator.hasTest());
    std::vector<double> budgets;
    for (const BudgetArgument& budget : budgetArguments)
        budgets.push_back(resolveRuleBudget(budget, evaluator));
    if (!args.has(QStringLiteral("budgets")))
        budgets = evaluator.sweepBudgets(static_cast<int>(sweep));

    std::vector<MethodResult> results;
    for (const Method& method : methods) {
        if (!method.needsBudget()) {
            const auto r = evaluator.evaluate(method, std::nullopt, splits);
            results.insert(results.end(), r.begin(), r.end());
            continue;
        }
        for (double budget : budgets) {
            const auto r = evaluator.evaluate(method, budget, splits);
            results.insert(results.end(), r.begin(), r.end());
        }
    }

    if (args.flag(QStringLiteral("json"))) {
        // Each method's results on a split are one curve, bootstrapped over that split's samples.
        const std::vector<Band> bands = args.flag(QStringLiteral("bands"))
                                            ? bootstrapBandsByCurve(results, evaluator)
                                            : std::vector<Band>();
        QJsonArray array;
        for (size_t i = 0; i < results.size(); ++i) {
            QJsonObject result = toJson(results[i]);
            if (!bands.empty()) {
                result["band_low"] = bands[i].accuracyLowPercent;
                result["band_high"] = bands[i].accuracyHighPercent;
                result["cost_band_low"] = bands[i].costLow;
                result["cost_band_high"] = bands[i].costHigh;
            }
            array.append(result);
        }
        QJsonObject root{
            {"file", file}, {"calibration", calibrate ? "temperature" : "none"}, {"results", array}};
        addCostJson(root, *predictions, rule);
        if (calibrate)
            root["temperatures"] =
                QJsonArray::fromVariantList(QVariantList(temperatures.begin(), temperatures.end()));
        out << QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
    } else {
        out << "file: " << file.toStdString() << " (" << costsText(*predictions) << ")\n"
            << ruleLine(*predictions, rule);
        if (calibrate)
            out << calibrationLine(temperatures);
        out << "\n";
        printTable(results, predictions->costUnit, rule, out);
    }
    return kOk;
}

} // namespace eenet::cli
