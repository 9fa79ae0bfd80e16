// The budget-constrained threshold search of docs/method.md 6.4.
//
// Every candidate the search looks at is fixed before the budget is known: the paper protocol on a ladder
// of budgets and the one-exit moves away from it that validation supports by two standard errors. The
// budget only decides which of them fit it, and how far up the ladder the search goes. So the policy at a
// larger budget is the best of a larger set, and never less accurate on validation; and a budget searched
// alone (a slider move) gets the same thresholds as the same budget in a sweep.
//
// Because the candidates do not depend on the budget, they are collected once per score matrix
// (ThresholdCandidates) and a budget only picks among them: a 20-budget curve or a slider dragged over an
// -opt method pays for the ladder once, not on every budget (at 25,000 x 5 x 1000 about 0.2 s a time).

#include "policy/ThresholdSolver.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <list>
#include <memory>
#include <mutex>
#include <numeric>

namespace eenet {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
/// The protocol ladder: budgets c_1 + (c_K - c_1) j / kLadderSteps for j = 0..kLadderSteps.
constexpr int kLadderSteps = 256;
/// Between two rungs whose correct counts differ by more than kRefineShare of the validation samples (10 of
/// 10,000; at least kRefineMinimum), the protocol is added at finer budgets, down to 1/2^kRefineDepth of
/// the spacing. The minimum keeps small splits from refining everywhere for a sample or two.
constexpr double kRefineShare = 0.001;
constexpr long kRefineMinimum = 4;
constexpr int kRefineDepth = 4;
/// Every kAnchorStride-th rung is an anchor whose one-exit moves are explored.
constexpr int kAnchorStride = 4;
/// Minimum support: between two candidate thresholds of an exit lie at least this share of the
/// validation samples (20 of 10,000), so no threshold rests on a sample or two.
constexpr double kSupportShare = 0.002;
/// A move is a candidate only when its gain over the protocol exceeds this many paired standard errors.
constexpr double kStandardErrors = 2;

/// A policy's validation figures: correct count and total cost (sum over samples), and for a move of one
/// threshold away from an anchor, the threshold and the number of samples whose correctness it changes.
struct Cut {
    double threshold = kInf;
    long correct = 0;
    double costSum = 0;
    long changed = 0;
};

/// The budget of rung j of the protocol ladder.
double ladderBudget(const std::vector<double>& c, int j) {
    return j == kLadderSteps ? c.back() : c.front() + (c.back() - c.front()) * j / kLadderSteps;
}

/// A policy the search may pick: `policy`'s thresholds with exit `exit`'s set to `cut.threshold`. A move
/// away from anchor rung j has anchorRung j (-1 for the protocol's rungs): it is only looked at for budgets
/// that reach that anchor.
struct Candidate {
    int policy = 0;
    int exit = 0;
    Cut cut;
    int anchorRung = -1;
};

/// Collects every candidate of the search, in the order the search offers them.
class CandidateCollector {
public:
    CandidateCollector(const ScoreMatrix& scores, const ExitData& data)
        : m_scores(scores)
        , m_data(data)
        , m_support(std::max(1L, std::lround(kSupportShare * data.numSamples)))
        , m_refineGap(std::max(kRefineMinimum, std::lround(kRefineShare * data.numSamples)))
        , m_order(static_cast<size_t>(data.numExits))
        , m_gainCorrect(static_cast<size_t>(data.numSamples))
        , m_gainCost(static_cast<size_t>(data.numSamples))
        , m_open(static_cast<size_t>(data.numSamples))
        , m_staying(static_cast<size_t>(data.numSamples)) {
        // Each exit's samples sorted by score once (ties by index, as compute_threshold breaks them); the
        // protocol and every move walk this order and skip the samples that left earlier.
        for (int k = 0; k + 1 < data.numExits; ++k) {
            auto& order = m_order[static_cast<size_t>(k)];
            order.resize(static_cast<size_t>(data.numSamples));
            std::iota(order.begin(), order.end(), 0);
            std::stable_sort(order.begin(), order.end(),
                             [&scores, k](int a, int b) { return scores(k, a) > scores(k, b); });
        }
    }

