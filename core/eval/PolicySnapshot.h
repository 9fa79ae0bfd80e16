#pragma once

#include "eval/Evaluator.h"
#include "eval/TrainedScheduler.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace eenet {

/// One split as the chosen policy treats it at the current budget.
struct SplitPolicy {
    Split split = Split::Val;
    /// The scores the thresholds apply to [K, N]; nullptr for the oracle, which has none.
    std::shared_ptr<const ScoreMatrix> scores;
    std::shared_ptr<const ExitData> data;
    PolicyOutcome outcome;
};

/// Everything the studio's linked views show of one method at one budget: thresholds, and per split the
/// scores, the exit of every sample and the figures. Immutable; made off the GUI thread.
struct PolicySnapshot {
    std::string method;
    /// The method whose scores `thresholds` apply to: the snapshot's own method, or for "custom" the method
    /// its thresholds were set on (CustomPolicy::base).
    Method scoreMethod;
    double budget = 0;
    /// False when the method cannot be shown yet (EENet before any training); `note` says why.
    bool available = false;
    /// What the user should know about how the figures were obtained, e.g. that an EENet scheduler
    /// trained at another budget was re-thresholded to this one. Empty when there is nothing to say.
    std::string note;
    /// What the scores are, for axis labels ("max softmax probability", "EENet's learned exit score q̂", ...).
    std::string scoreName;
    /// Budget of the EENet scheduler used; std::nullopt for the heuristics.
    std::optional<double> trainedBudget;
    /// The EENet scheduler whose scores are used (nullptr for the heuristics).
    std::shared_ptr<const TrainedScheduler> scheduler;
    /// T_k (T_K = -inf); empty for the oracle.
    std::vector<double> thresholds;
    /// How the evaluator's budget rule moved the fit (a serving mode, a guarantee); std::nullopt under the
    /// default rule.
    std::optional<BudgetRuleEffect> rule;
    /// Under a serving mode, its cost per sample (no guarantee): what each split's outcome.cost holds;
    /// nullptr otherwise.
    std::shared_ptr<const BudgetRuleCost> servingCost;
    /// Validation, then test when the file has one.
    std::vector<SplitPolicy> splits;

    /// nullptr when the split is absent.
    const SplitPolicy* split(Split which) const;
    /// Thresholds set by hand (CustomPolicy) rather than fitted.
    bool isCustom() const { return method == Method{Method::Kind::Custom}.name(); }
};

/// Under a serving mode (snapshot.servingCost), each split's outcome.cost becomes the cost per sample served
/// that way, the cost the budget is in (the views show it as "realised cost"); nothing changes otherwise.
void showCostsUnderRule(PolicySnapshot& snapshot);

/// The trained scheduler whose budget is nearest to `budget` (nullptr when none).
std::shared_ptr<const TrainedScheduler>
nearestScheduler(const std::vector<std::shared_ptr<const TrainedScheduler>>& trained, double budget);

/// The snapshot of `method` at `budget`. Heuristics are fitted on val as in the CLI. EENet uses the scheduler
/// trained at this budget when there is one; otherwise the nearest one, its learned exit distribution tilted
/// to this budget (tiltDistributionToBudget), and says so in `note`. Throws eenet::Error on a bad budget.
PolicySnapshot computeSnapshot(Evaluator& evaluator, const Method& method, double budget,
                               const std::vector<std::shared_ptr<const TrainedScheduler>>& trained);

/// The methods a user can choose for the linked views, in menu order.
std::vector<Method> snapshotMethods();

} // namespace eenet
