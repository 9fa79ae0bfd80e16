#pragma once

#include "eval/ServingMode.h"
#include "policy/DeployedPolicy.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace eenet {

/// Where a scheduler came from, so a deployment can trace it back to its data and settings.
struct SchedulerProvenance {
    std::string inputFile;
    /// SHA-256 of the predictions file it was fitted on (hex).
    std::string inputSha256;
    std::uint64_t seed = 0;
    /// EENet's training settings, or the heuristic's threshold protocol.
    QJsonObject hyperParameters;
    /// Filled in when written: the tool and its version, and the UTC time.
    std::string tool;
    std::string created;
};

/// Scheduler JSON v1 (docs/deploy.md): any exit policy a deployment can run — EENet's learned scores or a
/// heuristic score — with its thresholds, costs, budget, fit-time metrics and provenance, the per-exit
/// temperatures when it was fitted on temperature-scaled probabilities, the cost model its costs and budget
/// are in, and the budget rule (serving mode, guarantee) it was fitted under. Infinite thresholds are written
/// as "inf" / "-inf".
struct SchedulerFile {
    /// The method it was exported from: "eenet", "eenet-opt", "maxprob", "maxprob-opt", ...
    std::string policy = "eenet";
    DeployedPolicy::Score score = DeployedPolicy::Score::EENet;
    /// Shape, thresholds and budget for every score type; the weights only for EENet.
    EENetScheduler scheduler;
    std::vector<double> costs;
    std::string costUnit;
    /// The predictions file's cost vector `costs` came from (core/data/CostModels.h): "costs", "flops" or an
    /// /exits/extra_costs name. Files written before cost models existed have no "cost_model": "costs".
    std::string costModel = "costs";
    /// The serving mode the budget was met under (`budget` is then a cost per sample in `servingUnit`);
    /// std::nullopt when the budget bounds the per-sample cost in `costUnit`. Written only when set.
    std::optional<ServingMode> serving;
    /// The unit of `budget` under `serving` (the serving cost model's unit); empty without `serving`.
    std::string servingUnit;
    /// The confidence that the average cost on new data stays within the budget (0 < guarantee < 1); 0 when
    /// the budget holds on val only. Written only when set.
    double guarantee = 0;
    std::vector<std::string> exitNames;
    /// The per-exit temperatures a runtime scales the model's own probabilities by before scoring them
    /// (docs/deploy.md); empty when the policy was fitted on the model's own probabilities. Written as
    /// "temperatures" only when not empty.
    std::vector<double> temperatures;
    /// Validation / test figures at fit time, as printed by the CLI (under a budget rule also each split's
    /// serving_cost and the rule's fitted_budget, cost_upper_bound, margin and accuracy_cost).
    QJsonObject metrics;
    SchedulerProvenance provenance;

    /// The policy as a deployment runs it.
    DeployedPolicy deployedPolicy() const;
    /// The whole file as JSON (also the metadata of a TorchScript scheduler).
    QJsonObject toJson() const;
};

/// Writes atomically (temporary file + rename); an existing file stays intact on failure. Throws IoError.
void writeSchedulerFile(const std::string& path, const SchedulerFile& file);

/// Throws IoError (cannot read) or FormatError (names the JSON key and the problem). The optional keys
/// cost_model, serving, serving_unit and guarantee are checked strictly when present.
SchedulerFile readSchedulerFile(const std::string& path);
/// Parses the JSON of a scheduler read from `path` (for messages).
SchedulerFile schedulerFromJson(const QByteArray& json, const std::string& path);

/// True for a name a cost model can have: "costs", "flops", or an HDF5 link name under /exits/extra_costs
/// (1 to 256 characters, no '/' and no control characters, not "." or "..").
bool isCostModelName(const std::string& name);

/// A JSON array of finite numbers.
QJsonArray numbersToJson(const std::vector<double>& values);

/// JSON number for a threshold: finite values as numbers, infinities as "inf" / "-inf".
QJsonValue thresholdToJson(double threshold);
/// The threshold thresholdToJson wrote: a number, "inf" or "-inf"; std::nullopt for anything else.
std::optional<double> thresholdFromJson(const QJsonValue& value);

/// Hex SHA-256 of a file's bytes. Throws IoError when it cannot be read.
std::string sha256OfFile(const std::string& path);

} // namespace eenet