    /// The policies the candidates refer to, and the candidates in the order the search offers them.
    void run(std::vector<std::vector<double>>& policies, std::vector<Candidate>& candidates) {
        m_policies = &policies;
        m_candidates = &candidates;
        // Everyone leaving at exit 1 fits every budget, so the search always has an answer.
        std::vector<double> first(static_cast<size_t>(m_data.numExits), kInf);
        first.front() = first.back() = -kInf;
        offer(first, 0,
              {-kInf, m_data.correct.row(0).cast<long>().sum(), m_data.costs.front() * m_data.numSamples, 0});
        std::vector<int> rungs;
        std::vector<long> rungCorrect;
        for (int j = 0; j <= kLadderSteps; ++j) {
            Cut outcome;
            const std::vector<double> thresholds = protocol(rungBudget(j), outcome);
            rungCorrect.push_back(addRung(thresholds, outcome));
            rungs.push_back(m_lastPolicy);
        }
        for (int j = 0; j < kLadderSteps; ++j)
            refine(rungBudget(j), rungCorrect[static_cast<size_t>(j)], rungBudget(j + 1),
                   rungCorrect[static_cast<size_t>(j + 1)], kRefineDepth);
        // The floor a move must clear: the protocol's accuracy at the move's cost, read off the ladder (its
        // upper envelope, linear in cost between rungs). All rungs are evaluated whatever the budget, so
        // whether a move is a candidate never depends on it.
        std::sort(m_ladder.begin(), m_ladder.end());
        for (size_t j = 1; j < m_ladder.size(); ++j)
            m_ladder[j].second = std::max(m_ladder[j].second, m_ladder[j - 1].second);

        // Every anchor's moves, though a budget only reaches the anchors up to one stride above it
        // (ThresholdCandidates::best).
        for (int j = 0; j <= kLadderSteps; j += kAnchorStride) {
            const int anchor = rungs[static_cast<size_t>(j)];
            for (int k = 0; k + 1 < m_data.numExits; ++k) {
                moves(k, (*m_policies)[static_cast<size_t>(anchor)]);
                for (const Cut& move : m_moves) {
                    // The paired standard error of a move's gain over its anchor is about
                    // sqrt(changed): only the samples whose correctness flips differ.
                    const double lowerBound =
                        move.correct - kStandardErrors * std::sqrt(static_cast<double>(move.changed));
                    if (lowerBound >= floorAt(move.costSum))
                        m_candidates->push_back({anchor, k, move, j});
                }
            }
        }
    }

private:
    /// Adds a protocol policy to the ladder and offers it; returns its correct count.
    long addRung(const std::vector<double>& thresholds, const Cut& outcome) {
        m_ladder.push_back({outcome.costSum, static_cast<double>(outcome.correct)});
        offer(thresholds, 0, outcome);
        return outcome.correct;
    }

    /// Keeps a policy (with T_exit = cut.threshold) as a candidate of every budget.
    void offer(const std::vector<double>& thresholds, int exit, const Cut& cut) {
        m_lastPolicy = static_cast<int>(m_policies->size());
        m_policies->push_back(thresholds);
        m_candidates->push_back({m_lastPolicy, exit, cut, -1});
    }

    /// Where the protocol gains more than m_refineGap correct samples between two budgets, adds the
    /// protocol at the budget halfway, and so on `depth` times: steep stretches get finer rungs, so a
    /// budget between two rungs loses little to the protocol at that very budget.
    void refine(double low, long lowCorrect, double high, long highCorrect, int depth) {
        if (depth == 0 || std::abs(highCorrect - lowCorrect) <= m_refineGap)
            return;
        const double middle = 0.5 * (low + high);
        Cut outcome;
        const std::vector<double> thresholds = protocol(middle, outcome);
        const long middleCorrect = addRung(thresholds, outcome);
        refine(low, lowCorrect, middle, middleCorrect, depth - 1);
        refine(middle, middleCorrect, high, highCorrect, depth - 1);
    }

    double rungBudget(int j) const { return ladderBudget(m_data.costs, j); }

    /// The paper protocol at `budget`: compute_threshold (method.md 3.5) on the geometric distribution, the
    /// thresholds of thresholdsFromDistribution without sorting again; and, from the same walk, its
    /// validation figures under the rule "leave at the first k with s_k >= T_k" (into `outcome`). The two
    /// differ by ties: compute_threshold takes exactly n_k samples from its pool, while the rule also lets
    /// the pool's other samples scoring exactly T_k leave at k; those stay in compute_threshold's pool.
    std::vector<double> protocol(double budget, Cut& outcome) {
        const int exits = m_data.numExits;
        const int samples = m_data.numSamples;
        const auto& c = m_data.costs;
        const auto pBar = geometricDistributionForBudget(c, budget);
        std::vector<double> thresholds(static_cast<size_t>(exits), kInf);
        thresholds.back() = -kInf;
        std::fill(m_open.begin(), m_open.end(), 1);       // in compute_threshold's pool
        std::fill(m_staying.begin(), m_staying.end(), 1); // not left yet under the rule
        outcome = {};
        int pool = samples;
        for (int k = 0; k + 1 < exits && pool > 0; ++k) {
            int count =
                std::min(pool, static_cast<int>(std::floor(pBar[static_cast<size_t>(k)] * samples + 1e-9)));
            if (count == 0)
                continue;
            pool -= count;
            auto leave = [&](int i) {
                if (m_staying[static_cast<size_t>(i)]) {
                    m_staying[static_cast<size_t>(i)] = 0;
                    outcome.correct += m_data.correct(k, i);
                    outcome.costSum += c[static_cast<size_t>(k)];
                }
            };
            const auto& order = m_order[static_cast<size_t>(k)];
            auto it = order.begin();
            for (; count > 0; ++it) {
                if (!m_open[static_cast<size_t>(*it)])
                    continue;
                m_open[static_cast<size_t>(*it)] = 0;
                leave(*it);
                if (--count == 0)
                    thresholds[static_cast<size_t>(k)] = m_scores(k, *it);
            }
            for (; it != order.end() && m_scores(k, *it) == thresholds[static_cast<size_t>(k)]; ++it)
                leave(*it);
        }
        for (int i = 0; i < samples; ++i) {
            if (m_staying[static_cast<size_t>(i)]) {
                outcome.correct += m_data.correct(exits - 1, i);
                outcome.costSum += c.back();
            }
        }
        outcome.threshold = thresholds.front();
        return thresholds;
    }

