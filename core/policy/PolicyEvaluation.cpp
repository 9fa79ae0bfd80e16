#include "policy/PolicyEvaluation.h"

#include <limits>

namespace eenet {

std::vector<int> exitsFromThresholds(const ScoreMatrix& scores, const std::vector<double>& thresholds) {
    const int exits = static_cast<int>(scores.rows());
    const int samples = static_cast<int>(scores.cols());
    std::vector<int> exitOf(static_cast<size_t>(samples), exits - 1);
    std::vector<char> open(static_cast<size_t>(samples), 1);
    // Exit-major so each pass reads one contiguous row of the row-major score matrix.
    for (int k = 0; k + 1 < exits; ++k) {
        const double threshold = thresholds[static_cast<size_t>(k)];
        const double* row = scores.row(k).data();
        for (int i = 0; i < samples; ++i) {
            if (open[static_cast<size_t>(i)] && row[i] >= threshold) {
                exitOf[static_cast<size_t>(i)] = k;
                open[static_cast<size_t>(i)] = 0;
            }
        }
    }
    return exitOf;
}

PolicyOutcome evaluateAssignment(const std::vector<int>& exitOf, const ExitData& data) {
    const int exits = data.numExits;
    PolicyOutcome outcome;
    outcome.exitOf = exitOf;
    std::vector<int> leaving(static_cast<size_t>(exits), 0);
    std::vector<int> correctLeaving(static_cast<size_t>(exits), 0);
    Eigen::MatrixXd classCounts = Eigen::MatrixXd::Zero(data.numClasses, exits);
    for (int i = 0; i < data.numSamples; ++i) {
        const int k = exitOf[static_cast<size_t>(i)];
        ++leaving[static_cast<size_t>(k)];
        correctLeaving[static_cast<size_t>(k)] += data.correct(k, i);
        classCounts(data.labels[static_cast<size_t>(i)], k) += 1;
    }
    const double n = data.numSamples;
    int correct = 0;
    for (int k = 0; k < exits; ++k) {
        const double fraction = leaving[static_cast<size_t>(k)] / n;
        outcome.exitFractions.push_back(fraction);
        outcome.cost += fraction * data.costs[static_cast<size_t>(k)];
        outcome.perExitAccuracyPercent.push_back(leaving[static_cast<size_t>(k)] > 0
                                                     ? 100.0 * correctLeaving[static_cast<size_t>(k)] /
                                                           leaving[static_cast<size_t>(k)]
                                                     : std::numeric_limits<double>::quiet_NaN());
        correct += correctLeaving[static_cast<size_t>(k)];
    }
    outcome.accuracyPercent = 100.0 * correct / n;
    const Eigen::VectorXd classTotals = classCounts.rowwise().sum();
    outcome.perClassExitFractions = Eigen::MatrixXd::Zero(data.numClasses, exits);
    for (int c = 0; c < data.numClasses; ++c)
        if (classTotals(c) > 0)
            outcome.perClassExitFractions.row(c) = classCounts.row(c) / classTotals(c);
    return outcome;
}

PolicyOutcome evaluatePolicy(const ScoreMatrix& scores, const std::vector<double>& thresholds,
                             const ExitData& data) {
    return evaluateAssignment(exitsFromThresholds(scores, thresholds), data);
}

} // namespace eenet
