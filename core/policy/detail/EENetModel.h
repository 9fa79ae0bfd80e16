#pragma once

// Private to core: exposes LibTorch types, so only the sources listed in EENET_TORCH_SOURCES include it.

#include "data/Predictions.h"
#include "policy/EENetScheduler.h"
#include "policy/ExitData.h"
#include "policy/ScoreMatrix.h"

#include <torch/torch.h>

#include <vector>

namespace eenet {

/// What a fit reads from a split, built once: the features that do not depend on the scheduler and the
/// targets of the losses.
struct EENetInputs {
    /// How many of h's input columns describe the class vector (method.md 3.3): C when h sees P_k itself,
    /// m + 1 when it sees the top m probabilities sorted and the mass of the rest.
    int assignClassColumns = 0;
    /// True when h sees the sorted top probabilities rather than P_k.
    bool sortedClasses = false;
    /// [K, N, assignClassColumns + 1 + K] float, h's input: the class columns, max P_k, entropy
    /// confidence_k, then K - 1 columns for the earlier exits' scores (see EENetModel::setEarlierScores).
    torch::Tensor features;
    /// [K, N, assignClassColumns + 2]: h's fixed columns, a view into `features`.
    torch::Tensor assignFixed;
    /// g's input. When h sees P_k itself: [K, N, C + 2], P_k, max P_k, entropy confidence_k, the same
    /// view as `assignFixed` (sharing the storage spares a copy of the largest tensor each time the
    /// earlier scores change), and `baseSummary` is undefined. With the sorted view: [K, N, C], P_k where
    /// the predictions hold it (valid while they live), and `baseSummary` [K, N, 2] the other two.
    torch::Tensor base;
    torch::Tensor baseSummary;
    /// [K, N] float: 1 where exit k's prediction is right.
    torch::Tensor correct;
    /// 1 - correct and 2 correct - 1: the probability a score q gives the outcome (q where the exit is
    /// right, 1 - q where it is wrong) is outcomeOffset + outcomeSign q (see outcomeLog).
    torch::Tensor outcomeOffset;
    torch::Tensor outcomeSign;
    /// [K] float: cumulative cost of each exit.
    torch::Tensor costs;
};

/// How h sees the class vector (EENetOptions::assignAllClassesUpTo, assignTopClasses).
struct ClassView {
    /// All C probabilities when 0; else the sorted view of the `top` largest (at most C).
    int top = 0;

    ClassView() = default;
    ClassView(int numClasses, int allClassesUpTo, int topClasses);
    bool sorted() const { return top > 0; }
    /// h's class columns: C, or top + 1 with the sorted view (the sorted top probabilities and the rest's
    /// mass).
    int columns(int numClasses) const { return sorted() ? top + 1 : numClasses; }
};

/// h_k's hidden units for d_k inputs: max(1, floor(hiddenRate d_k)).
int assignmentHiddenUnits(int inputs, double hiddenRate);

/// `exitData` is the split's. The entropy confidences, when given ([K, N], double, as entropyScores computes
/// them), are used instead of computed again.
EENetInputs makeEENetInputs(const Predictions& predictions, const SplitPredictions& split,
                            const ExitData& exitData, ClassView view,
                            const ScoreMatrix* entropyConfidences = nullptr);

/// The K utility scores g_k and assignment heads h_k of docs/method.md 3.2-3.3, held as padded block
/// tensors so that batched products serve every exit at once. Entries outside an exit's own shape start at
/// zero and their gradients are multiplied by constant masks, so they receive zero gradient and Adam leaves
/// them at 0: h's forward passes can use the padded tensors as they are.
///
/// g goes through autograd. h is differentiated by hand into buffers reused from step to step: its
/// [K, n, H] temporaries are the only large tensors of a step, and fresh ones cost more in page faults
/// than the matrix products themselves. Owned and used by one thread.
class EENetModel {
public:
    /// `sigmoidOutput` is the authors' final sigmoid on h (reference mode only; see method.md D5).
    /// `assignClassColumns` is EENetInputs::assignClassColumns: h_k has d_k = assignClassColumns + 2 + k
    /// inputs and max(1, floor(hiddenRate d_k)) hidden units.
    EENetModel(int numExits, int numClasses, int assignClassColumns, double hiddenRate, bool sigmoidOutput);

    /// g_k starts as the max score (w_cls = 0, w_aux = [1, 0, ...]); h_k gets PyTorch's default Linear
    /// initialisation with each exit's own fan-in, drawn from `generator`.
    void reset(at::Generator& generator);
    /// Starts h on budget: output bias log(prior_k), last-layer weights scaled by 0.1.
    void setAssignmentPrior(const std::vector<double>& prior);
    /// g's weights from a fitted scheduler of the same shape (a warm start; throws otherwise).
    void setScoreWeights(const EENetScheduler& scheduler);

    std::vector<torch::Tensor> scoreParameters() const { return {m_score}; }
    std::vector<torch::Tensor> assignParameters() const { return {m_w1, m_b1, m_w2, m_b2}; }

    /// Unclamped q^ [K, n] for a batch of g's input (EENetInputs::base, and baseSummary when defined).
    /// The earlier exits' scores enter as detached features, as in the authors' code: exit k's loss
    /// trains g_k only.
    torch::Tensor scores(const torch::Tensor& base, const torch::Tensor& summary = {}) const;
    /// h's features beyond the fixed ones [K, n, K - 1]: the earlier exits' scores, detached, zero where
    /// j >= k.
    torch::Tensor earlierScores(const torch::Tensor& scores) const;
    /// Writes earlierScores(scores) into the last K - 1 columns of h's input `features`.
    void setEarlierScores(torch::Tensor& features, const torch::Tensor& scores) const;