    double floorAt(double costSum) const {
        const auto above = std::lower_bound(m_ladder.begin(), m_ladder.end(), std::make_pair(costSum, -kInf));
        if (above == m_ladder.begin())
            return above->second;
        if (above == m_ladder.end())
            return m_ladder.back().second;
        const auto below = std::prev(above);
        const double t = (costSum - below->first) / (above->first - below->first);
        return below->second + t * (above->second - below->second);
    }

    /// The supported thresholds for exit k with the others as in `thresholds` (into m_moves): nobody
    /// leaving, everybody reaching k leaving, and cuts at least m_support reaching samples apart, each
    /// midway between the last leaving score and the first staying one. "The top m leave at k" changes
    /// the correct count and cost by a running sum over the sorted order, so every figure is exact.
    void moves(int k, const std::vector<double>& thresholds) {
        const int exits = m_data.numExits;
        const auto& c = m_data.costs;
        long baseCorrect = 0;
        double baseCost = 0;
        for (int i = 0; i < m_data.numSamples; ++i) {
            int first = 0;
            while (first < k && m_scores(first, i) < thresholds[static_cast<size_t>(first)])
                ++first;
            m_open[static_cast<size_t>(i)] = first == k;
            int later = first == k ? k + 1 : first;
            while (later < exits - 1 && later > k &&
                   m_scores(later, i) < thresholds[static_cast<size_t>(later)])
                ++later;
            baseCorrect += m_data.correct(later, i);
            baseCost += c[static_cast<size_t>(later)];
            if (first == k) {
                m_gainCorrect[static_cast<size_t>(i)] = m_data.correct(k, i) - m_data.correct(later, i);
                m_gainCost[static_cast<size_t>(i)] =
                    c[static_cast<size_t>(k)] - c[static_cast<size_t>(later)];
            }
        }
        const double current = thresholds[static_cast<size_t>(k)];
        m_moves.assign(1, {kInf, baseCorrect, baseCost, 0});
        long correct = baseCorrect;
        double cost = baseCost;
        long changed = 0;    // samples passed so far whose correctness differs at k and later
        long changedNow = 0; // the same count among those leaving at k under `current`
        long sinceCut = 0;
        int previous = -1;
        for (int i : m_order[static_cast<size_t>(k)]) {
            if (!m_open[static_cast<size_t>(i)])
                continue;
            if (previous >= 0 && sinceCut >= m_support && m_scores(k, i) < m_scores(k, previous)) {
                m_moves.push_back({0.5 * (m_scores(k, previous) + m_scores(k, i)), correct, cost, changed});
                sinceCut = 0;
            }
            changed += m_gainCorrect[static_cast<size_t>(i)] != 0;
            if (m_scores(k, i) >= current)
                changedNow = changed;
            correct += m_gainCorrect[static_cast<size_t>(i)];
            cost += m_gainCost[static_cast<size_t>(i)];
            previous = i;
            ++sinceCut;
        }
        if (previous >= 0)
            m_moves.push_back({m_scores(k, previous), correct, cost, changed});
        for (Cut& move : m_moves)
            move.changed = std::abs(move.changed - changedNow);
    }

    const ScoreMatrix& m_scores;
    const ExitData& m_data;
    const long m_support;
    const long m_refineGap;
    std::vector<std::vector<int>> m_order;
    std::vector<int> m_gainCorrect;
    std::vector<double> m_gainCost;
    std::vector<char> m_open;
    std::vector<char> m_staying;
    std::vector<Cut> m_moves;
    /// (total cost, most correct of the rungs costing at most that), sorted by cost.
    std::vector<std::pair<double, double>> m_ladder;
    std::vector<std::vector<double>>* m_policies = nullptr;
    std::vector<Candidate>* m_candidates = nullptr;
    /// The index of the policy offered last.
    int m_lastPolicy = 0;
};

/// The search's candidates for one score matrix and split, collected once: every budget picks among them.
class ThresholdCandidates {
public:
    ThresholdCandidates(const ScoreMatrix& scores, const ExitData& data)
        : m_numSamples(data.numSamples)
        , m_costs(data.costs) {
        CandidateCollector(scores, data).run(m_policies, m_candidates);
    }

