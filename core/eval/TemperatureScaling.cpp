#include "eval/TemperatureScaling.h"

#include "Error.h"
#include "eval/Calibration.h"

#include <cmath>
#include <iomanip>
#include <sstream>
#include <string>

namespace eenet {
namespace {

/// A bound the safeguarded Newton iteration never reaches: every step is a bisection or less than half the
/// step before last, so steps at least halve every two iterations, and from a bracket of width 100 they fall
/// below 1e-12 relative within about 110.
constexpr int kMaxFitSteps = 200;

/// The NLL's first and second derivative in β = 1/T. With l_c = flooredLog(p_c) and q = softmax(β l), one
/// sample's NLL is log Σ_c exp(β l_c) − β l_label: its slope is E_q[l] − l_label and its curvature Var_q[l]
/// ≥ 0, so the mean NLL is convex in β.
struct NllSlope {
    double slope = 0;
    double curvature = 0;
};

void checkExit(int numExits, int exit) {
    if (exit < 0 || exit >= numExits)
        throw ArgumentError("temperature scaling: exit " + std::to_string(exit) + " outside [0, " +
                            std::to_string(numExits) + ")");
}

std::string exitPrefix(int exit) {
    return "exit " + std::to_string(exit + 1) + ": ";
}

NllSlope slopeAt(const SplitPredictions& split, int numClasses, int exit, double beta) {
    std::vector<double> logs;
    std::vector<double> weights(static_cast<size_t>(numClasses));
    NllSlope total;
    for (int i = 0; i < split.numSamples; ++i) {
        shiftedFlooredLogs(split.row(numClasses, exit, i), numClasses, logs);
        double sum = 0;
        double mean = 0;
        for (size_t c = 0; c < logs.size(); ++c) {
            weights[c] = std::exp(beta * logs[c]);
            sum += weights[c];
            mean += weights[c] * logs[c];
        }
        mean /= sum;
        // Two passes: Σ w (l − mean)² keeps the variance exact where Σ w l² − mean² would cancel.
        double variance = 0;
        for (size_t c = 0; c < logs.size(); ++c)
            variance += weights[c] * (logs[c] - mean) * (logs[c] - mean);
        total.slope += mean - logs[static_cast<size_t>(split.labels[static_cast<size_t>(i)])];
        total.curvature += variance / sum;
    }
    total.slope /= split.numSamples;
    total.curvature /= split.numSamples;
    return total;
}

} // namespace

double temperatureScaledNll(const SplitPredictions& split, int numClasses, int numExits, int exit,
                            double temperature) {
    checkCalibrationInput(split, numClasses, numExits);
    checkExit(numExits, exit);
    checkTemperature(temperature, exitPrefix(exit));
    const double beta = 1.0 / temperature;
    std::vector<double> logs;
    double nll = 0;
    for (int i = 0; i < split.numSamples; ++i) {
        shiftedFlooredLogs(split.row(numClasses, exit, i), numClasses, logs);
        double sum = 0;
        for (double l : logs)
            sum += std::exp(beta * l);
        nll += std::log(sum) - beta * logs[static_cast<size_t>(split.labels[static_cast<size_t>(i)])];
    }
    return nll / split.numSamples;
}

TemperatureFit fitTemperature(const SplitPredictions& split, int numClasses, int numExits, int exit) {
    checkCalibrationInput(split, numClasses, numExits);
    checkExit(numExits, exit);
    double low = 1.0 / kMaxTemperature;
    double high = 1.0 / kMinTemperature;
    const double slopeLow = slopeAt(split, numClasses, exit, low).slope;
    const double slopeHigh = slopeAt(split, numClasses, exit, high).slope;
    if (std::isnan(slopeLow) || std::isnan(slopeHigh))
        throw ArgumentError("temperature scaling: exit " + std::to_string(exit + 1) +
                            ": the probabilities hold NaN");
    if (slopeLow >= 0)
        return {kMaxTemperature, true};
    if (slopeHigh <= 0)
        return {kMinTemperature, true};

    // Numerical Recipes' rtsafe on the slope: a Newton step when it stays inside the bracket and shrinks
    // faster than bisection would, a bisection otherwise. The bracket [low, high] always holds the root.
    double beta = 1.0;
    double step = high - low;
    double stepBefore = step;
    for (int i = 0; i < kMaxFitSteps; ++i) {
        const NllSlope at = slopeAt(split, numClasses, exit, beta);
        if (at.slope == 0)
            break;
        (at.slope < 0 ? low : high) = beta;
        double next = 0.5 * (low + high);
        if (at.curvature > 0 && std::abs(2 * at.slope) <= std::abs(stepBefore * at.curvature)) {
            const double newton = beta - at.slope / at.curvature;
            if (newton > low && newton < high)
                next = newton;
        }
        stepBefore = step;
        step = beta - next;
        beta = next;
        if (std::abs(step) <= kTemperatureTolerance * beta || high - low <= kTemperatureTolerance * beta)
            break;
    }
    return {1.0 / beta, false};
}

std::vector<TemperatureFit> fitTemperatures(const Predictions& predictions) {
    std::vector<TemperatureFit> fits;
    for (int k = 0; k < predictions.numExits; ++k)
        fits.push_back(fitTemperature(predictions.val, predictions.numClasses, predictions.numExits, k));
    return fits;
}

std::vector<double> temperaturesOf(const std::vector<TemperatureFit>& fits) {
    std::vector<double> temperatures;
    for (const TemperatureFit& fit : fits)
        temperatures.push_back(fit.temperature);
    return temperatures;
}

Predictions temperatureScaled(const Predictions& predictions, const std::vector<double>& temperatures) {
    if (!predictions.temperatures.empty())
        throw ArgumentError(
            "temperature scaling: the probabilities were temperature-scaled already; scale the "
            "model's own probabilities instead");
    const int numExits = predictions.numExits;
    checkCalibrationInput(predictions.val, predictions.numClasses, numExits);
    if (predictions.test)
        checkCalibrationInput(*predictions.test, predictions.numClasses, numExits);
    // temperatureScaledSplit checks the temperatures.
    Predictions scaled = predictions;
    scaled.val = temperatureScaledSplit(predictions.val, numExits, predictions.numClasses, temperatures);
    if (predictions.test)
        scaled.test =
            temperatureScaledSplit(*predictions.test, numExits, predictions.numClasses, temperatures);
    scaled.temperatures = temperatures;
    return scaled;
}

std::string temperaturesText(const std::vector<double>& temperatures) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(4);
    for (size_t k = 0; k < temperatures.size(); ++k)
        text << (k ? " " : "") << temperatures[k];
    return text.str();
}

std::shared_ptr<const Predictions> temperatureScaledCopy(const Predictions& predictions,
                                                         const std::vector<double>& temperatures,
                                                         const std::string& how) {
    Predictions scaled = temperatureScaled(predictions, temperatures);
    scaled.loadNotes.push_back("probabilities temperature-scaled per exit (" + how +
                               "), T = " + temperaturesText(temperatures) + " for exits 1.." +
                               std::to_string(temperatures.size()) + ", fitted on the validation split");
    return std::make_shared<const Predictions>(std::move(scaled));
}

} // namespace eenet
