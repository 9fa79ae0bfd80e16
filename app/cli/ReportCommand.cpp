#include "cli/ReportCommand.h"

#include "Error.h"
#include "cli/Arguments.h"
#include "cli/CalibrationOption.h"
#include "cli/CliCommands.h"
#include "cli/CostOptions.h"
#include "eval/TrainedScheduler.h"
#include "io/PredictionsReader.h"
#include "report/ReportContent.h"
#include "report/ReportWriter.h"

#include <QApplication>

#include <chrono>
#include <cmath>
#include <iomanip>

namespace eenet::cli {
namespace {

/// The methods the report can show (the studio's menu), for the help text and errors.
QString reportMethodNames() {
    QStringList names;
    for (const Method& method : snapshotMethods())
        names << QString::fromStdString(method.name());
    return names.join(QStringLiteral(", "));
}

/// The budgets EENet is fitted at: the report's when EENet is chosen or its curve asked for, and the
/// `curveFits` budgets of the curve.
std::vector<double> eenetBudgets(Evaluator& evaluator, const Method& method, double budget,
                                 long long curveFits) {
    std::vector<double> budgets;
    if (method.isLearned() || curveFits > 0)
        budgets.push_back(budget);
    if (curveFits > 0)
        for (double b : evaluator.sweepBudgets(static_cast<int>(curveFits)))
            if (b != budget)
                budgets.push_back(b);
    return budgets;
}

} // namespace

int runReport(const QStringList& arguments, std::ostream& out, std::ostream&) {
    const Arguments args(arguments,
                         {QStringLiteral("budget"), QStringLiteral("out"), QStringLiteral("method"),
                          QStringLiteral("eenet-curve"), QStringLiteral("calibrate"), QStringLiteral("seed"),
                          QStringLiteral("threads"), kCostOption},
                         {}, usageOf(QStringLiteral("report")));
    const QString input = args.positional(0, QStringLiteral("FILE"));
    args.expectPositionals(1);
    const BudgetArgument budgetArgument = args.requiredBudget(QStringLiteral("budget"));
    const QString output = args.required(QStringLiteral("out"));
    const QString methodName = args.value(QStringLiteral("method"), QStringLiteral("eenet"));
    const auto method = Method::parse(methodName.toStdString());
    if (!method || !isReportable(*method))
        args.fail(
            QStringLiteral("--method must be one of %1, got '%2'").arg(reportMethodNames(), methodName));
    const long long curveFits = args.integer(QStringLiteral("eenet-curve")).value_or(0);
    if (curveFits != 0 && (curveFits < 2 || curveFits > 100))
        args.fail(QStringLiteral("--eenet-curve needs 2 to 100 budgets (or 0 for none)"));
    const bool calibrate = wantsTemperatureScaling(args);
    if (!qobject_cast<QApplication*>(QCoreApplication::instance()))
        throw Error("report draws its charts with Qt Widgets and needs a QApplication");

    EENetOptions options;
    options.seed = static_cast<std::uint64_t>(args.integer(QStringLiteral("seed")).value_or(0));
    options.threads = static_cast<int>(args.integer(QStringLiteral("threads")).value_or(1));
    checkWritableTarget(output);
    auto predictions = withCostArgument(args, readPredictions(input.toStdString()));
    // Every method, chart and table of the report then sees the calibrated probabilities; the file section
    // lists the temperatures among the load notes.
    std::vector<double> temperatures;
    if (calibrate) {
        TemperatureCalibrated calibrated = calibrateByTemperature(*predictions);
        predictions = std::move(calibrated.predictions);
        temperatures = std::move(calibrated.temperatures);
    }
    const double budget = resolveBudget(budgetArgument, predictions->costs, predictions->costUnit);
    Evaluator evaluator(predictions, options);

    ReportRequest request{predictions, *method, budget, {}, {}, "eenet-cli " EENET_VERSION, {}};
    double fitSeconds = 0;
    for (double fitBudget : eenetBudgets(evaluator, *method, budget, curveFits)) {
        const EENetFit& fit = evaluator.eenetFit(fitBudget, false);
        fitSeconds += fit.trainSeconds;
        request.schedulers.push_back(
            std::make_shared<const TrainedScheduler>(describeFit(evaluator, fitBudget, fit)));
    }
    const size_t fits = request.schedulers.size();
    const auto start = std::chrono::steady_clock::now();
    const ReportContent content = collectReport(std::move(request));
    const qint64 bytes = writeReport(output, content);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    if (calibrate)
        out << calibrationLine(temperatures);
    out << "wrote " << output.toStdString() << " (" << (bytes + 512) / 1024 << " KB) in " << std::fixed
        << std::setprecision(1) << seconds << " s: " << method->name() << " at budget " << std::defaultfloat
        << std::setprecision(6) << budget << " " << predictions->costUnit;
    if (budgetArgument.percent)
        out << " (" << budgetArgument.text.toStdString() << " of the full cost)";
    if (predictions->costModel != "costs")
        out << " in cost model " << predictions->costModel;
    out << ", " << content.methods.size() << " methods compared";
    if (fits > 0)
        out << ", EENet fitted at " << fits << (fits == 1 ? " budget" : " budgets") << " in " << std::fixed
            << std::setprecision(1) << fitSeconds << " s";
    out << "\n";
    return kOk;
}

} // namespace eenet::cli
