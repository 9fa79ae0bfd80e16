#include "policy/EENetTrainer.h"

#include "BlasThreads.h"
#include "Error.h"
#include "policy/ExitData.h"
#include "policy/PolicyEvaluation.h"
#include "policy/ThresholdSolver.h"
#include "policy/detail/EENetModel.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>

namespace eenet {

EENetOptions EENetOptions::reference() {
    EENetOptions options;
    options.mode = Mode::Reference;
    return options;
}

namespace {

/// q is clamped into the open interval inside the corrected BCE so its log never saturates at -100.
constexpr double kBceClampLow = 1e-6;
constexpr double kBceClampHigh = 1.0 - 1e-6;
/// The authors' early stopping only starts counting once the cost term is this small.
constexpr double kReferenceCostGate = 0.1;

/// State one fit shares between its steps. Lives on the calling thread, which owns the model.
struct Fit {
    const Predictions& predictions;
    double budget;
    const EENetOptions& options;
    const std::function<void(const TrainingProgress&)>& onProgress;
    const std::atomic<bool>* cancel;
    EENetInputs inputs;
    ExitData exitData;
    at::Generator generator;
    std::vector<TrainingProgress> history;

    void checkCancel() const {
        if (cancel != nullptr && cancel->load())
            throw CancelledError();
    }

    void record(const TrainingProgress& progress) {
        history.push_back(progress);
        if (onProgress)
            onProgress(progress);
    }
};

/// One trained g with the exit distribution its h gave on the whole validation split.
struct Candidate {
    EENetScheduler scheduler;
    /// h's outputs r [K, N], kept so budget matching can tilt them later (corrected mode).
    ScoreMatrix logits;
    /// q^ as training computed them (float): close enough to rank snapshots, not to set final thresholds.
    ScoreMatrix trainingScores;
    std::vector<double> pBar;
    double expectedCost = 0;
    /// Validation accuracy of the thresholded policy; negative until thresholds are set.
    double accuracyPercent = -1;
};

/// Selection among snapshots or restarts: the best validation accuracy among those whose expected cost is
/// within `tolerance` of the budget, else the one whose expected cost is closest to it.
class CandidateKeeper {
public:
    CandidateKeeper(double budget, double tolerance)
        : m_budget(budget)
        , m_tolerance(tolerance) {}

    bool accepts(double expectedCost) const {
        return std::abs(expectedCost - m_budget) <= m_tolerance * m_budget;
    }

    /// Accepted candidates must come with thresholds and accuracy.
    void offer(Candidate candidate) {
        if (accepts(candidate.expectedCost)) {
            // Strictly better only: on a tie the earlier (less trained) candidate stays.
            if (!m_best || candidate.accuracyPercent > m_best->accuracyPercent)
                m_best = std::move(candidate);
        } else if (!m_closest || std::abs(candidate.expectedCost - m_budget) <
                                     std::abs(m_closest->expectedCost - m_budget)) {
            m_closest = std::move(candidate);
        }
    }

