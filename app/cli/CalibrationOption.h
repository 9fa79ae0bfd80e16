#pragma once

#include "cli/Arguments.h"
#include "data/Predictions.h"

#include <memory>
#include <string>
#include <vector>

namespace eenet::cli {

/// `--calibrate temperature` (evaluate, report, train): true when given, false when absent; any other value
/// is wrong usage.
bool wantsTemperatureScaling(const Arguments& args);

/// Predictions whose every exit is scaled by a temperature fitted on their validation split.
struct TemperatureCalibrated {
    std::shared_ptr<const Predictions> predictions;
    std::vector<double> temperatures;
};

/// Fits the temperatures on `predictions`' validation split and scales both splits by them. The copy's load
/// notes say so, with the temperatures, so a report drawn from it shows it.
TemperatureCalibrated calibrateByTemperature(const Predictions& predictions);

/// The line the commands print about it: "calibration: temperature scaling fitted on val, T = 0.7695 ...
/// (exits 1..K)", with a newline.
std::string calibrationLine(const std::vector<double>& temperatures);

} // namespace eenet::cli
