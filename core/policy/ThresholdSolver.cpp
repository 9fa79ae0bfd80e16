#include "policy/ThresholdSolver.h"

#include "Error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

namespace eenet {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double expectedCost(const std::vector<double>& distribution, const std::vector<double>& costs) {
    return std::inner_product(distribution.begin(), distribution.end(), costs.begin(), 0.0);
}

std::vector<double> geometricFromLogQ(double logQ, int numExits) {
    // p_k proportional to q^k, computed in log space so huge and tiny q stay finite.
    std::vector<double> p(static_cast<size_t>(numExits));
    const double top = logQ > 0 ? logQ * numExits : logQ;
    double sum = 0;
    for (int k = 0; k < numExits; ++k) {
        p[static_cast<size_t>(k)] = std::exp(logQ * (k + 1) - top);
        sum += p[static_cast<size_t>(k)];
    }
    for (double& value : p)
        value /= sum;
    return p;
}

} // namespace

void checkBudget(const std::vector<double>& costs, double budget) {
    if (costs.empty())
        throw ArgumentError("no exit costs");
    if (!std::isfinite(budget) || budget < costs.front() || budget > costs.back())
        throw ArgumentError("budget " + std::to_string(budget) + " is outside [" +
                            std::to_string(costs.front()) + ", " + std::to_string(costs.back()) +
                            "], the cost of the first exit to the cost of the last");
}

std::vector<double> thresholdsFromDistribution(const ScoreMatrix& scores, const std::vector<double>& pBar) {
    const int exits = static_cast<int>(scores.rows());
    const int samples = static_cast<int>(scores.cols());
    std::vector<double> thresholds(static_cast<size_t>(exits), kInf);
    thresholds.back() = -kInf;
    std::vector<int> pool(static_cast<size_t>(samples));
    std::iota(pool.begin(), pool.end(), 0);
    for (int k = 0; k + 1 < exits && !pool.empty(); ++k) {
        // The small epsilon keeps p * N = 3.0000000001 and 2.9999999999 from flooring differently.
        const auto wanted = static_cast<size_t>(std::floor(pBar[static_cast<size_t>(k)] * samples + 1e-9));
        const size_t count = std::min(wanted, pool.size());
        if (count == 0)
            continue;
        // Highest score first; equal scores by sample index. That order is strict and total, so which
        // samples are the top `count` and which one is the count-th is fixed: selecting them (O(N)) gives
        // what sorting them would, and the pool left behind holds the same samples.
        const auto nth = pool.begin() + static_cast<std::ptrdiff_t>(count - 1);
        std::nth_element(pool.begin(), nth, pool.end(), [&scores, k](int a, int b) {
            return scores(k, a) > scores(k, b) || (scores(k, a) == scores(k, b) && a < b);
        });
        thresholds[static_cast<size_t>(k)] = scores(k, *nth);
        pool.erase(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(count));
    }
    return thresholds;
}

std::vector<double> geometricDistribution(double q, int numExits) {
    if (!(q > 0))
        throw ArgumentError("the geometric exit distribution needs q > 0");
    return geometricFromLogQ(std::log(q), numExits);
}

std::vector<double> geometricDistributionForBudget(const std::vector<double>& costs, double budget) {
    checkBudget(costs, budget);
    const int exits = static_cast<int>(costs.size());
    // The expected cost rises monotonically with q: bisect on log q.
    double low = -60;
    double high = 60;
    for (int iteration = 0; iteration < 200; ++iteration) {
        const double middle = 0.5 * (low + high);
        if (expectedCost(geometricFromLogQ(middle, exits), costs) < budget)
            low = middle;
        else
            high = middle;
    }
    return geometricFromLogQ(0.5 * (low + high), exits);
}

std::vector<double> tiltDistributionToBudget(const std::vector<double>& pBar,
                                             const std::vector<double>& costs, double budget) {
    checkBudget(costs, budget);
    if (pBar.size() != costs.size())
        throw ArgumentError("the exit distribution has " + std::to_string(pBar.size()) + " entries for " +
                            std::to_string(costs.size()) + " exits");
    const double scale = costs.back();
    const double tolerance = 1e-12 * scale;
    auto tilted = [&](const std::vector<double>& base, double lambda) {
        // Log space with the largest term subtracted, so a steep tilt stays finite.
        std::vector<double> logWeights(base.size(), -kInf);
        double top = -kInf;
        for (size_t k = 0; k < base.size(); ++k)
            if (base[k] > 0)
                top = std::max(top, logWeights[k] = std::log(base[k]) - lambda * costs[k] / scale);
        std::vector<double> p(base.size(), 0.0);
        double sum = 0;
        for (size_t k = 0; k < base.size(); ++k)
            sum += p[k] = base[k] > 0 ? std::exp(logWeights[k] - top) : 0.0;
        for (double& value : p)
            value /= sum;
        return p;
    };
    if (std::abs(expectedCost(pBar, costs) - budget) <= tolerance)
        return pBar;
    std::vector<double> base = pBar;
    double supportLow = kInf;
    double supportHigh = -kInf;
    for (size_t k = 0; k < base.size(); ++k)
        if (base[k] > 0) {
            supportLow = std::min(supportLow, costs[k]);
            supportHigh = std::max(supportHigh, costs[k]);
        }
    if (!(budget > supportLow && budget < supportHigh)) {
        const double share = 1e-4 / static_cast<double>(base.size());
        for (double& value : base)
            value = (1 - 1e-4) * std::max(value, 0.0) + share;
    }
    // The expected cost falls monotonically as lambda rises.
    double low = -1e4;
    double high = 1e4;
    for (int iteration = 0; iteration < 200; ++iteration) {
        const double middle = 0.5 * (low + high);
        if (expectedCost(tilted(base, middle), costs) > budget)
            low = middle;
        else
            high = middle;
    }
    return tilted(base, 0.5 * (low + high));
}

std::vector<int> oracleExits(const ExitData& data, double budget) {
    checkBudget(data.costs, budget);
    const auto& c = data.costs;
    std::vector<int> exitOf(static_cast<size_t>(data.numSamples), 0);
    struct Move {
        double extraCost;
        int sample;
        int exit;
    };
    std::vector<Move> moves;
    for (int i = 0; i < data.numSamples; ++i) {
        if (data.correct(0, i))
            continue;
        for (int k = 1; k < data.numExits; ++k) {
            if (data.correct(k, i)) {
                moves.push_back({c[static_cast<size_t>(k)] - c[0], i, k});
                break;
            }
        }
    }
    std::stable_sort(moves.begin(), moves.end(),
                     [](const Move& a, const Move& b) { return a.extraCost < b.extraCost; });
    double total = c[0] * data.numSamples;
    const double limit = budget * data.numSamples;
    for (const Move& move : moves) {
        if (total + move.extraCost > limit * (1 + 1e-12))
            break;
        total += move.extraCost;
        exitOf[static_cast<size_t>(move.sample)] = move.exit;
    }
    return exitOf;
}

} // namespace eenet
