#pragma once

#include "data/Predictions.h"
#include "eval/Calibration.h"
#include "eval/TemperatureScaling.h"

#include <optional>
#include <vector>

namespace eenet {

/// One split's metrics of one exit before and after temperature scaling.
struct BeforeAfter {
    CalibrationMetrics before;
    CalibrationMetrics after;
};

/// What temperature scaling does to one exit.
struct ExitCalibration {
    TemperatureFit fit;
    BeforeAfter val;
    /// std::nullopt when the file has no test split.
    std::optional<BeforeAfter> test;
};

/// Temperatures fitted on the validation split and every exit's metrics before and after on each split:
/// what `eenet-cli calibrate` prints. The calibrated probabilities themselves are temperatureScaled's.
struct CalibrationSummary {
    std::vector<ExitCalibration> exits;
};

/// Fits one temperature per exit on `predictions`' validation split and measures both splits before and
/// after (the "after" figures are calibrationOf on temperatureScaled's probabilities, without making them).
/// Throws as fitTemperatures and calibrationOf, and as temperatureScaled when `predictions` were scaled
/// already.
CalibrationSummary summarizeCalibration(const Predictions& predictions);

} // namespace eenet
