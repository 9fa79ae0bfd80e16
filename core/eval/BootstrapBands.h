#pragma once

#include "eval/Evaluator.h"
#include "policy/ExitData.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace eenet {

struct BootstrapOptions {
    /// At least kMinResamples: the 5th and 95th percentiles of fewer would rest on a handful of values.
    int resamples = 200;
    /// The same seed draws the same resamples for any curve of a split of the same size, so the bands of
    /// two methods are paired too.
    std::uint64_t seed = 0;
};

constexpr int kMinResamples = 200;

/// The 90 % band of one point of a curve: the 5th and 95th percentiles over the bootstrap resamples.
struct Band {
    double accuracyLowPercent = 0;
    double accuracyHighPercent = 0;
    double costLow = 0;
    double costHigh = 0;
};

/// A 90 % band for each point of an accuracy-cost curve (one result per budget, on the split `data`
/// describes), from a paired bootstrap over the split's samples: each resample draws N samples with
/// replacement, and every point of the curve is measured on the same resample (docs/method.md section 9).
/// Bands come back in the order of `curve`. Deterministic for a seed. Runs on any thread; `cancel`, when set,
/// stops it and throws CancelledError. Throws ArgumentError when a result does not give each of `data`'s
/// samples an exit or options.resamples < kMinResamples.
std::vector<Band> bootstrapBands(const std::vector<MethodResult>& curve, const ExitData& data,
                                 const BootstrapOptions& options = {},
                                 const std::atomic<bool>* cancel = nullptr);

/// Bands for results of several methods and splits, as `eenet-cli evaluate` lists them: each method's results
/// on one split form one curve, bootstrapped over that split's samples. One band per result, in the order of
/// `results`. A static exit ("exit-1", ...) is a curve of one point.
std::vector<Band> bootstrapBandsByCurve(const std::vector<MethodResult>& results, Evaluator& evaluator,
                                        const BootstrapOptions& options = {});

} // namespace eenet
