#pragma once

// The arithmetic of temperature scaling (docs/method.md section 8.2), below both its fit
// (eval/TemperatureScaling) and the deployed policy that applies an exported scheduler's temperatures
// (policy/DeployedPolicy): both must scale a row to the same floats.

#include "data/Predictions.h"

#include <limits>
#include <string>
#include <vector>

namespace eenet {

/// The smallest probability a log is taken of (docs/method.md section 8): the smallest normal float, 2^-126
/// ≈ 1.18e-38. A float32 softmax gives 0 once a logit trails the largest by about 87, and log of this floor
/// is −87.3, so a 0 (or a denormal) reads as "as unlikely as a float can say" instead of −inf.
inline constexpr double kProbabilityFloor = std::numeric_limits<float>::min();

/// log(max(p, kProbabilityFloor)): the one log of a probability that NLL and temperature scaling share.
double flooredLog(double probability);

/// Throws ArgumentError unless `temperature` is a positive finite number; `where` prefixes what the message
/// says about it ("exit 2: "), or is empty.
void checkTemperature(double temperature, const std::string& where);

/// The row's floored logs, shifted so the largest is 0 (exp never overflows), into `logs` (resized to C).
void shiftedFlooredLogs(const float* probs, int numClasses, std::vector<double>& logs);

/// One probability row scaled by `temperature` into `out` (C floats, apart from `probs`):
/// softmax(flooredLog(p) / T), computed in double and rounded to float. T = 1 copies the row unchanged. If
/// float rounding ties the row's largest probability with another one, it is raised by one float step, so
/// every exit's prediction stays what it was. Throws ArgumentError unless T is positive and finite.
void scaleRow(const float* probs, int numClasses, double temperature, float* out);

/// scaleRow with a caller's work buffer, for loops over many rows: the same floats, no allocation per row.
/// The caller checks the temperature (checkTemperature) once.
void scaleRowWith(const float* probs, int numClasses, double temperature, float* out,
                  std::vector<double>& work);

/// A copy of `split` whose exit k's rows are scaled by temperatures[k] (scaleRow); labels and inputs are
/// shared. Throws ArgumentError unless there are `numExits` positive finite temperatures and the split holds
/// [numExits, N, numClasses] probabilities.
SplitPredictions temperatureScaledSplit(const SplitPredictions& split, int numExits, int numClasses,
                                        const std::vector<double>& temperatures);

} // namespace eenet
