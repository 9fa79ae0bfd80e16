#include "cli/CompareCommand.h"

#include "Error.h"
#include "cli/Arguments.h"
#include "cli/CliCommands.h"
#include "cli/CostOptions.h"
#include "eval/PairedComparison.h"
#include "io/PredictionsReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <iomanip>
#include <sstream>

namespace eenet::cli {
namespace {

/// The two methods of `--methods A,B`: exactly two policies with a curve.
std::pair<Method, Method> parseMethods(const Arguments& args) {
    if (!args.has(QStringLiteral("methods")))
        args.fail(QStringLiteral("missing --methods A,B"));
    const QStringList names =
        args.value(QStringLiteral("methods")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (names.size() != 2)
        args.fail(QStringLiteral("--methods needs exactly two methods, A,B, got '%1'")
                      .arg(args.value(QStringLiteral("methods"))));
    std::vector<Method> methods;
    for (const QString& name : names) {
        const Method method = args.method(name);
        if (!method.needsBudget())
            args.fail(QStringLiteral("'%1' is each exit alone, points rather than a curve: compare two exit "
                                     "policies (each exit's accuracy is in eenet-cli info)")
                          .arg(name));
        methods.push_back(method);
    }
    return {methods[0], methods[1]};
}

QJsonObject toJson(const PairedComparison& c, const QString& file, const Predictions& predictions,
                   int sweep) {
    QJsonArray perBudget;
    for (const BudgetDifference& d : c.perBudget)
        perBudget.append(QJsonObject{{"budget", d.budget},
                                     {"a_cost", d.aCost},
                                     {"a_accuracy", d.aAccuracyPercent},
                                     {"b_accuracy_interpolated", d.bAccuracyPercent},
                                     {"delta_pp", d.deltaPp},
                                     {"se_pp", d.sePp}});
    QJsonArray leftOut;
    for (const LeftOutBudget& l : c.leftOut)
        leftOut.append(QJsonObject{{"budget", l.budget}, {"a_cost", l.aCost}});
    QJsonObject json{
        {"file", file},
        {"split", QStringLiteral("test")},
        {"methods", QJsonArray{QString::fromStdString(c.methodA), QString::fromStdString(c.methodB)}},
        {"num_samples", c.numSamples},
        {"sweep", sweep},
        {"budgets_used", static_cast<int>(c.perBudget.size())},
        {"end_budgets_skipped", c.endBudgetsSkipped},
        {"budgets_left_out", leftOut},
        {"b_cost_range", QJsonArray{c.bCostLow, c.bCostHigh}},
        {"mean_delta_pp", c.meanDeltaPp},
        {"se_pp", c.sePp},
        {"verdict", QString::fromStdString(c.verdict)},
        {"per_budget", perBudget},
    };
    addCostJson(json, predictions, {});
    return json;
}

/// A difference in pp with its sign, 3 decimals; one that rounds to zero shows no sign, so that no "-0.000"
/// suggests a direction.
std::string signedPp(double value) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(3) << value;
    const std::string digits = text.str();
    if (digits == "0.000" || digits == "-0.000")
        return "0.000";
    return value > 0 ? "+" + digits : digits;
}

std::string plural(size_t count, const char* noun) {
    return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

void printText(const PairedComparison& c, const QString& file, const Predictions& predictions,
               std::ostream& out) {
    const std::string& unit = predictions.costUnit;
    out << "file: " << file.toStdString() << " (" << costsText(predictions) << ")\n"
        << "A = " << c.methodA << ", B = " << c.methodB
        << ": A minus B in test accuracy at equal realised test cost (B's curve interpolated at A's cost),\n"
        << "paired over the " << c.numSamples << " test samples\n\n";
    out << std::right << std::setw(10) << ("budget " + unit) << std::setw(12) << ("A cost " + unit)
        << std::setw(9) << "A acc %" << std::setw(9) << "B acc %" << std::setw(10) << "delta pp"
        << std::setw(8) << "SE pp"
        << "\n"
        << std::fixed;
    for (const BudgetDifference& d : c.perBudget)
        out << std::setw(10) << std::setprecision(4) << d.budget << std::setw(12) << d.aCost << std::setw(9)
            << std::setprecision(2) << d.aAccuracyPercent << std::setw(9) << d.bAccuracyPercent
            << std::setw(10) << signedPp(d.deltaPp) << std::setw(8) << std::setprecision(3) << d.sePp << "\n";
    out << "\n";
    if (!c.leftOut.empty()) {
        out << "left out: " << plural(c.leftOut.size(), "budget") << " where " << c.methodA
            << "'s test cost lies outside " << c.methodB << "'s curve [" << std::setprecision(4) << c.bCostLow
            << ", " << c.bCostHigh << "] " << unit << ":";
        for (size_t i = 0; i < c.leftOut.size(); ++i)
            out << (i ? ", " : " ") << c.leftOut[i].budget << " (cost " << c.leftOut[i].aCost << ")";
        out << "\n";
    }
    out << "mean over " << plural(c.perBudget.size(), "budget") << ": " << signedPp(c.meanDeltaPp) << " ± "
        << std::setprecision(3) << c.sePp << " pp\n"
        << "verdict: " << c.verdict << "\n";
}

} // namespace

int runCompare(const QStringList& arguments, std::ostream& out, std::ostream&) {
    const Arguments args(arguments,
                         {QStringLiteral("methods"), QStringLiteral("sweep"), QStringLiteral("seed"),
                          QStringLiteral("threads"), kCostOption},
                         {QStringLiteral("json")}, usageOf(QStringLiteral("compare")));
    const QString file = args.positional(0, QStringLiteral("FILE"));
    args.expectPositionals(1);
    const auto [methodA, methodB] = parseMethods(args);
    const long long sweep = args.integer(QStringLiteral("sweep")).value_or(20);
    // The sweep's two ends are never compared (PairedComparison.h): at least one budget must lie between.
    if (sweep < 3 || sweep > 10000)
        args.fail(QStringLiteral("--sweep needs 3 to 10000 budgets"));
    EENetOptions options;
    options.seed = static_cast<std::uint64_t>(args.integer(QStringLiteral("seed")).value_or(0));
    options.threads = static_cast<int>(args.integer(QStringLiteral("threads")).value_or(1));

    const auto predictions = withCostArgument(args, readPredictions(file.toStdString()));
    Evaluator evaluator(predictions, options);
    if (!evaluator.hasTest())
        throw Error(
            file.toStdString() +
            " has no test split (/test/probs): compare measures accuracy on samples the policies were "
            "not fitted on, at the cost they realise there");
    std::vector<MethodResult> a;
    std::vector<MethodResult> b;
    for (double budget : evaluator.sweepBudgets(static_cast<int>(sweep))) {
        for (const MethodResult& r : evaluator.evaluate(methodA, budget, {Split::Test}))
            a.push_back(r);
        for (const MethodResult& r : evaluator.evaluate(methodB, budget, {Split::Test}))
            b.push_back(r);
    }
    const PairedComparison comparison = comparePaired(a, b, *evaluator.exitData(Split::Test));

    if (args.flag(QStringLiteral("json")))
        out << QJsonDocument(toJson(comparison, file, *predictions, static_cast<int>(sweep)))
                   .toJson(QJsonDocument::Indented)
                   .toStdString();
    else
        printText(comparison, file, *predictions, out);
    return kOk;
}

} // namespace eenet::cli
