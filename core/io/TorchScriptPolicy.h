#pragma once

#include "policy/DeployedPolicy.h"

#include <string>
#include <vector>

namespace eenet {

/// What a TorchScript policy decided for each sample of a split.
struct TorchScriptDecisions {
    /// Exit taken, 0-based.
    std::vector<int> exits;
    /// Argmax (first max on ties) of the probabilities of the exit taken.
    std::vector<int> predictions;
};

/// How to run a saved policy: its `forward` on the whole [K, N, C] tensor, or exit by exit through
/// `score` / `threshold` / `predict` with only the samples still running passed on, as an early-stopping
/// runtime calls it.
enum class TorchScriptCall { Forward, ExitByExit };

/// Saves `policy` as a TorchScript module that runs without EENet Studio (torch.jit.load in Python,
/// torch::jit::load in C++). Its methods take the model's own probabilities; when the policy has
/// temperatures, `score` scales exit k's rows by T_k first, as scaleRow does (floored log, float64, rounded
/// to float32, a rounding tie raised by one float step). All compute in float64 and mirror
/// DeployedPolicy::scores operation by operation:
///
///     forward(probs: Tensor[K, N, C]) -> Tuple[exit_index: Tensor[N] int64, prediction: Tensor[N] int64]
///     score(k: int, probs_k: Tensor[n, C], previous_scores: Tensor[n, k] float64,
///           previous_predictions: Tensor[n, k] int64) -> Tensor[n] float64
///     predict(probs_k: Tensor[n, C]) -> Tensor[n] int64       (argmax, first max on ties)
///     threshold(k: int) -> float                               (T_k; -inf for the last exit)
///     leaves(k: int, scores: Tensor[n]) -> Tensor[n] bool      (scores >= T_k, all True at the last exit)
///     scores(probs: Tensor[K, N, C]) -> Tensor[K, N] float64   (every exit's score, for checks)
///
/// A runtime that stops early calls, at exit k, for the n samples still running: s = score(k, probs_k,
/// previous_scores, previous_predictions); the samples with s >= threshold(k) leave with predict(probs_k);
/// the others carry s and predict(probs_k) on as new last columns of previous_scores / previous_predictions
/// (EENet reads the scores, patience and agreement the predictions, max-prob and entropy neither).
/// Attributes: num_exits, num_classes, log_num_classes (std::log(C), the entropy's divisor),
/// score_type ("eenet", "maxprob", ...), thresholds [K] float64, temperatures [K] float64 (empty when the
/// policy has none), probability_floor (kProbabilityFloor),
/// costs [K] (from `metadataJson`'s "costs" when it holds K numbers, else empty), class_weights [K, C] and
/// aux_weights [K, K + 1] (EENet only; row k uses its first 2 + k entries), format ("eenet-policy"),
/// format_version (1) and metadata (`metadataJson` verbatim: budget, costs, provenance).
///
/// Writes atomically (temporary file + rename): an existing file stays intact when anything fails.
/// Throws ArgumentError for a malformed policy and IoError when `path` cannot be written.
void writeTorchScriptPolicy(const std::string& path, const DeployedPolicy& policy,
                            const std::string& metadataJson);

/// Loads a saved policy and runs it on `split` (row-major [K, N, C] probabilities). Throws IoError
/// (missing, unreadable), FormatError (not a policy saved by writeTorchScriptPolicy, or it failed to
/// run) and ArgumentError (the policy has another number of exits or classes).
TorchScriptDecisions runTorchScriptPolicy(const std::string& path, const SplitPredictions& split,
                                          int numExits, int numClasses,
                                          TorchScriptCall call = TorchScriptCall::Forward);

/// runTorchScriptPolicy(...).exits: exit taken by each sample, 0-based.
std::vector<int> applyTorchScriptPolicy(const std::string& path, const SplitPredictions& split, int numExits,
                                        int numClasses);

/// The saved policy's `scores` method: every exit's score for every sample, [K, N], to compare with
/// DeployedPolicy::scores. Throws as runTorchScriptPolicy.
ScoreMatrix torchScriptScores(const std::string& path, const SplitPredictions& split, int numExits,
                              int numClasses);

/// The `metadata` string the policy was saved with. Throws IoError or FormatError.
std::string readTorchScriptMetadata(const std::string& path);

} // namespace eenet
