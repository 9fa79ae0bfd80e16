#pragma once

#include "data/Predictions.h"
#include "eval/ServingCost.h"
#include "eval/ServingMode.h"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace eenet {

/// What a budget bounds (docs/method.md, "Serving" and "A budget that holds on unseen data"). By default the
/// realised average cost per sample on val, sum_k f_k c_k, with the active cost vector.
struct BudgetRule {
    /// Bound the expected cost per sample under this serving mode instead (ServingCostModel); std::nullopt:
    /// the per-sample cost.
    std::optional<ServingMode> serving;
    /// 0: the budget holds on val. In (0, 1): thresholds are fitted so that the average cost on new data from
    /// the same distribution stays <= budget with this confidence (a bootstrap of val).
    double guarantee = 0;

    bool isDefault() const { return !serving && guarantee == 0; }
};

/// How a rule other than the default moved a fit.
struct BudgetRuleEffect {
    /// The per-sample budget (in [c_1, c_K]) the method was fitted at so that its cost under the rule meets
    /// the budget.
    double fittedBudget = 0;
    /// With a guarantee: the upper confidence bound of the cost on new data, <= budget; NaN without one.
    /// Above the budget only where no thresholds can promise it (at the bottom of the range, where a new
    /// sample may always score below every val sample): then the fit is the cheapest.
    double costUpperBound = 0;
    /// Budget minus the realised val cost under the rule: with a guarantee the margin it took, without one
    /// what the fit left unused.
    double margin = 0;
    /// With a guarantee: val accuracy (percentage points) lost against the same scores fitted to the same
    /// rule without the guarantee; 0 without one.
    double accuracyCost = 0;
};

/// The cost a BudgetRule holds to the budget, from a policy's exit counts on one split: the serving mode's
/// cost per sample (or sum_k f_k c_k without one), and with a guarantee its upper confidence bound on new
/// data. Cheap to call: the bootstrap's random numbers are drawn once, at construction.
class BudgetRuleCost {
public:
    /// Resamples of the guarantee's bootstrap.
    static constexpr int kResamples = 1000;

    /// Throws ArgumentError for a guarantee outside [0, 1) and ServingCostModel's errors.
    BudgetRuleCost(const Predictions& predictions, BudgetRule rule);

    const BudgetRule& rule() const { return m_rule; }
    /// The cost per sample the rule measures: ServingCostModel::costPerSample under the serving mode, or
    /// sum_k f_k c_k without one.
    double realised(const std::vector<long long>& exitCounts) const;
    /// Upper confidence bound, at the rule's guarantee, of the realised cost of a new split as large as this
    /// one: a two-stage bootstrap of the exit counts (docs/method.md, "A budget that holds on unseen data").
    /// Throws ArgumentError when the rule has no guarantee.
    double upperBound(const std::vector<long long>& exitCounts) const;
    /// What the budget bounds: upperBound with a guarantee, realised without.
    double bounded(const std::vector<long long>& exitCounts) const;

    /// [cost with every sample at exit 1, cost with every sample at exit K] on a split of `numSamples`.
    std::pair<double, double> range(long long numSamples) const;
    /// "ms per sample under sync:32"; the cost unit alone without a serving mode.
    std::string unitText() const;
    /// Throws ArgumentError ("budget 0.1 is outside [0.02, 0.3] ms per sample under sync:32") unless the
    /// budget is finite and in range(numSamples).
    void checkBudget(double budget, long long numSamples) const;

private:
    BudgetRule m_rule;
    std::vector<double> m_costs;
    std::string m_costUnit;
    std::optional<ServingCostModel> m_serving;
    /// [resample][stage][exit] uniforms of the bootstrap, the same for every count vector (common random
    /// numbers): the bound moves smoothly with the counts, which the bisection needs.
    std::vector<double> m_uniforms;
};

/// A per-sample budget B' found for a rule, with the val exits it gives.
struct BudgetFit {
    double fittedBudget = 0;
    /// The rule's bounded cost of `exitOf`, <= the budget.
    double cost = 0;
    std::vector<int> exitOf;
    int evaluations = 0;
    /// False when not even `low` met the budget: then this is `low`, and `cost` is above the budget.
    bool met = true;
};

/// The per-sample budget B' in [low, high] whose exits (`exitsAt(B')`) have the largest rule cost
/// (`costOf`) that is still <= `budget` (on equal costs the larger B'): bisection mixed with secant steps on
/// B', stopping within 10^-4 of the budget (relative), at a bracket 10^-7 of [low, high] wide, or after 50
/// evaluations. A cost that is not quite monotone in B' cannot push the answer over the budget: the answer is
/// the best feasible B' evaluated. When not even `low` meets the budget (a guarantee at the bottom of the
/// range: thresholds on val cannot promise that no new sample goes past exit 1), the answer is `low`, with
/// `met` false.
BudgetFit fitBudgetToRule(const std::function<std::vector<int>(double)>& exitsAt,
                          const std::function<double(const std::vector<int>&)>& costOf, double budget,
                          double low, double high);

} // namespace eenet
