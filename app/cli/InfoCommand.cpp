#include "cli/InfoCommand.h"

#include "cli/Arguments.h"
#include "cli/CliCommands.h"
#include "data/CostModels.h"
#include "data/DatasetSummary.h"
#include "io/PredictionsReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <iomanip>
#include <sstream>

namespace eenet::cli {
namespace {

std::string fixed(double value, int decimals) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(decimals) << value;
    return text.str();
}

std::string optionalFixed(const std::optional<double>& value, int decimals) {
    return value ? fixed(*value, decimals) : "-";
}

/// All class names when they fit on a line; otherwise the first and last few and the count (--json lists
/// all).
void printClasses(const std::vector<std::string>& names, std::ostream& out) {
    constexpr size_t kShownAtEachEnd = 5;
    const size_t count = names.size();
    const bool summarised = count > 3 * kShownAtEachEnd;
    out << "\nclasses:";
    for (size_t c = 0; c < count; ++c) {
        if (summarised && c == kShownAtEachEnd) {
            out << ", …";
            c = count - kShownAtEachEnd;
        }
        out << (c == 0 ? " " : ", ") << c << " " << names[c];
    }
    if (summarised)
        out << " (" << count << " classes; --json lists them all)";
    out << "\n";
}

/// One line: what the inputs are and which splits have them.
std::string inputsText(const DatasetSummary& s) {
    if (s.inputKind == InputKind::None)
        return "none";
    const bool val = !s.valInputShape.empty();
    const std::string text = describeInputs(s.inputKind, val ? s.valInputShape : s.testInputShape);
    if (s.numTest == 0)
        return text;
    return text + (!val ? " (test only)" : s.testInputShape.empty() ? " (val only)" : " (val and test)");
}

/// "costs (ms), flops (MFLOPs), gpu (ms)": the names `--cost` takes.
std::string costModelsText(const Predictions& predictions) {
    std::string text;
    for (const CostVector& model : costModels(predictions))
        text += (text.empty() ? "" : ", ") + model.name + " (" + model.unit + ")";
    return text;
}

/// "6 sizes, 1 to 32 (ms)", or "none": what a serving mode is simulated from.
std::string batchCostsText(const BatchCosts& batch) {
    if (batch.empty())
        return "none (a batch of b is assumed to cost b x c_k)";
    return std::to_string(batch.batchSizes.size()) + " batch sizes, " +
           std::to_string(batch.batchSizes.front()) + " to " + std::to_string(batch.batchSizes.back()) +
           " (" + batch.unit + ")";
}

/// The cost models and batch costs as JSON: {"name", "unit", "values"} per model; sizes, unit and the [K, B]
/// rows of the batch costs, or null.
void addCostModelsJson(QJsonObject& json, const Predictions& predictions) {
    QJsonArray models;
    for (const CostVector& model : costModels(predictions)) {
        QJsonArray values;
        for (double value : model.values)
            values.append(value);
        models.append(QJsonObject{{"name", QString::fromStdString(model.name)},
                                  {"unit", QString::fromStdString(model.unit)},
                                  {"values", values}});
    }
    json["cost_models"] = models;
    const BatchCosts& batch = predictions.batchCosts;
    if (batch.empty()) {
        json["batch_costs"] = QJsonValue();
        return;
    }
    QJsonArray sizes;
    for (int size : batch.batchSizes)
        sizes.append(size);
    QJsonArray rows;
    for (int k = 0; k < predictions.numExits; ++k) {
        QJsonArray row;
        for (size_t j = 0; j < batch.batchSizes.size(); ++j)
            row.append(batch.at(k, static_cast<int>(j)));
        rows.append(row);
    }
    json["batch_costs"] =
        QJsonObject{{"batch_sizes", sizes}, {"unit", QString::fromStdString(batch.unit)}, {"values", rows}};
}

void printText(const DatasetSummary& s, const Predictions& predictions, std::ostream& out) {
    out << "file:        " << s.sourcePath << "\n"
        << "model:       " << s.model << "\n"
        << "dataset:     " << s.dataset << "\n";
    if (!s.description.empty())
        out << "description: " << s.description << "\n";
    out << "exits (K):   " << s.numExits << "\n"
        << "classes (C): " << s.numClasses << "\n"
        << "val (N):     " << s.numVal << "\n"
        << "test (M):    " << (s.numTest > 0 ? std::to_string(s.numTest) : "none") << "\n"
        << "cost unit:   " << s.costUnit << "\n"
        << "cost models: " << costModelsText(predictions) << "\n"
        << "batch costs: " << batchCostsText(predictions.batchCosts) << "\n"
        << "inputs:      " << inputsText(s) << "\n";
    for (const std::string& note : s.loadNotes)
        out << "note:        " << note << "\n";

    size_t nameWidth = 4;
    for (const ExitSummary& e : s.exits)
        nameWidth = std::max(nameWidth, e.name.size());
    out << "\n"
        << std::left << std::setw(6) << "exit" << std::setw(static_cast<int>(nameWidth) + 2) << "name"
        << std::right << std::setw(12) << ("cost " + s.costUnit) << std::setw(10) << "MFLOPs" << std::setw(11)
        << "val acc%" << std::setw(11) << "test acc%"
        << "\n";
    for (size_t k = 0; k < s.exits.size(); ++k) {
        const ExitSummary& e = s.exits[k];
        out << std::left << std::setw(6) << (k + 1) << std::setw(static_cast<int>(nameWidth) + 2) << e.name
            << std::right << std::setw(12) << fixed(e.cost, 4) << std::setw(10) << optionalFixed(e.flops, 3)
            << std::setw(11) << fixed(e.valAccuracyPercent, 2) << std::setw(11)
            << optionalFixed(e.testAccuracyPercent, 2) << "\n";
    }
    printClasses(s.classNames, out);
}

} // namespace

int runInfo(const QStringList& arguments, std::ostream& out, std::ostream& err) {
    const Arguments args(arguments, {}, {QStringLiteral("json")}, usageOf(QStringLiteral("info")));
    const QString file = args.positional(0, QStringLiteral("FILE"));
    args.expectPositionals(1);
    const auto predictions = readPredictions(file.toStdString());
    const DatasetSummary summary = summarize(*predictions);
    if (args.flag(QStringLiteral("json"))) {
        QJsonObject json = toJson(summary);
        addCostModelsJson(json, *predictions);
        out << QJsonDocument(json).toJson(QJsonDocument::Indented).toStdString();
    } else {
        printText(summary, *predictions, out);
    }
    return kOk;
}

} // namespace eenet::cli
