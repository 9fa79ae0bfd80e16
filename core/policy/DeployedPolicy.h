#pragma once

#include "data/Predictions.h"
#include "policy/ConfidenceScores.h"
#include "policy/EENetScheduler.h"

#include <optional>
#include <string>
#include <vector>

namespace eenet {

/// An exit policy as a deployment runs it (docs/deploy.md): exit by exit, compute the exit's score from its
/// probabilities (and, for some scores, the earlier exits), stop at the first exit whose score reaches its
/// threshold; the last exit answers for everyone left. What the studio and the CLI export, and what the
/// JSON and TorchScript schedulers hold.
struct DeployedPolicy {
    enum class Score { EENet, MaxProb, Entropy, Patience, Agreement };
    Score score = Score::MaxProb;
    int numExits = 0;
    int numClasses = 0;
    /// T_k as exported (see exportThresholds); T_K = -inf.
    std::vector<double> thresholds;
    /// The learned weights when score == EENet (its own thresholds are ignored in favour of `thresholds`).
    EENetScheduler eenet;
    /// Per-exit temperatures (docs/method.md 8.2) when the policy was fitted on temperature-scaled
    /// probabilities: exit k's rows are scaled by T_k (scaleRow) before they are scored, so the policy takes
    /// the model's own probabilities. Empty: they are scored as given.
    std::vector<double> temperatures;

    /// Scores [K, N] of every exit, computed exactly as the C++ studio does, from the model's own
    /// probabilities (scaled by `temperatures` first when there are any). Throws ArgumentError when there are
    /// temperatures but not K positive finite ones.
    ScoreMatrix scores(const SplitPredictions& split) const;
    /// Exit taken by each sample, 0-based.
    std::vector<int> exits(const SplitPredictions& split) const;
};

/// "eenet", "maxprob", "entropy", "patience", "agreement".
std::string scoreName(DeployedPolicy::Score score);
std::optional<DeployedPolicy::Score> parseScoreName(const std::string& name);

/// Thresholds for export: each finite T_k lowered by 1e-9 max(1, |T_k|). A sample whose score equals T_k
/// exactly (compute_threshold puts one there per exit) then leaves in every runtime, even when another
/// summation order changes its score in the last bits; any sample the margin does flip is reported by the
/// replay check.
std::vector<double> exportThresholds(const std::vector<double>& thresholds);

/// Throws ArgumentError, its message starting with `who`, unless `policy` has at least `minimum` exits and
/// classes, one threshold per exit, no temperatures or K positive finite ones, and for the EENet score
/// weights of its exits and classes: what a runtime needs before it decides anything.
void checkDeployedPolicy(const DeployedPolicy& policy, const std::string& who, int minimum);

} // namespace eenet
