#include "io/SessionFile.h"

#include "Error.h"
#include "eval/Method.h"
#include "io/AtomicFile.h"
#include "io/JsonFile.h"
#include "io/SchedulerFile.h"
#include "io/detail/ReaderLimits.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdint>

namespace eenet {
namespace {

constexpr const char* kFormat = "eenet-session";
constexpr int kVersion = 1;
/// Sessions hold a few dozen schedulers with their training histories: megabytes. Anything larger is
/// refused by its size, before a byte is read (docs/format.md, "Limits").
constexpr qint64 kMaxFileBytes = 256 * 1024 * 1024;

QJsonObject fitToJson(const SavedFit& saved) {
    // The scheduler in the deployment format (weights and the fitted thresholds, not lowered).
    SchedulerFile scheduler;
    scheduler.policy = "eenet";
    scheduler.scheduler = saved.fit.scheduler;
    scheduler.costs.assign(static_cast<size_t>(saved.fit.scheduler.numExits), 0.0);
    QJsonArray history;
    for (const TrainingProgress& p : saved.fit.history)
        history.append(
            QJsonArray{p.step, p.totalSteps, p.scorePhase, p.bceLoss, p.klLoss, p.costLoss, p.expectedCost});
    return QJsonObject{{"budget", saved.budget},
                       {"calibrated", saved.calibrated},
                       {"train_seconds", saved.fit.trainSeconds},
                       {"exit_distribution", numbersToJson(saved.fit.exitDistribution)},
                       {"scheduler", scheduler.toJson()},
                       {"history", history}};
}

SavedFit fitFromJson(const QJsonObject& json, const std::string& path, const std::string& where) {
    if (!json.value("budget").isDouble() || !json.value("exit_distribution").isArray() ||
        !json.value("scheduler").isObject())
        throw FormatError(path, where, "needs budget, exit_distribution and scheduler");
    SavedFit saved;
    saved.budget = json.value("budget").toDouble();
    if (!json.value("calibrated").isUndefined() && !json.value("calibrated").isBool())
        throw FormatError(path, where + "/calibrated", "must be true or false");
    saved.calibrated = json.value("calibrated").toBool(false);
    saved.fit.trainSeconds = json.value("train_seconds").toDouble();
    for (const QJsonValue& v : json.value("exit_distribution").toArray())
        saved.fit.exitDistribution.push_back(v.toDouble());
    const SchedulerFile scheduler = schedulerFromJson(
        QJsonDocument(json.value("scheduler").toObject()).toJson(QJsonDocument::Compact), path + " " + where);
    if (scheduler.score != DeployedPolicy::Score::EENet)
        throw FormatError(path, where + "/scheduler", "is not an EENet scheduler");
    saved.fit.scheduler = scheduler.scheduler;
    if (static_cast<int>(saved.fit.exitDistribution.size()) != saved.fit.scheduler.numExits)
        throw FormatError(path, where + "/exit_distribution", "needs one entry per exit");
    for (const QJsonValue& row : json.value("history").toArray()) {
        const QJsonArray v = row.toArray();
        if (v.size() != 7)
            throw FormatError(path, where + "/history", "rows need 7 values");
        saved.fit.history.push_back({v[0].toInt(), v[1].toInt(), v[2].toBool(), v[3].toDouble(),
                                     v[4].toDouble(), v[5].toDouble(), v[6].toDouble()});
    }
    return saved;
}

QJsonObject customToJson(const SavedCustomPolicy& custom) {
    QJsonArray thresholds;
    for (double t : custom.thresholds)
        thresholds.append(thresholdToJson(t));
    QJsonObject json{{"base", QString::fromStdString(custom.base)}, {"thresholds", thresholds}};
    if (custom.schedulerBudget)
        json["scheduler_budget"] = *custom.schedulerBudget;
    return json;
}

SavedCustomPolicy customFromJson(const QJsonValue& value, const std::vector<SavedFit>& fits, bool calibrated,
                                 const std::string& path) {
    if (!value.isObject())
        throw FormatError(path, "/custom", "method 'custom' needs its base and thresholds");
    const QJsonObject json = value.toObject();
    SavedCustomPolicy custom;
    custom.base = json.value("base").toString().toStdString();
    const auto base = Method::parse(custom.base);
    if (!base || !base->acceptsCustomThresholds())
        throw FormatError(path, "/custom/base", "'" + custom.base + "' has no thresholds to set by hand");
    const QJsonArray thresholds = json.value("thresholds").toArray();
    if (thresholds.size() < 2 || static_cast<std::uint64_t>(thresholds.size()) > limits::kMaxExits)
        throw FormatError(path, "/custom/thresholds",
                          "needs one threshold per exit, 2 to " + std::to_string(limits::kMaxExits));
    for (int k = 0; k < thresholds.size(); ++k) {
        const auto threshold = thresholdFromJson(thresholds[k]);
        if (!threshold)
            throw FormatError(path, "/custom/thresholds[" + std::to_string(k) + "]",
                              "must be a number, \"inf\" or \"-inf\"");
        custom.thresholds.push_back(*threshold);
    }
    if (base->isLearned()) {
        // Learned scores are those of one saved fit, found again by its budget.
        const QJsonValue budget = json.value("scheduler_budget");
        if (!budget.isDouble() || std::none_of(fits.begin(), fits.end(), [&](const SavedFit& fit) {
                return fit.budget == budget.toDouble() && fit.calibrated == calibrated;
            }))
            throw FormatError(path, "/custom/scheduler_budget", "must be the budget of a saved scheduler");
        custom.schedulerBudget = budget.toDouble();
    }
    return custom;
}

} // namespace

void writeSessionFile(const std::string& path, const SessionState& state) {
    QJsonArray fits;
    for (const SavedFit& fit : state.fits)
        fits.append(fitToJson(fit));
    QJsonObject root{
        {"format", kFormat},
        {"format_version", kVersion},
        {"input_file", QString::fromStdString(state.inputFile)},
        {"input_sha256", QString::fromStdString(state.inputSha256)},
        {"budget", state.budget},
        {"method", QString::fromStdString(state.method)},
        {"split", QString::fromStdString(splitName(state.split))},
        {"calibrated", state.calibrated},
        {"schedulers", fits},
        {"window", QJsonObject{{"geometry", QString::fromLatin1(state.windowGeometry.toBase64())},
                               {"state", QString::fromLatin1(state.windowState.toBase64())}}}};
    if (state.custom)
        root["custom"] = customToJson(*state.custom);
    if (!state.modelFile.empty())
        root["model"] = QString::fromStdString(state.modelFile);
    if (state.costModel != "costs")
        root["cost_model"] = QString::fromStdString(state.costModel);
    if (state.serving)
        root["serving"] = QString::fromStdString(servingModeName(*state.serving));
    if (state.guarantee > 0)
        root["guarantee"] = state.guarantee;
    writeFileAtomically(path, QJsonDocument(root).toJson(QJsonDocument::Indented));
}

SessionState readSessionFile(const std::string& path) {
    const QJsonObject root = parseJsonObject(readLimitedFile(path, kMaxFileBytes, "a session file"), path);
    if (root.value("format").toString() != QLatin1String(kFormat))
        throw FormatError(path, "/format", "expected '" + std::string(kFormat) + "'");
    if (root.value("format_version").toInt() != kVersion)
        throw FormatError(path, "/format_version", "unknown version; this tool reads version 1");
    SessionState state;
    state.inputFile = root.value("input_file").toString().toStdString();
    if (state.inputFile.empty())
        throw FormatError(path, "/input_file", "missing");
    state.inputSha256 = root.value("input_sha256").toString().toStdString();
    if (!root.value("budget").isDouble())
        throw FormatError(path, "/budget", "must be a number");
    state.budget = root.value("budget").toDouble();
    state.split = root.value("split").toString() == QLatin1String("val") ? Split::Val : Split::Test;
    if (!root.value("calibrated").isUndefined() && !root.value("calibrated").isBool())
        throw FormatError(path, "/calibrated", "must be true or false");
    state.calibrated = root.value("calibrated").toBool(false);
    const QJsonArray fits = root.value("schedulers").toArray();
    for (int i = 0; i < fits.size(); ++i)
        state.fits.push_back(fitFromJson(fits[i].toObject(), path, "/schedulers[" + std::to_string(i) + "]"));
    state.method = root.value("method").toString(QStringLiteral("maxprob")).toStdString();
    if (state.method == Method{Method::Kind::Custom}.name())
        state.custom = customFromJson(root.value("custom"), state.fits, state.calibrated, path);
    else if (!Method::parse(state.method))
        throw FormatError(path, "/method", "unknown method '" + state.method + "'");
    // Optional (sessions before "Run on model" have none), but when present a non-empty path.
    if (const QJsonValue model = root.value("model"); !model.isUndefined()) {
        if (!model.isString() || model.toString().isEmpty())
            throw FormatError(path, "/model", "must be the path of the attached model file");
        state.modelFile = model.toString().toStdString();
    }
    // Optional: sessions before cost models and serving rules have none.
    if (const QJsonValue model = root.value("cost_model"); !model.isUndefined()) {
        if (!model.isString() || model.toString().isEmpty())
            throw FormatError(path, "/cost_model", "must name one of the input file's cost models");
        state.costModel = model.toString().toStdString();
    }
    if (const QJsonValue serving = root.value("serving"); !serving.isUndefined()) {
        state.serving = parseServingMode(serving.toString().toStdString());
        if (!serving.isString() || !state.serving)
            throw FormatError(path, "/serving", "must be \"sample\", \"sync:B\" or \"compact:B\" (B >= 1)");
        if (state.serving->mode == RunMode::Sample)
            state.serving.reset();
    }
    if (const QJsonValue guarantee = root.value("guarantee"); !guarantee.isUndefined()) {
        if (!guarantee.isDouble() || !(guarantee.toDouble() > 0 && guarantee.toDouble() < 1))
            throw FormatError(path, "/guarantee", "must be a confidence between 0 and 1 (exclusive)");
        state.guarantee = guarantee.toDouble();
    }
    const QJsonObject window = root.value("window").toObject();
    state.windowGeometry = QByteArray::fromBase64(window.value("geometry").toString().toLatin1());
    state.windowState = QByteArray::fromBase64(window.value("state").toString().toLatin1());
    return state;
}

} // namespace eenet
