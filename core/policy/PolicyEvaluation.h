#pragma once

#include "policy/ExitData.h"
#include "policy/ScoreMatrix.h"

#include <Eigen/Core>

#include <vector>

namespace eenet {

/// A policy's figures on one split (docs/method.md section 1).
struct PolicyOutcome {
    double accuracyPercent = 0;
    /// Realised average cost: sum_k f_k c_k.
    double cost = 0;
    /// f_k: fraction of samples leaving at exit k.
    std::vector<double> exitFractions;
    /// Accuracy (percent) of the samples that left at exit k; NaN where none left.
    std::vector<double> perExitAccuracyPercent;
    /// [C, K]: of the samples of class c, the fraction leaving at exit k (rows sum to 1; 0 for absent
    /// classes).
    Eigen::MatrixXd perClassExitFractions;
    /// Exit taken by each sample, 0-based.
    std::vector<int> exitOf;
};

/// The threshold rule: each sample leaves at the first exit k with score >= T_k; the last exit takes
/// everyone left, whatever its threshold.
std::vector<int> exitsFromThresholds(const ScoreMatrix& scores, const std::vector<double>& thresholds);

/// Figures of a given exit assignment (threshold rule, oracle or a static exit).
PolicyOutcome evaluateAssignment(const std::vector<int>& exitOf, const ExitData& data);

/// evaluateAssignment(exitsFromThresholds(scores, thresholds), data).
PolicyOutcome evaluatePolicy(const ScoreMatrix& scores, const std::vector<double>& thresholds,
                             const ExitData& data);

} // namespace eenet
