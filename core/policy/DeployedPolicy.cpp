#include "policy/DeployedPolicy.h"

#include "Error.h"
#include "data/ProbabilityScaling.h"
#include "policy/PolicyEvaluation.h"

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

} // namespace eenet
