#include "eval/TemperatureScaling.h"

#include "Error.h"
#include "eval/Calibration.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iomanip>
#include <sstream>
#include <string>
#include <utility>

namespace eenet {
namespace {

/// A bound only a pathological slope reaches: Newton converges quadratically near the root and each
/// bisection halves the bracket, so fits take 5 to 10 slopes (from a bracket of width 100, bisection alone
/// would reach 1e-12 relative within about 50).
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

/// Past this many bytes an exit's logs are taken again on every pass of the fit instead of being kept
/// (25,000 samples x 1000 classes keep 200 MB).
constexpr size_t kLogCacheBytes = size_t{512} << 20;

/// From this many validation samples on, the fit first finds the root on every (N / kWarmStartSamples)-th
/// sample (at least kWarmStartSamples of them) and starts from there on all: the root of that subsample is
/// within a few percent, so Newton on all samples needs about 4 slopes instead of 7 to 10 from β = 1.
constexpr int kWarmStartSamples = 2048;

/// One exit's rows as the fit reads them, every `stride`-th sample: shiftedFlooredLogs of each. Every pass
/// of the fit reads all of them, and a log costs about as much as the exp each pass needs anyway, so they
/// are computed once and kept while they fit in kLogCacheBytes.
class ExitLogs {
public:
    ExitLogs(const SplitPredictions& split, int numClasses, int exit, int stride)
        : m_split(split)
        , m_numClasses(numClasses)
        , m_exit(exit)
        , m_stride(stride)
        , m_count((split.numSamples + stride - 1) / stride) {
        const size_t values = static_cast<size_t>(m_count) * static_cast<size_t>(numClasses);
        if (values * sizeof(double) > kLogCacheBytes)
            return;
        m_logs.resize(values);
        std::vector<double> row;
        for (int j = 0; j < m_count; ++j) {
            shiftedFlooredLogs(split.row(numClasses, exit, sample(j)), numClasses, row);
            std::copy(row.begin(), row.end(), m_logs.begin() + static_cast<std::ptrdiff_t>(offset(j)));
        }
    }

    /// How many samples it reads.
    int count() const { return m_count; }
    /// The j-th sample it reads.
    int sample(int j) const { return j * m_stride; }
    /// That sample's C logs; `work` holds them when they are not kept.
    const double* row(int j, std::vector<double>& work) const {
        if (!m_logs.empty())
            return m_logs.data() + offset(j);
        shiftedFlooredLogs(m_split.row(m_numClasses, m_exit, sample(j)), m_numClasses, work);
        return work.data();
    }
    int label(int j) const { return m_split.labels[static_cast<size_t>(sample(j))]; }

private:
    size_t offset(int j) const { return static_cast<size_t>(j) * static_cast<size_t>(m_numClasses); }

