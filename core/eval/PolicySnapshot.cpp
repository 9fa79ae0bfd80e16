#include "eval/PolicySnapshot.h"

#include "Error.h"
#include "policy/ThresholdSolver.h"

#include <cmath>
#include <cstdio>

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

} // namespace

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
    checkBudget(predictions.costs, budget);
    PolicySnapshot snapshot;
    snapshot.method = method.name();
    snapshot.scoreMethod = method;
    snapshot.budget = budget;
    snapshot.scoreName = scoreNameOf(method);
    std::vector<Split> splits{Split::Val};
    if (evaluator.hasTest())
        splits.push_back(Split::Test);

    if (method.kind == Method::Kind::Oracle) {
        for (Split split : splits) {
            auto data = evaluator.exitData(split);
            snapshot.splits.push_back(
                {split, nullptr, data, evaluateAssignment(oracleExits(*data, budget), *data)});
        }
        snapshot.available = true;
        snapshot.note = "label-aware upper bound, not a policy";
        return snapshot;
    }

    std::shared_ptr<const TrainedScheduler> scheduler;
    if (method.isLearned()) {
        scheduler = nearestScheduler(trained, budget);
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
    switch (method.kind) {
    case Method::Kind::Heuristic:
        snapshot.thresholds = thresholdsFromDistribution(
            *scoresOf(Split::Val), geometricDistributionForBudget(predictions.costs, budget));
        break;
    case Method::Kind::HeuristicOpt:
    case Method::Kind::EENetOpt:
        snapshot.thresholds = searchThresholds(*scoresOf(Split::Val), val, budget);
        break;
    case Method::Kind::EENet:
    case Method::Kind::EENetReference:
        if (sameBudget(scheduler->budget, budget)) {
            snapshot.thresholds = scheduler->fit.scheduler.thresholds;
        } else {
            snapshot.thresholds = thresholdsFromDistribution(
                *scoresOf(Split::Val),
                tiltDistributionToBudget(scheduler->fit.exitDistribution, predictions.costs, budget));
            snapshot.note = "scheduler trained at " + formatBudget(scheduler->budget) +
                            ", re-thresholded to this budget (train here for the exact fit)";
        }
        break;
    default:
        throw ArgumentError("method " + method.name() + " has no live view in the studio");
    }
    if (method.kind == Method::Kind::EENetOpt && !sameBudget(scheduler->budget, budget))
        snapshot.note = "scores of the scheduler trained at " + formatBudget(scheduler->budget) +
                        ", thresholds searched at this budget";
    for (Split split : splits) {
        auto scores = scoresOf(split);
        auto data = evaluator.exitData(split);
        snapshot.splits.push_back({split, scores, data, evaluatePolicy(*scores, snapshot.thresholds, *data)});
    }
    snapshot.available = true;
    return snapshot;
}

} // namespace eenet
