#include "cli/CalibrateCommand.h"

#include "cli/Arguments.h"
#include "cli/CliCommands.h"
#include "eval/CalibrationSummary.h"
#include "io/PredictionsReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace eenet::cli {
namespace {

QJsonObject metricsJson(const CalibrationMetrics& m) {
    return {{"ece", m.ece}, {"mce", m.mce}, {"nll", m.nll}, {"brier", m.brier}};
}

/// {"val": {...}, "test": {...} or null} of one side (before or after) of one exit.
QJsonObject sideJson(const ExitCalibration& exit, CalibrationMetrics BeforeAfter::*side) {
    return {{"val", metricsJson(exit.val.*side)},
            {"test", exit.test ? QJsonValue(metricsJson((*exit.test).*side)) : QJsonValue()}};
}

QJsonObject toJson(const QString& file, const Predictions& predictions, const CalibrationSummary& summary) {
    QJsonArray exits;
    for (size_t k = 0; k < summary.exits.size(); ++k) {
        const ExitCalibration& exit = summary.exits[k];
        exits.append(QJsonObject{{"exit", static_cast<int>(k) + 1},
                                 {"name", QString::fromStdString(predictions.exitNames[k])},
                                 {"temperature", exit.fit.temperature},
                                 {"temperature_at_bound", exit.fit.atBound},
                                 {"before", sideJson(exit, &BeforeAfter::before)},
                                 {"after", sideJson(exit, &BeforeAfter::after)}});
    }
    return {{"file", file}, {"reliability_bins", kReliabilityBins}, {"exits", exits}};
}

std::string fixed(double value, int decimals) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(decimals) << value;
    return text.str();
}

/// One split's row of the table: the four metrics, each before and after.
std::string metricsRow(const BeforeAfter& split) {
    std::ostringstream row;
    const auto pair = [&](double before, double after) {
        row << std::setw(9) << fixed(before, 4) << std::setw(8) << fixed(after, 4);
    };
    pair(split.before.ece, split.after.ece);
    pair(split.before.mce, split.after.mce);
    pair(split.before.nll, split.after.nll);
    pair(split.before.brier, split.after.brier);
    return row.str();
}

void printText(const QString& file, const Predictions& predictions, const CalibrationSummary& summary,
               std::ostream& out) {
    size_t nameWidth = 4;
    for (const std::string& name : predictions.exitNames)
        nameWidth = std::max(nameWidth, name.size());
    const int lead = 6 + static_cast<int>(nameWidth) + 2 + 9 + 7;
    out << "file: " << file.toStdString() << "\n"
        << "temperature scaling: one T per exit, fitted on val by minimising NLL; ECE and MCE over "
        << kReliabilityBins << " equal-width\nconfidence bins, as fractions (0..1)\n\n";
    out << std::string(static_cast<size_t>(lead), ' ') << "        ECE             MCE             NLL"
        << "           Brier\n"
        << std::left << std::setw(6) << "exit" << std::setw(static_cast<int>(nameWidth) + 2) << "name"
        << std::right << std::setw(9) << "T"
        << "  " << std::left << std::setw(5) << "split" << std::right;
    for (int metric = 0; metric < 4; ++metric)
        out << std::setw(9) << "before" << std::setw(8) << "after";
    out << "\n";
    for (size_t k = 0; k < summary.exits.size(); ++k) {
        const ExitCalibration& exit = summary.exits[k];
        out << std::left << std::setw(6) << (k + 1) << std::setw(static_cast<int>(nameWidth) + 2)
            << predictions.exitNames[k] << std::right << std::setw(9) << fixed(exit.fit.temperature, 4)
            << "  " << std::left << std::setw(5) << "val" << std::right << metricsRow(exit.val) << "\n";
        if (exit.test)
            out << std::string(static_cast<size_t>(lead - 5), ' ') << std::left << std::setw(5) << "test"
                << std::right << metricsRow(*exit.test) << "\n";
    }
    for (size_t k = 0; k < summary.exits.size(); ++k)
        if (summary.exits[k].fit.atBound)
            out << "note: exit " << (k + 1)
                << "'s validation NLL still falls at T = " << summary.exits[k].fit.temperature
                << ", the edge of the range searched [" << kMinTemperature << ", " << kMaxTemperature
                << "]; its best temperature lies beyond\n";
}

} // namespace

int runCalibrate(const QStringList& arguments, std::ostream& out, std::ostream&) {
    const Arguments args(arguments, {}, {QStringLiteral("json")}, usageOf(QStringLiteral("calibrate")));
    const QString file = args.positional(0, QStringLiteral("FILE"));
    args.expectPositionals(1);
    const auto predictions = readPredictions(file.toStdString());
    const CalibrationSummary summary = summarizeCalibration(*predictions);
    if (args.flag(QStringLiteral("json")))
        out << QJsonDocument(toJson(file, *predictions, summary))
                   .toJson(QJsonDocument::Indented)
                   .toStdString();
    else
        printText(file, *predictions, summary, out);
    return kOk;
}

} // namespace eenet::cli