    /// The candidate with the most correct validation samples among those within `budget` (on a tie, the
    /// cheaper; on a tie of both, the first offered), looking at the moves of the anchors up to one stride
    /// above the budget only: the reach grows with the budget, so a larger budget sees every candidate a
    /// smaller one saw.
    std::vector<double> best(double budget) const {
        const double costLimit = budget * m_numSamples * (1 + 1e-12);
        const Candidate* best = nullptr;
        for (const Candidate& candidate : m_candidates) {
            const int anchor = candidate.anchorRung;
            // Candidates come by rising anchor: once one is out of reach, so are the rest.
            if (anchor >= kAnchorStride &&
                ladderBudget(m_costs, anchor - kAnchorStride) * m_numSamples > costLimit)
                break;
            const Cut& cut = candidate.cut;
            if (cut.costSum > costLimit ||
                (best && (cut.correct < best->cut.correct ||
                          (cut.correct == best->cut.correct && cut.costSum >= best->cut.costSum))))
                continue;
            best = &candidate;
        }
        // The first candidate (everyone at exit 1) fits every budget in [c_1, c_K].
        std::vector<double> thresholds = m_policies[static_cast<size_t>(best->policy)];
        thresholds[static_cast<size_t>(best->exit)] = best->cut.threshold;
        return thresholds;
    }

private:
    int m_numSamples;
    std::vector<double> m_costs;
    std::vector<std::vector<double>> m_policies;
    std::vector<Candidate> m_candidates;
};

/// What the candidates were collected from, compared exactly: a score matrix with the same contents gets
/// the same candidates, whatever its address.
struct SearchKey {
    ScoreMatrix scores;
    MaskMatrix correct;
    std::vector<double> costs;

    bool matches(const ScoreMatrix& otherScores, const ExitData& data) const {
        return scores.rows() == otherScores.rows() && scores.cols() == otherScores.cols() &&
               correct.rows() == data.correct.rows() && correct.cols() == data.correct.cols() &&
               costs == data.costs &&
               std::memcmp(scores.data(), otherScores.data(), sizeof(double) * scores.size()) == 0 &&
               std::memcmp(correct.data(), data.correct.data(), correct.size()) == 0;
    }
};

/// How many score matrices' candidates are kept: the studio's four heuristics and a few trained schedulers.
constexpr size_t kRememberedSearches = 8;

/// The candidates of the score matrices searched last, newest first, and the lock that guards them.
/// Process-wide so that every caller shares them (the studio's curve sweep, its slider's snapshots, an
/// Evaluator's sweep) without passing a cache around; keyed by content, so a result can never belong to
/// other scores. Comparing the contents costs O(K N), collecting the candidates O(K N log N) and a ladder
/// of protocol walks.
struct Remembered {
    std::mutex mutex;
    std::list<std::pair<SearchKey, std::shared_ptr<const ThresholdCandidates>>> searches;
};

Remembered& remembered() {
    static Remembered instance;
    return instance;
}

/// The candidates of `scores`, remembered or collected now.
std::shared_ptr<const ThresholdCandidates> candidatesFor(const ScoreMatrix& scores, const ExitData& data) {
    std::mutex& mutex = remembered().mutex;
    auto& searches = remembered().searches;
    {
        const std::lock_guard<std::mutex> lock(mutex);
        for (auto it = searches.begin(); it != searches.end(); ++it)
            if (it->first.matches(scores, data)) {
                searches.splice(searches.begin(), searches, it);
                return it->second;
            }
    }
    // Collected outside the lock: two threads searching different scores do not wait for each other.
    auto candidates = std::make_shared<const ThresholdCandidates>(scores, data);
    const std::lock_guard<std::mutex> lock(mutex);
    searches.emplace_front(SearchKey{scores, data.correct, data.costs}, candidates);
    if (searches.size() > kRememberedSearches)
        searches.pop_back();
    return candidates;
}

} // namespace

std::vector<double> searchThresholds(const ScoreMatrix& scores, const ExitData& data, double budget) {
    checkBudget(data.costs, budget);
    return candidatesFor(scores, data)->best(budget);
}

void forgetThresholdSearches() {
    const std::lock_guard<std::mutex> lock(remembered().mutex);
    remembered().searches.clear();
}

} // namespace eenet
