#include "eval/Calibration.h"

#include "Error.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace eenet {
namespace {

/// The bin whose (lower, upper] holds `confidence`. Comparing with the edges b / 15 themselves, rather than
/// flooring confidence * 15, keeps a confidence that equals an edge in the bin below it, as Guo et al.'s
/// `confidence > lower && confidence <= upper` does.
int binOf(double confidence) {
    for (int b = 0; b < kReliabilityBins - 1; ++b)
        if (confidence <= static_cast<double>(b + 1) / kReliabilityBins)
            return b;
    return kReliabilityBins - 1;
}

} // namespace

void checkCalibrationInput(const SplitPredictions& split, int numClasses, int numExits) {
    if (numClasses < 1 || numExits < 1)
        throw ArgumentError("calibration: needs at least one exit and one class, got " +
                            std::to_string(numExits) + " exits and " + std::to_string(numClasses) +
                            " classes");
    if (split.numSamples < 1)
        throw ArgumentError("calibration: the split has no samples");
    const size_t samples = static_cast<size_t>(split.numSamples);
    const size_t expected = static_cast<size_t>(numExits) * samples * static_cast<size_t>(numClasses);
    if (split.probs.size() != expected || split.labels.size() != samples)
        throw ArgumentError("calibration: the split holds " + std::to_string(split.probs.size()) +
                            " probabilities and " + std::to_string(split.labels.size()) +
                            " labels, expected " + std::to_string(expected) + " and " +
                            std::to_string(samples));
    for (size_t i = 0; i < samples; ++i)
        if (split.labels[i] < 0 || split.labels[i] >= numClasses)
            throw ArgumentError("calibration: sample " + std::to_string(i) + " has label " +
                                std::to_string(split.labels[i]) + ", outside [0, " +
                                std::to_string(numClasses) + ")");
}

CalibrationAccumulator::CalibrationAccumulator(int numClasses)
    : m_numClasses(numClasses)
    , m_bins(kReliabilityBins) {}

void CalibrationAccumulator::add(const float* p, int label) {
    int predicted = 0; // the first largest, as predictedClass
    for (int c = 1; c < m_numClasses; ++c)
        if (p[c] > p[predicted])
            predicted = c;
    BinSums& bin = m_bins[static_cast<size_t>(binOf(p[predicted]))];
    ++bin.count;
    bin.confidence += p[predicted];
    bin.correct += predicted == label;
    m_nllSum -= flooredLog(p[label]);
    for (int c = 0; c < m_numClasses; ++c) {
        const double error = p[c] - (c == label ? 1.0 : 0.0);
        m_brierSum += error * error;
    }
    ++m_samples;
}

CalibrationMetrics CalibrationAccumulator::metrics() const {
    CalibrationMetrics metrics;
    const double n = m_samples;
    metrics.nll = m_nllSum / n;
    metrics.brier = m_brierSum / n;
    for (int b = 0; b < kReliabilityBins; ++b) {
        const BinSums& s = m_bins[static_cast<size_t>(b)];
        ReliabilityBin bin;
        bin.lower = static_cast<double>(b) / kReliabilityBins;
        bin.upper = static_cast<double>(b + 1) / kReliabilityBins;
        bin.count = s.count;
        if (s.count > 0) {
            bin.meanConfidence = s.confidence / s.count;
            bin.accuracy = static_cast<double>(s.correct) / s.count;
            const double gap = std::abs(bin.accuracy - bin.meanConfidence);
            metrics.ece += s.count / n * gap;
            metrics.mce = std::max(metrics.mce, gap);
        }
        metrics.bins.push_back(bin);
    }
    return metrics;
}

CalibrationMetrics calibrationOf(const SplitPredictions& split, int numClasses, int numExits, int exit) {
    checkCalibrationInput(split, numClasses, numExits);
    if (exit < 0 || exit >= numExits)
        throw ArgumentError("calibration: exit " + std::to_string(exit) + " outside [0, " +
                            std::to_string(numExits) + ")");
    CalibrationAccumulator sums(numClasses);
    for (int i = 0; i < split.numSamples; ++i)
        sums.add(split.row(numClasses, exit, i), split.labels[static_cast<size_t>(i)]);
    return sums.metrics();
}

std::vector<CalibrationMetrics> calibrationPerExit(const SplitPredictions& split, int numClasses,
                                                   int numExits) {
    std::vector<CalibrationMetrics> perExit;
    for (int k = 0; k < numExits; ++k)
        perExit.push_back(calibrationOf(split, numClasses, numExits, k));
    return perExit;
}

} // namespace eenet
