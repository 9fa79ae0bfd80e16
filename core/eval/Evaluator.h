#pragma once

#include "data/Predictions.h"
#include "eval/BudgetRuleFit.h"
#include "eval/Method.h"
#include "eval/ServingMode.h"
#include "eval/Split.h"
#include "policy/EENetTrainer.h"
#include "policy/ExitData.h"
#include "policy/PolicyEvaluation.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace eenet {

/// One method at one budget on one split.
struct MethodResult {
    std::string method;
    /// std::nullopt for the static exits.
    std::optional<double> budget;
    Split split = Split::Val;
    PolicyOutcome outcome;
    /// Thresholds used (empty for oracle and static).
    std::vector<double> thresholds;
    /// Seconds spent fitting on the validation split (EENet training, threshold search); 0 otherwise.
    double trainSeconds = 0;
    /// Cost per sample under the evaluator's serving mode; outcome.cost without one.
    double servingCost = 0;
    /// Set when the evaluator's BudgetRule is not the default.
    std::optional<BudgetRuleEffect> rule;
};

/// Evaluates methods over budgets. Everything is fitted on the validation split only; the test split
/// measures how the fit generalises. Per-split data and heuristic scores are computed once and cached.
class Evaluator {
public:
    explicit Evaluator(std::shared_ptr<const Predictions> predictions, EENetOptions eenetOptions = {},
                       BudgetRule rule = {});

    const BudgetRule& budgetRule() const { return m_rule; }
    /// What the rule holds to the budget (BudgetRuleCost::bounded), on a split's exit counts.
    const BudgetRuleCost& ruleCost() const { return m_ruleCost; }

    /// Thresholds fitted on val for `budget`: thresholdsAt(budget) under the default rule; under another,
    /// thresholdsAt(B') at the per-sample budget B' whose val exits (by `valScores`) meet the rule
    /// (fitBudgetToRule), with its effect. thresholdsAt(B') gives a policy's thresholds fitted at per-sample
    /// budget B' in [c_1, c_K].
    struct ThresholdChoice {
        std::vector<double> thresholds;
        std::optional<BudgetRuleEffect> effect;
    };
    ThresholdChoice fitThresholds(const ScoreMatrix& valScores,
                                  const std::function<std::vector<double>(double)>& thresholdsAt,
                                  double budget);
    /// The budgets the rule can meet: the cost of everyone leaving at the first exit to that of everyone
    /// reaching the last, under the serving mode ([c_1, c_K] by default).
    std::pair<double, double> budgetRange() const;

    const std::shared_ptr<const Predictions>& predictions() const { return m_predictions; }
    bool hasTest() const { return m_predictions->test.has_value(); }

    /// Results of `method` at `budget` for each requested split (a static method ignores the budget and
    /// gives one result per exit). `eenet-opt` at a budget also weighs the choices it made at the smaller
    /// budgets evaluated before (each uses its own EENet fit's scores), so over a sweep in ascending order
    /// its validation accuracy never falls. Under a BudgetRule other than the default, the budget is in the
    /// rule's units and each threshold method is fitted at the per-sample budget B' whose val cost under the
    /// rule meets it (MethodResult::rule; docs/method.md, "Serving"). Throws ArgumentError for a budget
    /// outside budgetRange() or a missing split.
    std::vector<MethodResult> evaluate(const Method& method, std::optional<double> budget,
                                       const std::vector<Split>& splits);

    /// `count` budgets evenly spaced over budgetRange().
    std::vector<double> sweepBudgets(int count) const;

    /// The EENet fit for a budget (cached per budget and mode). Corrected fits after the first are
    /// warm-started from the nearest budget fitted so far unless the options turn it off (EENetTrainer).
    const EENetFit& eenetFit(double budget, bool reference);

    /// Shared so that results computed from them (the studio's policy snapshots) can outlive the evaluator.
    std::shared_ptr<const ExitData> exitData(Split split);
    std::shared_ptr<const ScoreMatrix> heuristicScores(ConfidenceMeasure measure, Split split);
    const SplitPredictions& splitPredictions(Split split) const;

    /// The per-sample budget at which max score meets the rule at `budget` (`budget` itself under the default
    /// rule): where EENet's fits start, and the budget a scheduler trained for `budget` is trained at.
    double nominalBudget(double budget);

private:
    /// A fitted scheduler's scores on a split (EENetScheduler::scores), with the cached entropy confidences.
    ScoreMatrix learnedScores(const EENetScheduler& scheduler, Split split);

    /// EENet (corrected or reference) under a non-default rule: fitted at nominalBudget, moved by tilting,
    /// then refitted once at the B' found (docs/method.md, "Serving").
    ThresholdChoice fitEENetToRule(double budget, bool reference, const EENetFit*& fit);
    /// The oracle on each split, at the per-sample budget whose cost on that split meets the serving mode.
    std::vector<MethodResult> evaluateOracle(const Method& method, double budget,
                                             const std::vector<Split>& splits);
    /// A result's MethodResult::servingCost: the serving mode's cost of its exits, or its per-sample cost.
    double servingCostOf(const PolicyOutcome& outcome) const;

    std::shared_ptr<const Predictions> m_predictions;
    EENetOptions m_eenetOptions;
    BudgetRule m_rule;
    std::map<Split, std::shared_ptr<const ExitData>> m_exitData;
    std::map<std::pair<ConfidenceMeasure, Split>, std::shared_ptr<const ScoreMatrix>> m_scores;
    std::map<std::pair<double, bool>, EENetFit> m_fits;
    /// eenet-opt's choice at each budget evaluated so far: the budget of the fit whose scores it uses, its
    /// thresholds and their validation accuracy. The fit chosen at a smaller budget is a candidate at a
    /// larger one (docs/method.md 6.4).
    struct OptChoice {
        double fitBudget = 0;
        std::vector<double> thresholds;
        double valAccuracy = 0;
        std::optional<BudgetRuleEffect> effect;
    };
    std::map<double, OptChoice> m_optChoices;
    /// Created at the first fit of each mode: they share the training inputs between budgets.
    std::unique_ptr<EENetTrainer> m_trainer;
    std::unique_ptr<EENetTrainer> m_referenceTrainer;
    /// What the rule bounds, and the same rule without its guarantee (the serving mode's cost alone).
    BudgetRuleCost m_ruleCost;
    BudgetRuleCost m_servingCost;
    std::map<double, double> m_nominalBudgets;
};

} // namespace eenet
