#include "eval/CalibrationSummary.h"

namespace eenet {
namespace {

BeforeAfter beforeAfter(const SplitPredictions& before, const SplitPredictions& after, int numClasses,
                        int numExits, int exit) {
    return {calibrationOf(before, numClasses, numExits, exit),
            calibrationOf(after, numClasses, numExits, exit)};
}

} // namespace

CalibrationSummary summarizeCalibration(const Predictions& predictions) {
    const std::vector<TemperatureFit> fits = fitTemperatures(predictions);
    CalibrationSummary summary{{}, temperatureScaled(predictions, temperaturesOf(fits))};
    const int classes = predictions.numClasses;
    const int exits = predictions.numExits;
    for (int k = 0; k < exits; ++k) {
        ExitCalibration exit{fits[static_cast<size_t>(k)],
                             beforeAfter(predictions.val, summary.calibrated.val, classes, exits, k),
                             std::nullopt};
        if (predictions.test)
            exit.test = beforeAfter(*predictions.test, *summary.calibrated.test, classes, exits, k);
        summary.exits.push_back(exit);
    }
    return summary;
}

} // namespace eenet
