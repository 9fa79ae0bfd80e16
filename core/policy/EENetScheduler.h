#pragma once

#include "data/Predictions.h"
#include "policy/ScoreMatrix.h"

#include <vector>

namespace eenet {

/// A trained EENet scheduler as a deployment applies it (docs/method.md 3.2 and 3.6): per exit a linear
/// utility score over [P_k, max P_k, entropy confidence_k, q^_1 .. q^_{k-1}] and a threshold.
/// Plain data: no LibTorch needed to apply it.
struct EENetScheduler {
    int numExits = 0;
    int numClasses = 0;
    /// w_cls,k: [K][C].
    std::vector<std::vector<double>> classWeights;
    /// w_aux,k: [K][2 + k] (0-based k): weights of max P, entropy confidence, then q^ of the earlier exits.
    std::vector<std::vector<double>> auxWeights;
    /// T_k; the last exit takes everyone left (its threshold is -inf).
    std::vector<double> thresholds;
    /// The average cost budget it was fitted for.
    double budget = 0;

    /// The initial scores of the authors' trained schedulers: q^_k = max P_k.
    static EENetScheduler maxProbInitialised(int numExits, int numClasses);

    /// Unclamped utility scores q^ [K, N], computed exit by exit as a runtime would.
    ScoreMatrix scores(const SplitPredictions& split) const;
    /// The same scores, with the split's entropy confidences [K, N] given (entropyScores of `split`)
    /// rather than computed again: identical values, without C logarithms per sample and exit.
    ScoreMatrix scores(const SplitPredictions& split, const ScoreMatrix& entropyConfidences) const;
    /// Utility score of one exit for one sample, given the unclamped scores of the earlier exits.
    double score(int exit, const float* probs, const double* previousScores) const;

private:
    ScoreMatrix computeScores(const SplitPredictions& split, const ScoreMatrix* entropyConfidences) const;
    double scoreWith(int exit, const float* probs, const double* previousScores, const double* entropy) const;
};

} // namespace eenet
