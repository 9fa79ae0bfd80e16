#pragma once

#include "policy/DeployedPolicy.h"

#include <cstdint>
#include <vector>

namespace eenet {

/// A DeployedPolicy run the way an early-exit runtime meets its data: exit by exit, on the probability rows
/// of the samples still running, saying which of them stop. Scores at exit k may read earlier exits (EENet
/// the earlier scores, patience and agreement the earlier predictions), so the decider keeps those per
/// sample of the current batch. Its exits equal DeployedPolicy::exits on the same probabilities, sample for
/// sample (tests/core/tst_exitdecider.cpp): the same arithmetic in the same order, temperatures included.
///
/// Not thread-safe: one runtime thread owns a decider.
class ExitDecider {
public:
    /// Throws ArgumentError when the policy is malformed: not K thresholds, temperatures that are not K
    /// positive finite numbers, EENet weights of another shape.
    explicit ExitDecider(DeployedPolicy policy);

    int numExits() const { return m_policy.numExits; }
    int numClasses() const { return m_policy.numClasses; }

    /// Starts a batch of `batchSize` samples, known by their slot 0 .. batchSize - 1 until the next batch.
    void startBatch(int batchSize);

    /// Exit `exit` (0-based) for `count` samples: row r of `probs` ([count, C] row-major, the model's own
    /// softmax probabilities) is the sample in slot sampleSlots[r], which was running, and so decided, at
    /// every earlier exit of this batch. Sets leaves[r] to 1 for the samples that stop here, 0 for the
    /// others; at the last exit every sample stops.
    void decide(int exit, const float* probs, int count, const int* sampleSlots,
                std::vector<std::uint8_t>& leaves);

private:
    double score(int exit, const float* row, int slot);

    DeployedPolicy m_policy;
    /// Per slot, per exit passed: the score and the predicted class, [batch, K].
    std::vector<double> m_scores;
    std::vector<int> m_predictions;
    /// One row scaled by the exit's temperature, reused.
    std::vector<float> m_scaled;
};

} // namespace eenet
