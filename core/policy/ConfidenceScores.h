#pragma once

#include "data/Predictions.h"
#include "policy/ScoreMatrix.h"

#include <string>
#include <vector>

namespace eenet {

/// The classic confidence measures, each a score s_k(x) that a threshold rule compares with T_k
/// (docs/method.md section 2). All return [K, N].
enum class ConfidenceMeasure { MaxProb, Entropy, Patience, Agreement };

/// Weight of the max-probability tie-break added to the count-based scores (patience, agreement): below the
/// smallest step of a count divided by k (1/K for K <= 1000), so it only orders samples with equal counts.
/// Every runtime that computes these scores adds the same.
inline constexpr double kCountScoreTieBreak = 1e-3;

/// The name used by the CLI and the exports: "maxprob", "entropy", "patience", "agreement".
std::string measureName(ConfidenceMeasure measure);

/// MSDNet: max_c P_kc.
ScoreMatrix maxProbScores(const SplitPredictions& split, int numClasses);
/// BranchyNet: 1 + sum_c P_kc log P_kc / log C, with 0 log 0 = 0 (1 = one-hot, 0 = uniform).
ScoreMatrix entropyScores(const SplitPredictions& split, int numClasses);
/// PABEE: consecutive exits ending at k that agree with exit k's prediction, divided by k (1-based), plus
/// 1e-3 * max prob as a deterministic tie-break (the counts alone tie for most samples).
ScoreMatrix patienceScores(const SplitPredictions& split, int numClasses);
/// Exits j <= k whose prediction equals exit k's, divided by k (1-based), plus the same tie-break.
ScoreMatrix agreementScores(const SplitPredictions& split, int numClasses);

ScoreMatrix confidenceScores(ConfidenceMeasure measure, const SplitPredictions& split, int numClasses);

/// Entropy confidence of one probability row (shared with the EENet features).
double entropyConfidence(const float* probs, int numClasses);

} // namespace eenet
