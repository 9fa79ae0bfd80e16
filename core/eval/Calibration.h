#pragma once

#include "data/Predictions.h"
#include "data/ProbabilityScaling.h" // kProbabilityFloor and flooredLog, shared with the deployed policy

#include <limits>
#include <vector>

namespace eenet {

/// ECE and MCE bin the max probability into this many equal-width bins, as Guo et al. (ICML 2017) do.
inline constexpr int kReliabilityBins = 15;

/// One bin of a reliability diagram: the samples whose max probability lies in (lower, upper]; the first
/// bin also holds a max probability of exactly 0, which a valid row cannot have.
struct ReliabilityBin {
    double lower = 0;
    double upper = 0;
    int count = 0;
    /// Mean max probability of the bin's samples; NaN when the bin is empty.
    double meanConfidence = std::numeric_limits<double>::quiet_NaN();
    /// Fraction (0..1) of the bin's samples whose prediction is right; NaN when the bin is empty.
    double accuracy = std::numeric_limits<double>::quiet_NaN();
};

/// How well one exit's probabilities are calibrated on one split. ECE and MCE are fractions (0..1).
struct CalibrationMetrics {
    /// kReliabilityBins bins, lowest confidence first.
    std::vector<ReliabilityBin> bins;
    /// Expected calibration error: Σ_b (n_b / N) |accuracy_b − meanConfidence_b|.
    double ece = 0;
    /// Maximum calibration error: the largest |accuracy_b − meanConfidence_b| over the non-empty bins.
    double mce = 0;
    /// Negative log-likelihood: mean over samples of −flooredLog(p_label).
    double nll = 0;
    /// Brier score: mean over samples of Σ_c (p_c − [c = label])², in [0, 2].
    double brier = 0;
};

/// Throws ArgumentError unless `split` holds at least one sample, K x N x C probabilities and N labels in
/// [0, C): what every calibration function needs, checked once so hand-built data fails clearly.
void checkCalibrationInput(const SplitPredictions& split, int numClasses, int numExits);

/// calibrationOf's sums, one row at a time, for rows that are never stored together (a temperature-scaled
/// row made on the fly): adding a split's rows in order gives calibrationOf's figures exactly.
class CalibrationAccumulator {
public:
    explicit CalibrationAccumulator(int numClasses);
    /// One sample: its C probabilities and its label in [0, C) (not checked).
    void add(const float* probs, int label);
    /// The metrics of the rows added so far (at least one).
    CalibrationMetrics metrics() const;

private:
    struct BinSums {
        int count = 0;
        double confidence = 0;
        int correct = 0;
    };
    int m_numClasses;
    int m_samples = 0;
    std::vector<BinSums> m_bins;
    double m_nllSum = 0;
    double m_brierSum = 0;
};

/// The metrics of exit `exit` (0-based) on `split`. The prediction is the first largest probability, as
/// everywhere else. Throws ArgumentError for an exit outside [0, K) or a split checkCalibrationInput
/// refuses.
CalibrationMetrics calibrationOf(const SplitPredictions& split, int numClasses, int numExits, int exit);

/// calibrationOf for every exit, in exit order.
std::vector<CalibrationMetrics> calibrationPerExit(const SplitPredictions& split, int numClasses,
                                                   int numExits);

} // namespace eenet