    const SplitPredictions& m_split;
    const int m_numClasses;
    const int m_exit;
    const int m_stride;
    const int m_count;
    std::vector<double> m_logs;
};

NllSlope slopeAt(const ExitLogs& exitLogs, int numClasses, double beta) {
    std::vector<double> work;
    std::vector<double> weights(static_cast<size_t>(numClasses));
    NllSlope total;
    for (int j = 0; j < exitLogs.count(); ++j) {
        const double* logs = exitLogs.row(j, work);
        double sum = 0;
        double mean = 0;
        for (int c = 0; c < numClasses; ++c) {
            weights[static_cast<size_t>(c)] = std::exp(beta * logs[c]);
            sum += weights[static_cast<size_t>(c)];
            mean += weights[static_cast<size_t>(c)] * logs[c];
        }
        mean /= sum;
        // Two passes: Σ w (l − mean)² keeps the variance exact where Σ w l² − mean² would cancel.
        double variance = 0;
        for (int c = 0; c < numClasses; ++c)
            variance += weights[static_cast<size_t>(c)] * (logs[c] - mean) * (logs[c] - mean);
        total.slope += mean - logs[exitLogs.label(j)];
        total.curvature += variance / sum;
    }
    total.slope /= exitLogs.count();
    total.curvature /= exitLogs.count();
    return total;
}

/// The root of the NLL's slope in β ∈ [1/kMaxTemperature, 1/kMinTemperature], from `beta`, or the end of the
/// range the NLL still falls towards. The slope rises with β (the NLL is convex): a negative slope anywhere
/// rules out a minimum below the range, a positive one a minimum above it, and where the iteration converges
/// to a root inside the range neither end needs a look. An end is looked at only when Newton heads for it
/// without converging (it leaves the bracket, or its step does not halve), or when the slope is exactly 0
/// (a file whose every row is uniform has a flat NLL).
/// Throws when the probabilities hold NaN (the slope is then NaN at every β).
TemperatureFit rootOfSlope(const ExitLogs& logs, int numClasses, int exit, double beta) {
    auto slope = [&](double at) { return slopeAt(logs, numClasses, at); };
    const double lowEnd = 1.0 / kMaxTemperature;
    const double highEnd = 1.0 / kMinTemperature;
    double low = lowEnd;
    double high = highEnd;
    NllSlope at = slope(beta);
    if (std::isnan(at.slope))
        throw ArgumentError("temperature scaling: exit " + std::to_string(exit + 1) +
                            ": the probabilities hold NaN");
    // Whether the NLL still falls at T = kMaxTemperature (β = lowEnd) or at kMinTemperature; each end is
    // looked at once at most, and not at all once a slope of the other sign was seen (low or high moved).
    bool lowEndSeen = false;
    bool highEndSeen = false;
    auto fallsAtLowEnd = [&] {
        if (low != lowEnd || std::exchange(lowEndSeen, true))
            return false;
        return slope(lowEnd).slope >= 0;
    };
    auto fallsAtHighEnd = [&] {
        if (high != highEnd || std::exchange(highEndSeen, true))
            return false;
        return slope(highEnd).slope <= 0;
    };

    // Safeguarded Newton on the slope: the Newton step whenever it stays inside the bracket [low, high],
    // which always holds the root, a bisection otherwise. (Numerical Recipes' rtsafe also bisects when
    // Newton shrinks slower than bisection would; from β = 1 towards a root near 3, where the slope is
    // concave and Newton creeps up from below, that sent the iterate to the far end of [0.01, 100] and
    // cost ten slopes more.)
    double previousStep = INFINITY;
    for (int i = 0; i < kMaxFitSteps; ++i) {
        if (at.slope == 0) {
            if (fallsAtLowEnd())
                return {kMaxTemperature, true};
            if (fallsAtHighEnd())
                return {kMinTemperature, true};
            break;
        }
        (at.slope < 0 ? low : high) = beta;
        const double newtonStep = at.curvature > 0 ? at.slope / at.curvature : INFINITY;
        // Converged: the Newton step is below the tolerance. (At the root that step can round onto the
        // bracket's end; checked first, it never sends the iterate away again.)
        if (std::abs(newtonStep) <= kTemperatureTolerance * beta) {
            if (beta - newtonStep > low && beta - newtonStep < high)
                beta -= newtonStep;
            break;
        }
        const double newton = beta - newtonStep;
        const bool inside = newton > low && newton < high;
        // Newton that leaves the bracket, or does not at least halve its step, may be heading for a
        // minimum beyond the range (an exit right on every sample creeps towards T = 0 by steps that do
        // not shrink): look at that end before going on.
        if (!inside || std::abs(newtonStep) > 0.5 * std::abs(previousStep)) {
            if (at.slope > 0 && fallsAtLowEnd())
                return {kMaxTemperature, true};
            if (at.slope < 0 && fallsAtHighEnd())
                return {kMinTemperature, true};
        }
        const double next = inside ? newton : 0.5 * (low + high);
        const double step = beta - next;
        previousStep = step;
        beta = next;
        if (std::abs(step) <= kTemperatureTolerance * beta || high - low <= kTemperatureTolerance * beta)
            break;
        at = slope(beta);
    }
    return {1.0 / beta, false};
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
    double start = 1.0;
    if (split.numSamples >= 4 * kWarmStartSamples) {
        const ExitLogs subsample(split, numClasses, exit, split.numSamples / kWarmStartSamples);
        const TemperatureFit rough = rootOfSlope(subsample, numClasses, exit, start);
        if (!rough.atBound)
            start = 1.0 / rough.temperature;
    }
    return rootOfSlope(ExitLogs(split, numClasses, exit, 1), numClasses, exit, start);
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
