#pragma once

#include "policy/ExitData.h"
#include "policy/ScoreMatrix.h"

#include <vector>

namespace eenet {

/// Throws ArgumentError unless c_1 <= budget <= c_K (and the budget is finite).
void checkBudget(const std::vector<double>& costs, double budget);

/// EENet's compute_threshold (docs/method.md 3.5): n_k = floor(pBar_k N) samples leave at exit k < K,
/// taken greedily by highest score from the samples still in the pool. T_k = +inf where n_k = 0, T_K = -inf.
std::vector<double> thresholdsFromDistribution(const ScoreMatrix& scores, const std::vector<double>& pBar);

/// MSDNet's geometric exit distribution, p_k proportional to q^k (k = 1..K).
std::vector<double> geometricDistribution(double q, int numExits);

/// The geometric distribution whose expected cost equals `budget` (q found by bisection).
std::vector<double> geometricDistributionForBudget(const std::vector<double>& costs, double budget);

/// The exit distribution closest to `pBar` (in KL divergence) whose expected cost equals `budget`:
/// p_k proportional to pBar_k exp(-lambda c_k), lambda found by bisection. Moves a trained EENet
/// scheduler to a nearby budget without retraining; returns pBar itself when it already meets the budget.
/// Exits pBar leaves empty get a tiny share only when the budget cannot be met without them.
std::vector<double> tiltDistributionToBudget(const std::vector<double>& pBar,
                                             const std::vector<double>& costs, double budget);

/// Thresholds with the most correct validation samples and realised validation cost <= budget, among
/// candidates fixed before the budget is known (docs/method.md 6.4): the paper protocol on a ladder of
/// budgets, and one-threshold moves away from it that beat the protocol by two paired standard errors.
/// So validation accuracy never falls as the budget grows, and a budget alone gets what it gets in a sweep.
/// Its candidates do not depend on the budget: they are collected once per score matrix and remembered
/// for the last few matrices searched (by content, process-wide, thread-safe), so a further budget of the
/// same scores (a curve, a slider move) only picks among them.
std::vector<double> searchThresholds(const ScoreMatrix& scores, const ExitData& data, double budget);

/// Forgets the remembered candidates of searchThresholds, so that the next search collects them again
/// (benchmarks time the whole search this way).
void forgetThresholdSearches();

/// Exit assignment of the label-aware oracle under a budget (docs/method.md section 4): an upper bound
/// on every policy over these exits, not a policy.
std::vector<int> oracleExits(const ExitData& data, double budget);

} // namespace eenet
