#include "eval/SchedulerExport.h"

#include "Error.h"
#include "eval/ResultJson.h"
#include "eval/ServingCost.h"
#include "io/TorchScriptPolicy.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <cstdio>
#include <unistd.h>

namespace eenet {
namespace {

bool isTorchScript(const std::string& path) {
    return QFileInfo(QString::fromStdString(path)).suffix().toLower() == QLatin1String("pt");
}

const SplitPredictions& splitOf(const Predictions& predictions, Split split) {
    if (split == Split::Val)
        return predictions.val;
    if (!predictions.test)
        throw ArgumentError(predictions.sourcePath + " has no test split (/test/probs)");
    return *predictions.test;
}

/// A scheduler applies its own temperatures: fed probabilities scaled already, it would scale them twice.
void refuseScaled(const Predictions& predictions) {
    if (!predictions.temperatures.empty())
        throw ArgumentError("a scheduler is replayed on the model's own probabilities; these were "
                            "temperature-scaled already (the scheduler applies its temperatures itself)");
}

DeployedPolicy::Score scoreOf(const PolicySnapshot& snapshot) {
    if (snapshot.scheduler)
        return DeployedPolicy::Score::EENet;
    // A custom policy runs on its base's scores.
    if (!snapshot.scoreMethod.acceptsCustomThresholds())
        throw ArgumentError("the " + snapshot.method +
                            " bound uses the labels; it is not a policy a deployment can run");
    return *parseScoreName(measureName(snapshot.scoreMethod.measure));
}

} // namespace

bool ReplayReport::identical() const {
    for (const SplitReplay& s : splits)
        if (s.identical != s.total)
            return false;
    return !splits.empty();
}

std::string ReplayReport::summary() const {
    std::string text = identical() ? "decisions identical on " : "decisions DIFFER: identical on ";
    for (size_t i = 0; i < splits.size(); ++i) {
        if (i > 0)
            text += " and ";
        text += std::to_string(splits[i].identical) + "/" + std::to_string(splits[i].total) + " " +
                splitName(splits[i].split);
    }
    return text + " samples";
}

namespace {

QJsonObject hyperParametersJson(const EENetOptions& o) {
    const bool reference = o.mode == EENetOptions::Mode::Reference;
    QJsonObject json{{"mode", reference ? "reference" : "corrected"},
                     {"hidden_rate", o.hiddenRate},
                     {"alpha_kl", o.alphaKl},
                     {"alpha_cost", o.alphaCost},
                     {"period", o.period}};
    // h's view of the class vector (method.md 3.3): h is not exported, but it shapes the fit.
    json["assign_all_classes_up_to"] = o.assignAllClassesUpTo;
    json["assign_top_classes"] = o.assignTopClasses;
    if (reference) {
        json["epochs"] = o.referenceEpochs;
        json["batch"] = o.referenceBatch;
        json["learning_rate"] = o.referenceLearningRate;
        json["weight_decay"] = o.referenceWeightDecay;
        json["restarts"] = o.referenceRestarts;
    } else {
        json["steps"] = o.steps;
        json["learning_rate_score"] = o.learningRateScore;
        json["learning_rate_assign"] = o.learningRateAssign;
        json["snapshot_every"] = o.snapshotEvery;
        json["snapshot_cost_tolerance"] = o.snapshotCostTolerance;
    }
    return json;
}

} // namespace

SchedulerProvenance provenanceFor(const Predictions& predictions, const Method& method,
                                  const EENetOptions& options) {
    SchedulerProvenance provenance;
    provenance.inputFile =
        QFileInfo(QString::fromStdString(predictions.sourcePath)).absoluteFilePath().toStdString();
    provenance.inputSha256 = sha256OfFile(predictions.sourcePath);
    provenance.seed = options.seed;
    switch (method.kind) {
    case Method::Kind::EENet:
    case Method::Kind::EENetOpt:
        provenance.hyperParameters = hyperParametersJson(options);
        break;
    case Method::Kind::EENetReference:
        provenance.hyperParameters = hyperParametersJson(EENetOptions::reference());
        break;
    case Method::Kind::HeuristicOpt:
        provenance.hyperParameters = QJsonObject{{"thresholds", "searched under the budget on validation"}};
        break;
    default:
        provenance.hyperParameters =
            QJsonObject{{"thresholds", "geometric exit distribution (MSDNet protocol) fitted on validation"}};
        break;
    }
    if (method.kind == Method::Kind::EENetOpt)
        provenance.hyperParameters["thresholds"] = "searched under the budget on validation";
    return provenance;
}

SchedulerFile schedulerFileFor(const PolicySnapshot& snapshot, const Predictions& predictions,
                               SchedulerProvenance provenance) {
    if (!snapshot.available)
        throw ArgumentError(snapshot.method + " cannot be exported: " + snapshot.note);
    SchedulerFile file;
    file.policy = snapshot.method;
    file.score = scoreOf(snapshot);
    if (snapshot.scheduler) {
        file.scheduler = snapshot.scheduler->fit.scheduler;
    } else {
        file.scheduler.numExits = predictions.numExits;
        file.scheduler.numClasses = predictions.numClasses;
    }
    file.scheduler.thresholds = exportThresholds(snapshot.thresholds);
    file.scheduler.budget = snapshot.budget;
    file.costs = predictions.costs;
    file.costUnit = predictions.costUnit;
    file.costModel = predictions.costModel;
    file.exitNames = predictions.exitNames;
    file.temperatures = predictions.temperatures;
    for (const SplitPolicy& split : snapshot.splits)
        file.metrics[QString::fromStdString(splitName(split.split))] = outcomeToJson(split.outcome);
    if (!snapshot.note.empty())
        file.metrics["note"] = QString::fromStdString(snapshot.note);
    if (snapshot.trainedBudget)
        file.metrics["trained_budget"] = *snapshot.trainedBudget;
    file.provenance = std::move(provenance);
    if (snapshot.isCustom()) {
        // Custom thresholds: the base's fit gave the scores only.
        file.provenance.hyperParameters["thresholds"] = "set by hand in the studio";
        file.provenance.hyperParameters["scores_of"] = QString::fromStdString(snapshot.scoreMethod.name());
    }
    return file;
}

void recordBudgetRule(SchedulerFile& file, const BudgetRule& rule, const PolicySnapshot& snapshot,
                      const Predictions& predictions) {
    if (rule.isDefault() || !snapshot.rule)
        return;
    const BudgetRuleEffect& effect = *snapshot.rule;
    file.scheduler.budget = snapshot.budget;
    file.metrics["fitted_budget"] = effect.fittedBudget;
    file.metrics["margin"] = effect.margin;
    std::optional<ServingCostModel> serving;
    if (rule.serving) {
        serving.emplace(predictions);
        file.serving = rule.serving;
        file.servingUnit = serving->unit();
    }
    for (const SplitPolicy& split : snapshot.splits) {
        const QString key = QString::fromStdString(splitName(split.split));
        QJsonObject figures = file.metrics.value(key).toObject();
        // A snapshot under a serving mode shows the serving cost as its cost; the file keeps both apart.
        figures["cost"] = evaluateAssignment(split.outcome.exitOf, *split.data).cost;
        if (serving)
            figures["serving_cost"] =
                serving->costPerSample(exitCounts(split.outcome.exitOf, predictions.numExits), *rule.serving);
        file.metrics[key] = figures;
    }
    if (rule.guarantee > 0) {
        file.guarantee = rule.guarantee;
        file.metrics["cost_upper_bound"] = effect.costUpperBound;
        file.metrics["accuracy_cost"] = effect.accuracyCost;
    }
}

std::vector<int> writtenSchedulerExits(const std::string& path, const Predictions& predictions, Split split) {
    refuseScaled(predictions);
    const SplitPredictions& data = splitOf(predictions, split);
    if (isTorchScript(path))
        return applyTorchScriptPolicy(path, data, predictions.numExits, predictions.numClasses);
    const SchedulerFile file = readSchedulerFile(path);
    if (file.scheduler.numExits != predictions.numExits ||
        file.scheduler.numClasses != predictions.numClasses)
        throw Error(path + ": the scheduler has " + std::to_string(file.scheduler.numExits) + " exits and " +
                    std::to_string(file.scheduler.numClasses) + " classes but " + predictions.sourcePath +
                    " has " + std::to_string(predictions.numExits) + " and " +
                    std::to_string(predictions.numClasses));
    return file.deployedPolicy().exits(data);
}

ReplayReport exportScheduler(const std::string& path, const SchedulerFile& file,
                             const PolicySnapshot& snapshot, const Predictions& modelPredictions) {
    refuseScaled(modelPredictions);
    const QFileInfo target(QString::fromStdString(path));
    // Beside the target, so the final rename stays on one file system and is atomic.
    const std::string partial = target.dir()
                                    .filePath(QStringLiteral(".%1.%2.partial.%3")
                                                  .arg(target.completeBaseName())
                                                  .arg(::getpid())
                                                  .arg(target.suffix()))
                                    .toStdString();
    try {
        if (isTorchScript(path))
            writeTorchScriptPolicy(partial, file.deployedPolicy(),
                                   QJsonDocument(file.toJson()).toJson(QJsonDocument::Compact).toStdString());
        else
            writeSchedulerFile(partial, file);
    } catch (const IoError& e) {
        // Under the target's name: the user never chose the temporary one.
        throw IoError(path, e.problem());
    }
    ReplayReport report;
    try {
        for (const SplitPolicy& split : snapshot.splits) {
            const std::vector<int> replayed = writtenSchedulerExits(partial, modelPredictions, split.split);
            ReplayReport::SplitReplay counts{split.split, 0, static_cast<int>(replayed.size()), -1};
            for (size_t i = 0; i < replayed.size(); ++i) {
                if (replayed[i] == split.outcome.exitOf[i])
                    ++counts.identical;
                else if (counts.firstDifference < 0)
                    counts.firstDifference = static_cast<int>(i);
            }
            report.splits.push_back(counts);
        }
    } catch (...) {
        QFile::remove(QString::fromStdString(partial));
        throw;
    }
    if (!report.identical()) {
        QFile::remove(QString::fromStdString(partial));
        for (const auto& s : report.splits)
            if (s.firstDifference >= 0)
                throw Error(path + ": not written, the reloaded scheduler disagrees with the studio (" +
                            report.summary() + "; first difference: " + splitName(s.split) + " sample " +
                            std::to_string(s.firstDifference) + ")");
    }
    if (std::rename(partial.c_str(), path.c_str()) != 0) {
        QFile::remove(QString::fromStdString(partial));
        throw IoError(path, "cannot replace the file");
    }
    return report;
}

} // namespace eenet