    Candidate take() { return m_best ? std::move(*m_best) : std::move(*m_closest); }

private:
    double m_budget;
    double m_tolerance;
    std::optional<Candidate> m_best;
    std::optional<Candidate> m_closest;
};

/// Thresholds from the candidate's exit distribution by compute_threshold on `scores`, then the
/// policy's validation accuracy.
void setThresholds(Candidate& candidate, const ScoreMatrix& scores, const Fit& fit) {
    candidate.scheduler.thresholds = thresholdsFromDistribution(scores, candidate.pBar);
    candidate.accuracyPercent =
        evaluatePolicy(scores, candidate.scheduler.thresholds, fit.exitData).accuracyPercent;
}

/// g and h as they stand, evaluated on the whole validation split.
Candidate makeCandidate(EENetModel& model, const Fit& fit) {
    torch::NoGradGuard noGrad;
    const torch::Tensor scores = model.scores(fit.inputs.base);
    model.freezeAssignmentBaseTerm(fit.inputs.base);
    const torch::Tensor logits = model.frozenAssignmentLogits(model.earlierScores(scores));
    const torch::Tensor p = model.logExitProbs(logits).exp();
    Candidate candidate;
    candidate.scheduler = model.toScheduler();
    candidate.logits = toScoreMatrix(logits);
    candidate.trainingScores = toScoreMatrix(scores);
    const torch::Tensor pBar = p.mean(1).to(torch::kFloat64).contiguous();
    candidate.pBar.assign(pBar.data_ptr<double>(), pBar.data_ptr<double>() + pBar.numel());
    candidate.expectedCost = expectedCost(p, fit.inputs.costs).item<double>();
    return candidate;
}

/// The chosen candidate's final thresholds come from the unclamped scores the deployed scheduler computes
/// (double, exit by exit), so that fit and apply agree sample for sample.
EENetFit finish(Candidate best, Fit& fit) {
    if (best.pBar.empty())
        best.pBar = budgetMatchedDistribution(best.logits, fit.predictions.costs, fit.budget);
    setThresholds(best, best.scheduler.scores(fit.predictions.val), fit);
    EENetFit result;
    result.scheduler = std::move(best.scheduler);
    result.scheduler.budget = fit.budget;
    result.exitDistribution = std::move(best.pBar);
    result.history = std::move(fit.history);
    return result;
}

/// Corrected mode: full-batch alternating phases from an on-budget start, snapshots, budget matching.
EENetFit fitCorrected(Fit& fit) {
    const EENetOptions& o = fit.options;
    const Predictions& predictions = fit.predictions;
    const torch::Tensor& base = fit.inputs.base;
    const torch::Tensor& correct = fit.inputs.correct;
    const torch::Tensor& costs = fit.inputs.costs;

    EENetModel model(predictions.numExits, predictions.numClasses, o.hiddenRate, false);
    model.reset(fit.generator);
    model.setAssignmentPrior(geometricDistributionForBudget(predictions.costs, fit.budget));
    // One optimiser per phase: a phase steps only its own, so the idle half keeps its Adam state and
    // does not drift on stale momentum.
    torch::optim::Adam scoreOptimiser(model.scoreParameters(),
                                      torch::optim::AdamOptions(o.learningRateScore));
    torch::optim::Adam assignOptimiser(model.assignParameters(),
                                       torch::optim::AdamOptions(o.learningRateAssign));

    CandidateKeeper keeper(fit.budget, o.snapshotCostTolerance);
    // Whatever the idle half computes is constant during a phase, so it is computed once per phase: h's
    // base term in the score phase, g's scores in the assignment phase.
    torch::Tensor frozenScores;
    for (int step = 0; step < o.steps; ++step) {
        fit.checkCancel();
        TrainingProgress progress;
        progress.step = step + 1;
        progress.totalSteps = o.steps;
        progress.scorePhase = (step / o.period) % 2 == 0;
        if (progress.scorePhase) {
            frozenScores = torch::Tensor();
            const torch::Tensor scores = model.scores(base);
            torch::Tensor logP;
            {
                torch::NoGradGuard noGrad;
                if (step % o.period == 0)
                    model.freezeAssignmentBaseTerm(base);
                // h is frozen but its input moves with g: the earlier scores are recomputed every step.
                logP = model.logExitProbs(model.frozenAssignmentLogits(model.earlierScores(scores)));
            }
            const torch::Tensor p = logP.exp();
            const torch::Tensor bce =
                weightedBceLoss(scores.clamp(kBceClampLow, kBceClampHigh), correct, p, true);
            scoreOptimiser.zero_grad();
            bce.backward();
            scoreOptimiser.step();
            torch::NoGradGuard noGrad;
            progress.bceLoss = bce.item<double>();
            progress.klLoss = klAlignmentLoss(logP, scores).item<double>();
            progress.costLoss = costLoss(p, costs, fit.budget).item<double>();
            progress.expectedCost = expectedCost(p, costs).item<double>();
        } else {
            if (!frozenScores.defined()) {
                torch::NoGradGuard noGrad;
                frozenScores = model.scores(base);
                model.setEarlierScores(fit.inputs.features, frozenScores);
            }
            // Autograd covers only the cheap [K, N] losses; the model backpropagates dL/dr through h.
            const torch::Tensor logits =
                model.assignmentLogits(fit.inputs.features).detach().requires_grad_(true);
            const torch::Tensor logP = model.logExitProbs(logits);
            const torch::Tensor p = logP.exp();
            const torch::Tensor kl = klAlignmentLoss(logP, frozenScores);
            const torch::Tensor cost = costLoss(p, costs, fit.budget);
            const torch::Tensor loss = o.alphaKl * kl + o.alphaCost * cost;
            loss.backward();
            model.assignmentBackward(fit.inputs.features, logits.grad()); // overwrites the last gradients
            assignOptimiser.step();
            torch::NoGradGuard noGrad;
            progress.bceLoss =
                weightedBceLoss(frozenScores.clamp(kBceClampLow, kBceClampHigh), correct, p, true)
                    .item<double>();
            progress.klLoss = kl.item<double>();
            progress.costLoss = cost.item<double>();
            progress.expectedCost = expectedCost(p, costs).item<double>();
        }
        fit.record(progress);

        // Snapshots are judged by what the policy would do (accuracy at the budget), never by a loss
        // whose meaning changes with the phase (method.md D7). The last step always counts.
        if ((step + 1) % o.snapshotEvery == 0 || step + 1 == o.steps) {
            Candidate candidate = makeCandidate(model, fit);
            if (keeper.accepts(candidate.expectedCost)) {
                candidate.pBar = budgetMatchedDistribution(candidate.logits, predictions.costs, fit.budget);
                setThresholds(candidate, candidate.trainingScores, fit);
            } else {
                candidate.pBar.clear(); // matched later, if it is the one kept
            }
            keeper.offer(std::move(candidate));
        }
    }
    return finish(keeper.take(), fit);
}

/// Reference mode: the authors' minibatch loop, early stopping and restarts (method.md 3.4), with the
/// crashes fixed (D1, D6) but not their choices: final sigmoid, default init, no budget matching.
EENetFit fitReference(Fit& fit) {
    const EENetOptions& o = fit.options;
    const Predictions& predictions = fit.predictions;
    const int64_t numSamples = predictions.val.numSamples;
    const auto adam = torch::optim::AdamOptions(o.referenceLearningRate).weight_decay(o.referenceWeightDecay);

    CandidateKeeper keeper(fit.budget, o.referenceCostTolerance);
    int epochsRun = 0;
    for (int restart = 0; restart < o.referenceRestarts; ++restart) {
        EENetModel model(predictions.numExits, predictions.numClasses, o.hiddenRate, true);
        model.reset(fit.generator);
        torch::optim::Adam scoreOptimiser(model.scoreParameters(), adam);
        torch::optim::Adam assignOptimiser(model.assignParameters(), adam);
        // As in the authors' code: one shuffle per run, the same minibatches every epoch.
        const torch::Tensor order = torch::randperm(numSamples, fit.generator, torch::kLong);
        double minLoss = 1e3;
        int patienceLeft = o.referencePatience;
        for (int epoch = 0; epoch < o.referenceEpochs; ++epoch) {
            TrainingProgress progress;
            progress.step = ++epochsRun;
            progress.totalSteps = o.referenceEpochs * o.referenceRestarts;
            progress.scorePhase = (epoch / o.period) % 2 == 0;
            double lossSum = 0;
            int batches = 0;
            for (int64_t start = 0; start < numSamples; start += o.referenceBatch) {
                fit.checkCancel();
                const torch::Tensor batch =
                    order.slice(0, start, std::min<int64_t>(start + o.referenceBatch, numSamples));
                // Two gathers, not one and a view: writing the earlier scores into a tensor that g's
                // graph saved would invalidate the graph.
                const torch::Tensor base = fit.inputs.base.index_select(1, batch);
                torch::Tensor features = fit.inputs.features.index_select(1, batch);
                const torch::Tensor correct = fit.inputs.correct.index_select(1, batch);
                torch::Tensor scores;
                {
                    // Only the active half needs a graph.
                    torch::AutoGradMode gradScores(progress.scorePhase);
                    scores = model.scores(base);
                }
                model.setEarlierScores(features, scores);
                const torch::Tensor logits =
                    model.assignmentLogits(features).detach().requires_grad_(!progress.scorePhase);
                const torch::Tensor logP = model.logExitProbs(logits);
                const torch::Tensor p = logP.exp();
                const torch::Tensor bce = weightedBceLoss(scores.clamp(0.0, 1.0), correct, p, false);
                const torch::Tensor kl = klAlignmentLoss(logP, scores);
                const torch::Tensor cost = costLoss(p, fit.inputs.costs, fit.budget);
                const torch::Tensor loss = progress.scorePhase ? bce : o.alphaKl * kl + o.alphaCost * cost;
                torch::optim::Adam& optimiser = progress.scorePhase ? scoreOptimiser : assignOptimiser;
                optimiser.zero_grad();
                loss.backward();
                if (!progress.scorePhase)
                    model.assignmentBackward(features, logits.grad());
                optimiser.step();
                lossSum += loss.item<double>();
                progress.bceLoss += bce.item<double>();
                progress.klLoss += kl.item<double>();
                progress.costLoss += cost.item<double>();
                progress.expectedCost += expectedCost(p.detach(), fit.inputs.costs).item<double>();
                ++batches;
            }
            for (double* value :
                 {&lossSum, &progress.bceLoss, &progress.klLoss, &progress.costLoss, &progress.expectedCost})
                *value /= batches;
            fit.record(progress);
            // The authors' rule, phase-dependent loss included (D7). Their "best model" aliases the live
            // one, so the model that ends the run is the one they keep, as here.
            if (progress.costLoss < kReferenceCostGate) {
                if (lossSum < minLoss) {
                    minLoss = lossSum;
                    patienceLeft = o.referencePatience;
                } else if (--patienceLeft <= 0) {
                    break;
                }
            }
        }
        Candidate candidate = makeCandidate(model, fit);
        setThresholds(candidate, candidate.scheduler.scores(predictions.val), fit);
        keeper.offer(std::move(candidate));
    }
    return finish(keeper.take(), fit);
}

void checkInputs(const Predictions& predictions, const EENetOptions& o) {
    const SplitPredictions& val = predictions.val;
    if (predictions.numExits < 2 || predictions.numClasses < 2)
        throw ArgumentError("EENet training needs at least 2 exits and 2 classes");
    if (static_cast<int>(predictions.costs.size()) != predictions.numExits)
        throw ArgumentError("EENet training: expected " + std::to_string(predictions.numExits) + " costs");
    if (val.numSamples < 1 || static_cast<int>(val.labels.size()) != val.numSamples ||
        val.probs.size() != static_cast<size_t>(predictions.numExits) * static_cast<size_t>(val.numSamples) *
                                static_cast<size_t>(predictions.numClasses))
        throw ArgumentError("EENet training: the validation split has no samples or the wrong shape");
    if (o.threads < 1 || o.period < 1 || !(o.hiddenRate > 0) || o.steps < 1 || o.snapshotEvery < 1 ||
        o.referenceEpochs < 1 || o.referenceBatch < 1 || o.referencePatience < 1 || o.referenceRestarts < 1 ||
        !(o.snapshotCostTolerance >= 0) || !(o.referenceCostTolerance >= 0))
        throw ArgumentError("EENet training: an option is out of range (counts must be >= 1, rates > 0)");
}

} // namespace

EENetFit trainEENet(const Predictions& predictions, double budget, const EENetOptions& options,
                    const std::function<void(const TrainingProgress&)>& onProgress,
                    const std::atomic<bool>* cancel) {
    const auto started = std::chrono::steady_clock::now();
    checkInputs(predictions, options);
    checkBudget(predictions.costs, budget);
    try {
        // The intra-op pool size belongs to the calling (training) thread.
        torch::set_num_threads(options.threads);
        setBlasThreads(options.threads);
        // A private generator: the fit is reproducible whatever else in the process draws random numbers.
        Fit fit{predictions,
                budget,
                options,
                onProgress,
                cancel,
                makeEENetInputs(predictions, predictions.val),
                makeExitData(predictions, predictions.val),
                at::make_generator<at::CPUGeneratorImpl>(options.seed),
                {}};
        EENetFit result =
            options.mode == EENetOptions::Mode::Corrected ? fitCorrected(fit) : fitReference(fit);
        result.trainSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return result;
    } catch (const c10::Error& error) {
        throw Error(std::string("EENet training failed in LibTorch: ") + error.what_without_backtrace());
    }
}

} // namespace eenet
