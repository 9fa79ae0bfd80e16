// The budget-constrained threshold search of docs/method.md section 6.

#include "policy/PolicyEvaluation.h"
#include "policy/ThresholdSolver.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace eenet {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// One way to set T_k with the other thresholds fixed: "the top m reaching samples leave at k".
struct Cut {
    double threshold = kInf;
    long correct = 0;
    double costSum = 0;
};

class ThresholdSearch {
public:
    ThresholdSearch(const ScoreMatrix& scores, const ExitData& data, double budget)
        : m_scores(scores)
        , m_data(data)
        , m_costLimit(budget * data.numSamples * (1 + 1e-12))
        , m_order(static_cast<size_t>(data.numExits)) {
        // Each exit's samples sorted by score once; a coordinate step walks this order and skips the
        // samples that left earlier, so no step sorts again.
        for (int k = 0; k + 1 < data.numExits; ++k) {
            auto& order = m_order[static_cast<size_t>(k)];
            order.resize(static_cast<size_t>(data.numSamples));
            std::iota(order.begin(), order.end(), 0);
            std::stable_sort(order.begin(), order.end(),
                             [&scores, k](int a, int b) { return scores(k, a) > scores(k, b); });
        }
    }

    std::vector<double> run() {
        const int exits = m_data.numExits;
        std::vector<double> thresholds(static_cast<size_t>(exits), kInf);
        thresholds.back() = -kInf;
        m_best = thresholds;
        m_bestCorrect = -1;
        consider(thresholds);
        // Coordinate ascent can stall in a poor local optimum (seen at low budgets), so it starts from the
        // paper's geometric protocol, pulled just inside the budget when ties make it overshoot: the search
        // then never ends below the protocol it is meant to improve on.
        const double first = m_data.costs.front();
        for (double scale : {1.0, 0.999, 0.995, 0.99, 0.98, 0.95, 0.9}) {
            const double budget = first + (m_costLimit / m_data.numSamples - first) * scale;
            const auto start = thresholdsFromDistribution(
                m_scores,
                geometricDistributionForBudget(m_data.costs, std::min(budget, m_data.costs.back())));
            if (consider(start)) {
                thresholds = start;
                break;
            }
        }

        // Stage 1: maximise correct - lambda * cost by coordinate ascent; bisect lambda so cost <= budget.
        const double cK = m_data.costs.back();
        double smallestGap = kInf;
        for (int k = 1; k < exits; ++k)
            smallestGap = std::min(smallestGap, m_data.costs[static_cast<size_t>(k)] -
                                                    m_data.costs[static_cast<size_t>(k - 1)]);
        double low = 0;
        double high = 2 * cK / smallestGap; // above this every sample is better off at the first exit
        for (int iteration = 0; iteration < 40; ++iteration) {
            const double lambda = 0.5 * (low + high);
            const double cost = ascend(thresholds, lambda / cK);
            if (cost <= m_costLimit)
                high = lambda;
            else
                low = lambda;
        }
        if (m_bestCorrect < 0)
            ascend(thresholds, high / cK);

        // Stage 2: exact one-exit moves that raise accuracy within the budget.
        thresholds = m_best;
        for (int round = 0; round < 1000; ++round) {
            long bestCorrect = m_bestCorrect;
            int bestExit = -1;
            Cut bestCut;
            for (int k = 0; k + 1 < exits; ++k) {
                for (const Cut& cut : cuts(k, thresholds)) {
                    if (cut.costSum <= m_costLimit && cut.correct > bestCorrect) {
                        bestCorrect = cut.correct;
                        bestExit = k;
                        bestCut = cut;
                    }
                }
            }
            if (bestExit < 0)
                break;
            thresholds[static_cast<size_t>(bestExit)] = bestCut.threshold;
            m_best = thresholds;
            m_bestCorrect = bestCorrect;
        }
        return m_best;
    }

private:
    /// Coordinate ascent on correct - weight * cost from `thresholds` (updated in place); returns the
    /// average cost it ends at. Every solution it passes is offered to the best-feasible record.
    double ascend(std::vector<double>& thresholds, double weight) {
        Cut current;
        for (int sweep = 0; sweep < 8; ++sweep) {
            bool changed = false;
            for (int k = 0; k + 1 < m_data.numExits; ++k) {
                const std::vector<Cut> options = cuts(k, thresholds);
                const auto best =
                    std::max_element(options.begin(), options.end(), [weight](const Cut& a, const Cut& b) {
                        return a.correct - weight * a.costSum < b.correct - weight * b.costSum;
                    });
                current = *best;
                record(thresholds, k, current);
                if (best->threshold != thresholds[static_cast<size_t>(k)]) {
                    thresholds[static_cast<size_t>(k)] = best->threshold;
                    changed = true;
                }
            }
            if (!changed)
                break;
        }
        return current.costSum;
    }

