#include "policy/ConfidenceScores.h"

#include <algorithm>
#include <cmath>

namespace eenet {
namespace {

template <typename RowScore>
ScoreMatrix perRow(const SplitPredictions& split, int numClasses, RowScore rowScore) {
    const int exits =
        static_cast<int>(split.probs.size() / (static_cast<size_t>(split.numSamples) * numClasses));
    ScoreMatrix scores(exits, split.numSamples);
    for (int k = 0; k < exits; ++k)
        for (int i = 0; i < split.numSamples; ++i)
            scores(k, i) = rowScore(split.row(numClasses, k, i));
    return scores;
}

double maxOf(const float* p, int numClasses) {
    return *std::max_element(p, p + numClasses);
}

/// Count-based scores from the per-exit predictions: `counter(predictions of exits 0..k, k)`.
template <typename Counter>
ScoreMatrix countScores(const SplitPredictions& split, int numClasses, Counter counter) {
    const ScoreMatrix maxProb = maxProbScores(split, numClasses);
    const int exits = static_cast<int>(maxProb.rows());
    ScoreMatrix scores(exits, split.numSamples);
    std::vector<int> predicted(static_cast<size_t>(exits));
    for (int i = 0; i < split.numSamples; ++i) {
        for (int k = 0; k < exits; ++k) {
            predicted[static_cast<size_t>(k)] = predictedClass(split, numClasses, k, i);
            scores(k, i) =
                counter(predicted, k) / static_cast<double>(k + 1) + kCountScoreTieBreak * maxProb(k, i);
        }
    }
    return scores;
}

} // namespace

std::string measureName(ConfidenceMeasure measure) {
    switch (measure) {
    case ConfidenceMeasure::MaxProb:
        return "maxprob";
    case ConfidenceMeasure::Entropy:
        return "entropy";
    case ConfidenceMeasure::Patience:
        return "patience";
    case ConfidenceMeasure::Agreement:
        return "agreement";
    }
    return "unknown";
}

double entropyConfidence(const float* probs, int numClasses) {
    double sum = 0;
    for (int c = 0; c < numClasses; ++c) {
        const double p = probs[c];
        if (p > 0)
            sum += p * std::log(p);
    }
    return 1.0 + sum / std::log(static_cast<double>(numClasses));
}

ScoreMatrix maxProbScores(const SplitPredictions& split, int numClasses) {
    return perRow(split, numClasses, [numClasses](const float* p) { return maxOf(p, numClasses); });
}

ScoreMatrix entropyScores(const SplitPredictions& split, int numClasses) {
    return perRow(split, numClasses,
                  [numClasses](const float* p) { return entropyConfidence(p, numClasses); });
}

ScoreMatrix patienceScores(const SplitPredictions& split, int numClasses) {
    return countScores(split, numClasses, [](const std::vector<int>& predicted, int k) {
        int run = 1;
        while (k - run >= 0 && predicted[static_cast<size_t>(k - run)] == predicted[static_cast<size_t>(k)])
            ++run;
        return run;
    });
}

ScoreMatrix agreementScores(const SplitPredictions& split, int numClasses) {
    return countScores(split, numClasses, [](const std::vector<int>& predicted, int k) {
        return static_cast<int>(
            std::count(predicted.begin(), predicted.begin() + k + 1, predicted[static_cast<size_t>(k)]));
    });
}

ScoreMatrix confidenceScores(ConfidenceMeasure measure, const SplitPredictions& split, int numClasses) {
    switch (measure) {
    case ConfidenceMeasure::MaxProb:
        return maxProbScores(split, numClasses);
    case ConfidenceMeasure::Entropy:
        return entropyScores(split, numClasses);
    case ConfidenceMeasure::Patience:
        return patienceScores(split, numClasses);
    case ConfidenceMeasure::Agreement:
        return agreementScores(split, numClasses);
    }
    return {};
}

} // namespace eenet
