#include "policy/ExitDecider.h"

#include "Error.h"
#include "data/ProbabilityScaling.h"
#include "policy/ConfidenceScores.h"

#include <algorithm>
#include <string>

namespace eenet {
ExitDecider::ExitDecider(DeployedPolicy policy)
    : m_policy(std::move(policy)) {
    checkDeployedPolicy(m_policy, "exit decider", 1);
    m_scaled.resize(static_cast<size_t>(m_policy.numClasses));
}

void ExitDecider::startBatch(int batchSize) {
    const size_t cells = static_cast<size_t>(std::max(batchSize, 0)) * static_cast<size_t>(m_policy.numExits);
    // Every cell read at exit k was written at an earlier exit of the same batch: no clearing needed.
    if (m_scores.size() < cells) {
        m_scores.resize(cells);
        m_predictions.resize(cells);
    }
}

void ExitDecider::decide(int exit, const float* probs, int count, const int* sampleSlots,
                         std::vector<std::uint8_t>& leaves) {
    leaves.assign(static_cast<size_t>(std::max(count, 0)), 1);
    // The last exit answers for everyone left, whatever its score: apply never computes it either.
    if (exit == m_policy.numExits - 1)
        return;
    const double threshold = m_policy.thresholds[static_cast<size_t>(exit)];
    for (int r = 0; r < count; ++r) {
        const float* row = probs + static_cast<size_t>(r) * static_cast<size_t>(m_policy.numClasses);
        leaves[static_cast<size_t>(r)] = score(exit, row, sampleSlots[r]) >= threshold ? 1 : 0;
    }
}

double ExitDecider::score(int exit, const float* row, int slot) {
    const int classes = m_policy.numClasses;
    if (!m_policy.temperatures.empty()) {
        scaleRow(row, classes, m_policy.temperatures[static_cast<size_t>(exit)], m_scaled.data());
        row = m_scaled.data();
    }
    const float* largest = std::max_element(row, row + classes);
    const int predicted = static_cast<int>(largest - row);
    const size_t base = static_cast<size_t>(slot) * static_cast<size_t>(m_policy.numExits);
    const int* earlier = m_predictions.data() + base;
    double value = 0;
    switch (m_policy.score) {
    case DeployedPolicy::Score::EENet:
        value = m_policy.eenet.score(exit, row, m_scores.data() + base);
        break;
    case DeployedPolicy::Score::MaxProb:
        value = *largest;
        break;
    case DeployedPolicy::Score::Entropy:
        value = entropyConfidence(row, classes);
        break;
    case DeployedPolicy::Score::Patience: {
        int run = 1;
        while (exit - run >= 0 && earlier[exit - run] == predicted)
            ++run;
        value = run / static_cast<double>(exit + 1) + kCountScoreTieBreak * static_cast<double>(*largest);
        break;
    }
    case DeployedPolicy::Score::Agreement: {
        const int agreeing = static_cast<int>(std::count(earlier, earlier + exit, predicted)) + 1;
        value =
            agreeing / static_cast<double>(exit + 1) + kCountScoreTieBreak * static_cast<double>(*largest);
        break;
    }
    }
    m_scores[base + static_cast<size_t>(exit)] = value;
    m_predictions[base + static_cast<size_t>(exit)] = predicted;
    return value;
}

} // namespace eenet
