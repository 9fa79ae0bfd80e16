#include "eval/CustomPolicy.h"

#include "Error.h"

#include <limits>

namespace eenet {

bool CustomPolicy::operator==(const CustomPolicy& other) const {
    return base.name() == other.base.name() && scheduler == other.scheduler && thresholds == other.thresholds;
}

bool holdsScoresOf(const PolicySnapshot& snapshot, const CustomPolicy& policy) {
    return snapshot.available && !snapshot.splits.empty() && snapshot.splits.front().scores &&
           snapshot.scoreMethod.name() == policy.base.name() && snapshot.scheduler == policy.scheduler;
}

PolicySnapshot customSnapshot(const PolicySnapshot& fitted, std::vector<double> thresholds) {
    if (!fitted.available || fitted.splits.empty() || !fitted.splits.front().scores)
        throw ArgumentError(fitted.method + " has no scores to set thresholds on");
    const auto exits = static_cast<size_t>(fitted.splits.front().data->numExits);
    if (thresholds.size() != exits)
        throw ArgumentError("custom thresholds: " + std::to_string(thresholds.size()) + " given for " +
                            std::to_string(exits) + " exits");
    thresholds.back() = -std::numeric_limits<double>::infinity();
    PolicySnapshot snapshot;
    snapshot.method = Method{Method::Kind::Custom}.name();
    snapshot.scoreMethod = fitted.scoreMethod;
    snapshot.budget = fitted.budget;
    snapshot.available = true;
    snapshot.note = "thresholds set by hand on the scores of " + fitted.scoreMethod.name();
    snapshot.scoreName = fitted.scoreName;
    snapshot.trainedBudget = fitted.trainedBudget;
    snapshot.scheduler = fitted.scheduler;
    snapshot.thresholds = std::move(thresholds);
    snapshot.servingCost = fitted.servingCost;
    for (const SplitPolicy& split : fitted.splits)
        snapshot.splits.push_back({split.split, split.scores, split.data,
                                   evaluatePolicy(*split.scores, snapshot.thresholds, *split.data)});
    showCostsUnderRule(snapshot);
    return snapshot;
}

PolicySnapshot computeCustomSnapshot(Evaluator& evaluator, const CustomPolicy& policy, double budget) {
    if (!policy.base.acceptsCustomThresholds())
        throw ArgumentError("thresholds cannot be set by hand on " + policy.base.name());
    std::vector<std::shared_ptr<const TrainedScheduler>> trained;
    if (policy.scheduler)
        trained.push_back(policy.scheduler);
    return customSnapshot(computeSnapshot(evaluator, policy.base, budget, trained), policy.thresholds);
}

} // namespace eenet
