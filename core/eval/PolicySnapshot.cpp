#include "eval/PolicySnapshot.h"

#include "Error.h"
#include "policy/ThresholdSolver.h"

#include <cmath>
#include <cstdio>
#include <functional>

namespace eenet {
namespace {

std::string scoreNameOf(const Method& method) {
    switch (method.kind) {
    case Method::Kind::EENet:
    case Method::Kind::EENetOpt:
    case Method::Kind::EENetReference:
        return "EENet's learned exit score q̂";
    case Method::Kind::Oracle:
        return "";
    default:
        break;
    }
    switch (method.measure) {
    case ConfidenceMeasure::MaxProb:
        return "max softmax probability";
    case ConfidenceMeasure::Entropy:
        return "entropy confidence 1 - H/log C";
    case ConfidenceMeasure::Patience:
        return "patience (agreeing exits in a row)";
    case ConfidenceMeasure::Agreement:
        return "agreement (+ max score tie-break)";
    }
    return "";
}

std::string formatBudget(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.5g", value);
    return text;
}

bool sameBudget(double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(a));
}

/// Says in the note what a guarantee took: the views show the note beside the realised costs.
void describeGuarantee(PolicySnapshot& snapshot, const BudgetRule& rule) {
    if (!(rule.guarantee > 0) || !snapshot.rule)
        return;
    char text[200];
    std::snprintf(
        text, sizeof text,
        "held on new data with %.0f %% confidence: bound %.4g, margin %.3g, %.2f pp of val accuracy",
        100 * rule.guarantee, snapshot.rule->costUpperBound, snapshot.rule->margin,
        snapshot.rule->accuracyCost);
    snapshot.note += (snapshot.note.empty() ? "" : "; ") + std::string(text);
}

} // namespace

void showCostsUnderRule(PolicySnapshot& snapshot) {
    if (!snapshot.servingCost)
        return;
    for (SplitPolicy& split : snapshot.splits)
        split.outcome.cost =
            snapshot.servingCost->realised(exitCounts(split.outcome.exitOf, split.data->numExits));
}

const SplitPolicy* PolicySnapshot::split(Split which) const {
    for (const SplitPolicy& s : splits)
        if (s.split == which)
            return &s;
    return nullptr;
}

std::shared_ptr<const TrainedScheduler>
nearestScheduler(const std::vector<std::shared_ptr<const TrainedScheduler>>& trained, double budget) {
    std::shared_ptr<const TrainedScheduler> nearest;
    for (const auto& candidate : trained)
        if (!nearest || std::abs(candidate->budget - budget) < std::abs(nearest->budget - budget))
            nearest = candidate;
    return nearest;
}

std::vector<Method> snapshotMethods() {
    std::vector<Method> methods;
    for (const char* name : {"eenet", "eenet-opt", "maxprob", "entropy", "patience", "agreement",
                             "maxprob-opt", "entropy-opt", "patience-opt", "agreement-opt", "oracle"})
        methods.push_back(*Method::parse(name));
    return methods;
}

PolicySnapshot computeSnapshot(Evaluator& evaluator, const Method& method, double budget,
                               const std::vector<std::shared_ptr<const TrainedScheduler>>& trained) {
    const Predictions& predictions = *evaluator.predictions();
    const BudgetRule& rule = evaluator.budgetRule();
    if (rule.isDefault())
        checkBudget(predictions.costs, budget);
    else
        evaluator.ruleCost().checkBudget(budget, predictions.val.numSamples);
    PolicySnapshot snapshot;
    snapshot.method = method.name();
    snapshot.scoreMethod = method;
    snapshot.budget = budget;
    snapshot.scoreName = scoreNameOf(method);
    if (rule.serving)
        snapshot.servingCost =
            std::make_shared<const BudgetRuleCost>(predictions, BudgetRule{rule.serving, 0.0});
    std::vector<Split> splits{Split::Val};
    if (evaluator.hasTest())
        splits.push_back(Split::Test);

    if (method.kind == Method::Kind::Oracle) {
        // Under a rule the evaluator finds the per-sample budget that meets it.
        const std::vector<MethodResult> results = evaluator.evaluate(method, budget, splits);
        for (const MethodResult& result : results)
            snapshot.splits.push_back(
                {result.split, nullptr, evaluator.exitData(result.split), result.outcome});
        snapshot.rule = results.front().rule;
        showCostsUnderRule(snapshot);
        describeGuarantee(snapshot, rule);
        snapshot.available = true;
        snapshot.note = "label-aware upper bound, not a policy";
        return snapshot;
    }

    std::shared_ptr<const TrainedScheduler> scheduler;
    if (method.isLearned()) {
        // Schedulers are trained at per-sample budgets: under a rule, the one that meets it.
        scheduler = nearestScheduler(trained, rule.isDefault() ? budget : evaluator.nominalBudget(budget));
        if (!scheduler) {
            snapshot.note = "no EENet scheduler trained yet: train one at this budget";
            return snapshot;
        }
        snapshot.trainedBudget = scheduler->budget;
        snapshot.scheduler = scheduler;
    }
    auto scoresOf = [&](Split split) {
        return scheduler ? scheduler->scores(split) : evaluator.heuristicScores(method.measure, split);
    };

    const ExitData& val = *evaluator.exitData(Split::Val);
    const ScoreMatrix& valScores = *scoresOf(Split::Val);
    // The thresholds at a per-sample budget; under a rule the evaluator finds the one that meets it.
    std::function<std::vector<double>(double)> thresholdsAt;
    switch (method.kind) {
    case Method::Kind::Heuristic:
        thresholdsAt = [&](double b) {
            return thresholdsFromDistribution(valScores,
                                              geometricDistributionForBudget(predictions.costs, b));
        };
        break;
    case Method::Kind::HeuristicOpt:
    case Method::Kind::EENetOpt:
        thresholdsAt = [&](double b) { return searchThresholds(valScores, val, b); };
        break;
    case Method::Kind::EENet:
    case Method::Kind::EENetReference:
        thresholdsAt = [&](double b) {
            if (sameBudget(scheduler->budget, b))
                return scheduler->fit.scheduler.thresholds;
            return thresholdsFromDistribution(
                valScores, tiltDistributionToBudget(scheduler->fit.exitDistribution, predictions.costs, b));
        };
        if (!rule.isDefault() || !sameBudget(scheduler->budget, budget))
            snapshot.note = "scheduler trained at " + formatBudget(scheduler->budget) +
                            ", re-thresholded to this budget (train here for the exact fit)";
        break;
    default:
        throw ArgumentError("method " + method.name() + " has no live view in the studio");
    }
    if (rule.isDefault()) {
        snapshot.thresholds = thresholdsAt(budget);
    } else {
        auto choice = evaluator.fitThresholds(valScores, thresholdsAt, budget);
        snapshot.thresholds = std::move(choice.thresholds);
        snapshot.rule = choice.effect;
    }
    if (method.kind == Method::Kind::EENetOpt && !sameBudget(scheduler->budget, budget))
        snapshot.note = "scores of the scheduler trained at " + formatBudget(scheduler->budget) +
                        ", thresholds searched at this budget";
    for (Split split : splits) {
        auto scores = scoresOf(split);
        auto data = evaluator.exitData(split);
        snapshot.splits.push_back({split, scores, data, evaluatePolicy(*scores, snapshot.thresholds, *data)});
    }
    showCostsUnderRule(snapshot);
    describeGuarantee(snapshot, rule);
    snapshot.available = true;
    return snapshot;
}

} // namespace eenet
