#pragma once

// Temperature scaling (Guo et al., ICML 2017), one temperature per exit (docs/method.md section 8). A file
// holds probabilities, not logits, so log p serves as the logits: softmax(log p / T) ∝ p^(1/T), which is p
// itself at T = 1 and keeps every row's order of classes for any T > 0.

#include "data/Predictions.h"
#include "data/ProbabilityScaling.h"

#include <memory>
#include <string>
#include <vector>

namespace eenet {

/// The range the fitted temperature is searched in. An exit right on every validation sample keeps lowering
/// its NLL as T falls to 0, one that ranks the labels worse than chance as T grows without end: there the
/// fit stops at the edge and says so.
inline constexpr double kMinTemperature = 0.01;
inline constexpr double kMaxTemperature = 100;

/// Relative tolerance of the fit on β = 1/T: the search stops once a step or its bracket is below
/// 1e-12 · β, about where the NLL's rounding error hides its slope.
inline constexpr double kTemperatureTolerance = 1e-12;

struct TemperatureFit {
    double temperature = 1;
    /// True when the NLL still falls at kMinTemperature or kMaxTemperature: the best T lies beyond the range.
    bool atBound = false;
};

/// The NLL the fit minimises: the mean over the split's samples of −log softmax(flooredLog(p) / T)[label],
/// in double precision. Throws ArgumentError for an exit outside [0, K), a temperature that is not a
/// positive finite number, or a split checkCalibrationInput refuses.
double temperatureScaledNll(const SplitPredictions& split, int numClasses, int numExits, int exit,
                            double temperature);

/// The temperature of exit `exit` that minimises temperatureScaledNll on `split` (the validation split):
/// the NLL is convex in β = 1/T, so a safeguarded Newton iteration on its slope, bracketed and falling back
/// to bisection, finds the minimum to kTemperatureTolerance. Throws as temperatureScaledNll, and when the
/// probabilities hold NaN.
TemperatureFit fitTemperature(const SplitPredictions& split, int numClasses, int numExits, int exit);

/// fitTemperature for every exit on the validation split, in exit order.
std::vector<TemperatureFit> fitTemperatures(const Predictions& predictions);

/// The temperatures of `fits`, in the same order.
std::vector<double> temperaturesOf(const std::vector<TemperatureFit>& fits);

/// A copy of `predictions` whose every split has exit k's rows scaled by temperatures[k] (scaleRow, which
/// lives in data/ProbabilityScaling.h so that a deployed policy scales exactly alike) and whose
/// `temperatures` are `temperatures`; everything else (labels, costs, names, inputs, notes) is identical, so
/// every policy, curve and export can take it. Throws ArgumentError unless there are K temperatures, each
/// positive and finite, and when `predictions` were scaled already: scaling twice is not scaling once by
/// the product (the floats are rounded in between), so no single set of temperatures a scheduler could
/// carry would reproduce it.
Predictions temperatureScaled(const Predictions& predictions, const std::vector<double>& temperatures);

/// temperatureScaled, shared, with a load note that says so for the dataset view and reports: "probabilities
/// temperature-scaled per exit (`how`), T = 0.7695 ... for exits 1..K, fitted on the validation split".
std::shared_ptr<const Predictions> temperatureScaledCopy(const Predictions& predictions,
                                                         const std::vector<double>& temperatures,
                                                         const std::string& how);

/// "0.7695 0.7836 ...": the temperatures as the CLI and the load notes print them.
std::string temperaturesText(const std::vector<double>& temperatures);

} // namespace eenet
