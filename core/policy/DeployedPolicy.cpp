#include "policy/DeployedPolicy.h"

#include "Error.h"
#include "data/ProbabilityScaling.h"
#include "policy/PolicyEvaluation.h"

#include <algorithm>
#include <cmath>

namespace eenet {
namespace {

ScoreMatrix scoresAsGiven(const DeployedPolicy& policy, const SplitPredictions& split) {
    const int classes = policy.numClasses;
    switch (policy.score) {
    case DeployedPolicy::Score::EENet:
        return policy.eenet.scores(split);
    case DeployedPolicy::Score::MaxProb:
        return confidenceScores(ConfidenceMeasure::MaxProb, split, classes);
    case DeployedPolicy::Score::Entropy:
        return confidenceScores(ConfidenceMeasure::Entropy, split, classes);
    case DeployedPolicy::Score::Patience:
        return confidenceScores(ConfidenceMeasure::Patience, split, classes);
    case DeployedPolicy::Score::Agreement:
        return confidenceScores(ConfidenceMeasure::Agreement, split, classes);
    }
    throw ArgumentError("unknown score");
}

} // namespace

std::string scoreName(DeployedPolicy::Score score) {
    switch (score) {
    case DeployedPolicy::Score::EENet:
        return "eenet";
    case DeployedPolicy::Score::MaxProb:
        return "maxprob";
    case DeployedPolicy::Score::Entropy:
        return "entropy";
    case DeployedPolicy::Score::Patience:
        return "patience";
    case DeployedPolicy::Score::Agreement:
        return "agreement";
    }
    return "unknown";
}

std::optional<DeployedPolicy::Score> parseScoreName(const std::string& name) {
    for (auto score :
         {DeployedPolicy::Score::EENet, DeployedPolicy::Score::MaxProb, DeployedPolicy::Score::Entropy,
          DeployedPolicy::Score::Patience, DeployedPolicy::Score::Agreement})
        if (scoreName(score) == name)
            return score;
    return std::nullopt;
}

std::vector<double> exportThresholds(const std::vector<double>& thresholds) {
    std::vector<double> lowered = thresholds;
    for (double& t : lowered)
        if (std::isfinite(t))
            t -= 1e-9 * std::max(1.0, std::abs(t));
    return lowered;
}

ScoreMatrix DeployedPolicy::scores(const SplitPredictions& split) const {
    if (temperatures.empty())
        return scoresAsGiven(*this, split);
    return scoresAsGiven(*this, temperatureScaledSplit(split, numExits, numClasses, temperatures));
}

std::vector<int> DeployedPolicy::exits(const SplitPredictions& split) const {
    if (static_cast<int>(thresholds.size()) != numExits)
        throw ArgumentError("policy has " + std::to_string(thresholds.size()) + " thresholds for " +
                            std::to_string(numExits) + " exits");
    return exitsFromThresholds(scores(split), thresholds);
}

void checkDeployedPolicy(const DeployedPolicy& policy, const std::string& who, int minimum) {
    const auto k = static_cast<size_t>(std::max(policy.numExits, 0));
    const std::string count = std::to_string(minimum);
    if (policy.numExits < minimum || policy.numClasses < minimum)
        throw ArgumentError(who + ": needs at least " + count +
                            (minimum == 1 ? " exit and " : " exits and ") + count +
                            (minimum == 1 ? " class" : " classes"));
    if (policy.thresholds.size() != k)
        throw ArgumentError(who + ": " + std::to_string(policy.thresholds.size()) + " thresholds for " +
                            std::to_string(k) + " exits");
    if (!policy.temperatures.empty() && policy.temperatures.size() != k)
        throw ArgumentError(who + ": " + std::to_string(policy.temperatures.size()) + " temperatures for " +
                            std::to_string(k) + " exits");
    for (size_t e = 0; e < policy.temperatures.size(); ++e)
        checkTemperature(policy.temperatures[e], "exit " + std::to_string(e + 1) + ": ");
    if (policy.score != DeployedPolicy::Score::EENet)
        return;
    const EENetScheduler& s = policy.eenet;
    bool ok = s.numExits == policy.numExits && s.numClasses == policy.numClasses &&
              s.classWeights.size() == k && s.auxWeights.size() == k;
    for (size_t e = 0; ok && e < k; ++e)
        ok = s.classWeights[e].size() == static_cast<size_t>(policy.numClasses) &&
             s.auxWeights[e].size() == 2 + e;
    if (!ok)
        throw ArgumentError(who + ": the EENet weights do not have " + std::to_string(k) + " exits and " +
                            std::to_string(policy.numClasses) + " classes");
}

} // namespace eenet