    void record(const std::vector<double>& thresholds, int exit, const Cut& cut) {
        if (cut.costSum <= m_costLimit && cut.correct > m_bestCorrect) {
            m_best = thresholds;
            m_best[static_cast<size_t>(exit)] = cut.threshold;
            m_bestCorrect = cut.correct;
        }
    }

    /// Records `thresholds` as the best so far when within budget and more accurate; true when within budget.
    bool consider(const std::vector<double>& thresholds) {
        const PolicyOutcome outcome = evaluatePolicy(m_scores, thresholds, m_data);
        if (outcome.cost * m_data.numSamples > m_costLimit)
            return false;
        const long correct = std::lround(outcome.accuracyPercent * m_data.numSamples / 100.0);
        if (correct > m_bestCorrect) {
            m_best = thresholds;
            m_bestCorrect = correct;
        }
        return true;
    }

    /// Every threshold for exit k that a rule "score >= T" can realise (cuts never split equal scores),
    /// with the total correct count and cost of the whole policy for each.
    std::vector<Cut> cuts(int k, const std::vector<double>& thresholds) const {
        const int exits = m_data.numExits;
        const auto& c = m_data.costs;
        long baseCorrect = 0;
        double baseCost = 0;
        // For samples reaching k: what leaving at k gains over going on under the later thresholds.
        std::vector<double> gainCorrect(static_cast<size_t>(m_data.numSamples), 0);
        std::vector<double> gainCost(static_cast<size_t>(m_data.numSamples), 0);
        std::vector<char> reaches(static_cast<size_t>(m_data.numSamples), 0);
        for (int i = 0; i < m_data.numSamples; ++i) {
            int first = 0;
            while (first < k && m_scores(first, i) < thresholds[static_cast<size_t>(first)])
                ++first;
            if (first < k) {
                baseCorrect += m_data.correct(first, i);
                baseCost += c[static_cast<size_t>(first)];
                continue;
            }
            int later = k + 1;
            while (later < exits - 1 && m_scores(later, i) < thresholds[static_cast<size_t>(later)])
                ++later;
            baseCorrect += m_data.correct(later, i);
            baseCost += c[static_cast<size_t>(later)];
            reaches[static_cast<size_t>(i)] = 1;
            gainCorrect[static_cast<size_t>(i)] = m_data.correct(k, i) - m_data.correct(later, i);
            gainCost[static_cast<size_t>(i)] = c[static_cast<size_t>(k)] - c[static_cast<size_t>(later)];
        }
        std::vector<Cut> result{{kInf, baseCorrect, baseCost}};
        double correct = static_cast<double>(baseCorrect);
        double cost = baseCost;
        const auto& order = m_order[static_cast<size_t>(k)];
        int previous = -1;
        for (int i : order) {
            if (!reaches[static_cast<size_t>(i)])
                continue;
            if (previous >= 0 && m_scores(k, i) < m_scores(k, previous)) {
                // Midway between the last sample that leaves and the first that stays: the margin
                // generalises better to unseen samples than a threshold on a validation score.
                result.push_back(
                    {0.5 * (m_scores(k, previous) + m_scores(k, i)), std::lround(correct), cost});
            }
            correct += gainCorrect[static_cast<size_t>(i)];
            cost += gainCost[static_cast<size_t>(i)];
            previous = i;
        }
        if (previous >= 0)
            result.push_back({m_scores(k, previous), std::lround(correct), cost});
        return result;
    }

    const ScoreMatrix& m_scores;
    const ExitData& m_data;
    double m_costLimit;
    std::vector<std::vector<int>> m_order;
    std::vector<double> m_best;
    long m_bestCorrect = -1;
};

} // namespace

std::vector<double> searchThresholds(const ScoreMatrix& scores, const ExitData& data, double budget) {
    checkBudget(data.costs, budget);
    return ThresholdSearch(scores, data, budget).run();
}

} // namespace eenet
