#pragma once

#include "eval/PolicySnapshot.h"

#include <QString>

#include <memory>
#include <vector>

namespace eenet {

/// One exit of the flow view: how many samples go on past its gate, and how many leave there, right or wrong.
struct FlowBand {
    int continuing = 0;
    int leftCorrect = 0;
    int leftWrong = 0;

    int left() const { return leftCorrect + leftWrong; }
    /// Samples that reached this exit: those leaving here plus those going on.
    int entering() const { return continuing + left(); }
};

/// What the flow view draws of one split of a policy snapshot, counted once per snapshot so that painting
/// and animating only read it. Holds the snapshot, so the exits and correctness it points into stay alive.
class ExitFlow {
public:
    /// Nothing to draw (no predictions, no snapshot, or one that cannot be shown yet).
    ExitFlow() = default;
    /// Counts `split` of `snapshot`, which must be available and hold the split.
    ExitFlow(const Predictions& predictions, std::shared_ptr<const PolicySnapshot> snapshot, Split split);

    bool isEmpty() const { return m_policy == nullptr; }
    int numExits() const { return static_cast<int>(m_bands.size()); }
    int numSamples() const { return m_numSamples; }
    Split split() const { return m_split; }
    const std::vector<FlowBand>& bands() const { return m_bands; }
    const PolicySnapshot& snapshot() const { return *m_snapshot; }
    /// The split's exits, correctness and figures under the snapshot's policy.
    const SplitPolicy& policy() const { return *m_policy; }
    /// The oracle knows where each sample should leave, so it has no thresholds.
    bool isOracle() const { return m_snapshot->thresholds.empty(); }

    /// The exit the policy sends sample `sample` to.
    int exitOf(int sample) const;
    /// Whether exit `exit` predicts `sample`'s label.
    bool correctAt(int exit, int sample) const;

    /// Average cost per sample of the policy's exits, and the saving against every sample running to the
    /// last exit: 1 - cost / c_K.
    double realisedCost() const;
    double savedFraction() const;

    const std::vector<double>& costs() const { return m_costs; }
    const std::vector<std::string>& exitNames() const { return m_exitNames; }
    /// A cost with the file's unit, 3 significant digits: "0.0567 ms".
    QString costText(double cost) const;

private:
    std::shared_ptr<const PolicySnapshot> m_snapshot;
    const SplitPolicy* m_policy = nullptr;
    Split m_split = Split::Val;
    int m_numSamples = 0;
    std::vector<FlowBand> m_bands;
    std::vector<double> m_costs;
    std::vector<std::string> m_exitNames;
    std::string m_costUnit;
};

} // namespace eenet
