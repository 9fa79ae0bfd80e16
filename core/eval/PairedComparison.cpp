#include "eval/PairedComparison.h"

#include "Error.h"
#include "eval/CurveChecks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace eenet {
namespace {

/// Mean and standard error of the mean (sample standard deviation / sqrt(n)) of `values`, in percentage
/// points of the fractions they hold.
struct MeanAndError {
    double meanPp = 0;
    double sePp = 0;
};

MeanAndError meanAndError(const std::vector<double>& values) {
    const double n = static_cast<double>(values.size());
    double sum = 0;
    for (double v : values)
        sum += v;
    const double mean = sum / n;
    // Two passes: a one-pass sum of squares loses digits when the mean is large next to the spread.
    double squares = 0;
    for (double v : values)
        squares += (v - mean) * (v - mean);
    return {100.0 * mean, 100.0 * std::sqrt(squares / (n - 1)) / std::sqrt(n)};
}

void checkCurve(const std::vector<MethodResult>& curve, const ExitData& data, const char* which) {
    if (curve.empty())
        throw ArgumentError(std::string("paired comparison: curve ") + which + " has no points");
    for (const MethodResult& r : curve)
        if (!r.budget)
            throw ArgumentError("paired comparison: " + r.method +
                                " has no budget (a static exit is a point, not a curve)");
    checkCurveCoversSplit(curve, data, "paired comparison");
}

/// 1 where the sample is right at the exit this result sends it to.
double correctAt(const MethodResult& r, const ExitData& data, int sample) {
    return data.correct(r.outcome.exitOf[static_cast<size_t>(sample)], sample);
}

std::string formatted(const char* format, double value) {
    char text[64];
    std::snprintf(text, sizeof text, format, value);
    return text;
}

std::string fixed3(double value) {
    return formatted("%.3f", value);
}

std::string shortNumber(double value) {
    return formatted("%.6g", value);
}

} // namespace

std::string verdictOf(const std::string& methodA, const std::string& methodB, double meanPp, double sePp) {
    if (meanPp == 0 || std::abs(meanPp) < 2 * sePp)
        return "no measurable difference";
    return (meanPp > 0 ? methodA : methodB) + " is better by " + fixed3(std::abs(meanPp)) + " ± " +
           fixed3(sePp) + " pp";
}

PairedComparison comparePaired(const std::vector<MethodResult>& a, const std::vector<MethodResult>& b,
                               const ExitData& data) {
    checkCurve(a, data, "A");
    checkCurve(b, data, "B");
    if (data.numSamples < 2)
        throw ArgumentError("paired comparison: a standard error needs at least 2 samples, the split has " +
                            std::to_string(data.numSamples));
    const int n = data.numSamples;
    PairedComparison result;
    result.methodA = a.front().method;
    result.methodB = b.front().method;
    result.numSamples = n;

    // B's points in the order of the costs they realised; on equal costs the first one given is read.
    std::vector<const MethodResult*> bByCost;
    for (const MethodResult& r : b)
        bByCost.push_back(&r);
    std::stable_sort(bByCost.begin(), bByCost.end(), [](const MethodResult* x, const MethodResult* y) {
        return x->outcome.cost < y->outcome.cost;
    });
    result.bCostLow = bByCost.front()->outcome.cost;
    result.bCostHigh = bByCost.back()->outcome.cost;

    std::vector<double> differences(static_cast<size_t>(n));
    std::vector<double> summedDifferences(static_cast<size_t>(n), 0.0);
    for (const MethodResult& point : a) {
        const double budget = *point.budget;
        if (budget == data.costs.front() || budget == data.costs.back()) {
            ++result.endBudgetsSkipped;
            continue;
        }
        const double cost = point.outcome.cost;
        const auto above =
            std::lower_bound(bByCost.begin(), bByCost.end(), cost,
                             [](const MethodResult* r, double c) { return r->outcome.cost < c; });
        if (above == bByCost.end() || ((*above)->outcome.cost != cost && above == bByCost.begin())) {
            result.leftOut.push_back({budget, cost});
            continue;
        }
        const MethodResult& high = **above;
        const bool exact = high.outcome.cost == cost;
        const MethodResult& low = exact ? high : **(above - 1);
        const double weight =
            exact ? 1.0 : (high.outcome.cost - cost) / (high.outcome.cost - low.outcome.cost);

        for (int i = 0; i < n; ++i) {
            // An exact hit reads the point alone: w c + (1 - w) c need not round back to c.
            const double bCorrect =
                exact ? correctAt(high, data, i)
                      : weight * correctAt(low, data, i) + (1 - weight) * correctAt(high, data, i);
            differences[static_cast<size_t>(i)] = correctAt(point, data, i) - bCorrect;
            summedDifferences[static_cast<size_t>(i)] += differences[static_cast<size_t>(i)];
        }
        const MeanAndError delta = meanAndError(differences);
        result.perBudget.push_back(
            {budget, cost, point.outcome.accuracyPercent,
             weight * low.outcome.accuracyPercent + (1 - weight) * high.outcome.accuracyPercent, *low.budget,
             *high.budget, weight, delta.meanPp, delta.sePp});
    }
    if (result.perBudget.empty())
        throw ArgumentError("paired comparison: no budget of " + result.methodA + " can be compared with " +
                            result.methodB + ": " + std::to_string(result.leftOut.size()) +
                            " realise a cost outside the range of " + result.methodB + "'s curve, [" +
                            shortNumber(result.bCostLow) + ", " + shortNumber(result.bCostHigh) + "], and " +
                            std::to_string(result.endBudgetsSkipped) + " lie at c_1 or c_K, never compared");

    const double compared = static_cast<double>(result.perBudget.size());
    for (double& d : summedDifferences)
        d /= compared;
    const MeanAndError overall = meanAndError(summedDifferences);
    result.meanDeltaPp = overall.meanPp;
    result.sePp = overall.sePp;
    result.verdict = verdictOf(result.methodA, result.methodB, result.meanDeltaPp, result.sePp);
    return result;
}

} // namespace eenet