    /// r [K, n] for `features`, without autograd; keeps the activations for assignmentBackward. The
    /// result is a view that the next forward call overwrites.
    torch::Tensor assignmentLogits(const torch::Tensor& features);
    /// Sets h's parameter gradients from dL/dr of the last assignmentLogits call on `features`.
    void assignmentBackward(const torch::Tensor& features, const torch::Tensor& logitGrad);
    /// While h is frozen and only the earlier scores move (the score phase), the fixed features' share of
    /// h's first layer is computed once here (from EENetInputs::assignFixed), and frozenAssignmentLogits
    /// adds the rest. The first exit has no earlier exits, so its logits are computed here whole.
    void freezeAssignmentBaseTerm(const torch::Tensor& assignFixed);
    torch::Tensor frozenAssignmentLogits(const torch::Tensor& earlier);
    /// log p [K, n]: log-softmax over exits of r (of sigmoid(r) in the authors' formulation).
    torch::Tensor logExitProbs(const torch::Tensor& logits) const;

    /// The trained g as a plain scheduler (thresholds left to the caller).
    EENetScheduler toScheduler() const;

private:
    /// r = a w2 + b2 from the activations in m_activation.
    torch::Tensor outputLayer();
    /// Exit `exit`'s row of outputLayer, written into m_logits (sized to m_activation's samples first).
    torch::Tensor outputRow(int exit);

    int m_numExits;
    int m_numClasses;
    int m_assignClassColumns;
    bool m_sigmoidOutput;
    std::vector<int> m_hidden;
    torch::Tensor m_score;                // [K, C + 1 + K]: w_cls, w_aux, padded
    torch::Tensor m_scoreMask;            // same shape, 1 on each exit's C + 2 + k weights
    torch::Tensor m_prevMask;             // [K, K - 1]: 1 where earlier exit j < k
    torch::Tensor m_w1, m_b1, m_w2, m_b2; // m_w1: [K, assignClassColumns + 1 + K, H]
    torch::Tensor m_w1Mask, m_b1Mask, m_w2Mask;
    // Reused buffers of h's forward and backward passes.
    torch::Tensor m_baseTerm;          // [K, n, H]
    torch::Tensor m_activation;        // [K, n, H]: sigmoid of the first layer
    torch::Tensor m_gradHidden;        // [K, n, H]
    torch::Tensor m_logits;            // [K, n]
    torch::Tensor m_frozenFirstLogits; // [n]: the first exit's r while h is frozen
};

/// Weighted BCE of method.md 3.4: per exit, the samples weighted by p (detached), normalised over the
/// samples; averaged over exits. The reference mode's: `clampedScores` are q clamped into [0, 1] by the
/// caller, and torch's BCE clamps its log at -100.
torch::Tensor weightedBceLoss(const torch::Tensor& clampedScores, const torch::Tensor& correct,
                              const torch::Tensor& exitProbs);
/// The log of the probability scores strictly inside (0, 1) give each exit's outcome: q where the exit is
/// right, 1 - q where it is wrong (EENetInputs::outcomeOffset). Inside (0, 1) no log needs clamping. A
/// score phase's scores move every step; an assignment phase's are fixed, so it computes this once.
torch::Tensor outcomeLog(const torch::Tensor& clampedScores, const EENetInputs& inputs);
/// The corrected mode's weighted BCE, from outcomeLog: the same weights, -log of the outcome's probability.
torch::Tensor weightedBceLoss(const torch::Tensor& outcomeLog, const torch::Tensor& exitProbs);
/// KL(t || p), elementwise mean, with t_ik proportional to clamp(q_ik, 0, 1) + eps (detached).
torch::Tensor klAlignmentLoss(const torch::Tensor& logExitProbs, const torch::Tensor& scores);
/// klAlignmentLoss's target t of `scores` and its log: fixed during an assignment phase, computed once.
struct KlTarget {
    torch::Tensor target;
    torch::Tensor logTarget;
};
KlTarget klTarget(const torch::Tensor& scores);
/// klAlignmentLoss(logExitProbs, scores) from klTarget(scores).
torch::Tensor klAlignmentLoss(const torch::Tensor& logExitProbs, const KlTarget& target);
/// sum_k pBar_k c_k of a [K, n] exit distribution.
torch::Tensor expectedCost(const torch::Tensor& exitProbs, const torch::Tensor& costs);
/// |E[c] - B| / B.
torch::Tensor costLoss(const torch::Tensor& exitProbs, const torch::Tensor& costs, double budget);
/// costLoss from expectedCost(exitProbs, costs), when that is needed too.
torch::Tensor costLossOf(const torch::Tensor& expectedCost, double budget);

/// A [K, n] float tensor as a double score matrix.
ScoreMatrix toScoreMatrix(const torch::Tensor& values);

/// Budget matching (method.md section 6): pBar of p_ik proportional to exp(r_ik - lambda c_k / c_K), with
/// lambda found by bisection so that sum_k pBar_k c_k = budget (or as close as the logits allow).
std::vector<double> budgetMatchedDistribution(const ScoreMatrix& logits, const std::vector<double>& costs,
                                              double budget);

} // namespace eenet
