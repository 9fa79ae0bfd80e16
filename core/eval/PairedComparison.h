#pragma once

#include "eval/Evaluator.h"
#include "policy/ExitData.h"

#include <string>
#include <vector>

namespace eenet {

/// A minus B at one of A's budgets, paired per sample (docs/method.md section 9).
struct BudgetDifference {
    double budget = 0;
    /// A's realised cost and accuracy on the split.
    double aCost = 0;
    double aAccuracyPercent = 0;
    /// B's accuracy at A's realised cost, read off B's curve between its two points that bracket it.
    double bAccuracyPercent = 0;
    /// Those two points' budgets and the weight of the lower-cost one (1 when a point sits at A's cost:
    /// then both budgets are that point's).
    double bBudgetBelow = 0;
    double bBudgetAbove = 0;
    double weightBelow = 1;
    /// Mean of d_i = correct_A(i) - (w correct_below(i) + (1 - w) correct_above(i)), in percentage points,
    /// and its standard error sd(d_i) / sqrt(N).
    double deltaPp = 0;
    double sePp = 0;
};

/// One of A's budgets whose realised cost lies outside the costs B's curve realised: B has no accuracy
/// there without extrapolating, so the budget is left out.
struct LeftOutBudget {
    double budget = 0;
    double aCost = 0;
};

/// A minus B in accuracy at equal realised cost across A's budgets, on one split.
struct PairedComparison {
    std::string methodA;
    std::string methodB;
    int numSamples = 0;
    std::vector<BudgetDifference> perBudget;
    std::vector<LeftOutBudget> leftOut;
    /// A's budgets at c_1 or c_K, never compared: at c_1 every policy sends every sample to exit 1, at c_K
    /// the paper-protocol policies send every sample to the last exit, so they would only add zeros.
    int endBudgetsSkipped = 0;
    /// The range of costs B's curve realised.
    double bCostLow = 0;
    double bCostHigh = 0;
    /// Over the compared budgets: each sample's d_i averaged over them, then the mean of those averages
    /// (pp) and its standard error sd / sqrt(N), which counts that every budget reuses the same samples.
    double meanDeltaPp = 0;
    double sePp = 0;
    /// verdictOf(methodA, methodB, meanDeltaPp, sePp).
    std::string verdict;
};

/// Compares two curves on the split `data` describes: `a` and `b` hold one result per budget (their
/// outcomes' exitOf are what is paired), in any order. Throws ArgumentError when a result has no budget
/// (a static exit), does not give each of `data`'s samples an exit, when there are fewer than 2 samples, or
/// when no budget of A can be compared.
PairedComparison comparePaired(const std::vector<MethodResult>& a, const std::vector<MethodResult>& b,
                               const ExitData& data);

/// "A is better by x ± y pp" or "B is better by x ± y pp" (with the methods' names, x and y to 3 decimals),
/// or "no measurable difference" when |mean| < 2 SE or the mean is exactly 0.
std::string verdictOf(const std::string& methodA, const std::string& methodB, double meanPp, double sePp);

} // namespace eenet
