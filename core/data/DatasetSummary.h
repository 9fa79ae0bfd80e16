#pragma once

#include "data/Predictions.h"

#include <QJsonObject>

#include <optional>
#include <string>
#include <vector>

namespace eenet {

struct ExitSummary {
    std::string name;
    double cost = 0;
    std::optional<double> flops;
    double valAccuracyPercent = 0;
    std::optional<double> testAccuracyPercent;
};

/// What the studio's dataset view and `eenet-cli info` show about a loaded file.
struct DatasetSummary {
    std::string sourcePath;
    std::string model;
    std::string dataset;
    std::string description;
    std::string costUnit;
    int numExits = 0;
    int numClasses = 0;
    int numVal = 0;
    /// 0 when the file has no test split.
    int numTest = 0;
    std::vector<ExitSummary> exits;
    std::vector<std::string> classNames;
    std::vector<std::string> loadNotes;
    /// What the splits' inputs hold; None when neither split has any.
    InputKind inputKind = InputKind::None;
    /// SampleInputs::shape() of each split's inputs; empty when that split has none.
    std::vector<int> valInputShape;
    std::vector<int> testInputShape;
};

DatasetSummary summarize(const Predictions& predictions);

/// The JSON form printed by `eenet-cli info --json` (documented in docs/cli.md).
QJsonObject toJson(const DatasetSummary& summary);

} // namespace eenet
