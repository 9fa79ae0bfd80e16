#include "eval/CalibrationSummary.h"

#include "Error.h"

namespace eenet {
namespace {

/// Exit `exit`'s metrics on `split` as it is and scaled by `temperature`. Each scaled row is made on the fly
/// (scaleRow, the floats temperatureScaled would store) and measured at once, so no scaled copy of the
/// probabilities is ever held: at 25,000 x 5 x 1000 that copy alone was 1 GB per split.
BeforeAfter beforeAfter(const SplitPredictions& split, int numClasses, int numExits, int exit,
                        double temperature) {
    checkCalibrationInput(split, numClasses, numExits);
    checkTemperature(temperature, "exit " + std::to_string(exit + 1) + ": ");
    CalibrationAccumulator before(numClasses);
    CalibrationAccumulator after(numClasses);
    std::vector<float> scaled(static_cast<size_t>(numClasses));
    std::vector<double> work;
    for (int i = 0; i < split.numSamples; ++i) {
        const float* row = split.row(numClasses, exit, i);
        const int label = split.labels[static_cast<size_t>(i)];
        before.add(row, label);
        scaleRowWith(row, numClasses, temperature, scaled.data(), work);
        after.add(scaled.data(), label);
    }
    return {before.metrics(), after.metrics()};
}

} // namespace

CalibrationSummary summarizeCalibration(const Predictions& predictions) {
    if (!predictions.temperatures.empty())
        throw ArgumentError(
            "temperature scaling: the probabilities were temperature-scaled already; scale the "
            "model's own probabilities instead");
    const std::vector<TemperatureFit> fits = fitTemperatures(predictions);
    const int classes = predictions.numClasses;
    const int exits = predictions.numExits;
    CalibrationSummary summary;
    for (int k = 0; k < exits; ++k) {
        const TemperatureFit& fit = fits[static_cast<size_t>(k)];
        ExitCalibration exit{fit, beforeAfter(predictions.val, classes, exits, k, fit.temperature),
                             std::nullopt};
        if (predictions.test)
            exit.test = beforeAfter(*predictions.test, classes, exits, k, fit.temperature);
        summary.exits.push_back(exit);
    }
    return summary;
}

} // namespace eenet
