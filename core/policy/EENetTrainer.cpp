#include "policy/EENetTrainer.h"

#include "BlasThreads.h"
#include "Error.h"
#include "policy/ConfidenceScores.h"
#include "policy/ExitData.h"
#include "policy/PolicyEvaluation.h"
#include "policy/ThresholdSolver.h"
#include "policy/detail/EENetModel.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <string>

namespace eenet {

EENetOptions EENetOptions::reference() {
    EENetOptions options;
    options.mode = Mode::Reference;
    options.assignAllClassesUpTo = 0; // the authors' h sees P_k at any C
    return options;
}

namespace {

/// q is clamped into the open interval inside the corrected BCE so its log never saturates at -100.
constexpr double kBceClampLow = 1e-6;
constexpr double kBceClampHigh = 1.0 - 1e-6;
/// The authors' early stopping only starts counting once the cost term is this small.
constexpr double kReferenceCostGate = 0.1;

/// What every fit on one file reads, whatever the budget: built once per file (and per view h has of the
/// class vector). Fits write the earlier exits' scores into `inputs.features`, and always before reading
/// them, so fits one after another can share it.
struct TrainingData {
    const Predictions& predictions;
    ExitData exitData;
    /// The validation entropy confidences in double, as the scheduler computes them: computed at once
    /// when h's features need them (P_k itself), else at the first scheduler whose weights need them.
    std::optional<ScoreMatrix> entropy;
    EENetInputs inputs;

    TrainingData(const Predictions& p, ClassView view)
        : predictions(p)
        , exitData(makeExitData(p, p.val)) {
        if (!view.sorted())
            entropy = entropyScores(p.val, p.numClasses);
        inputs = makeEENetInputs(p, p.val, exitData, view, entropy ? &*entropy : nullptr);
    }

    /// A scheduler's validation scores exactly as EENetScheduler::scores computes them, without computing
    /// the entropy confidences again for every fit.
    ScoreMatrix scores(const EENetScheduler& scheduler) {
        const bool needsEntropy = std::any_of(scheduler.auxWeights.begin(), scheduler.auxWeights.end(),
                                              [](const std::vector<double>& aux) { return aux[1] != 0.0; });
        if (!needsEntropy)
            return scheduler.scores(predictions.val);
        if (!entropy)
            entropy = entropyScores(predictions.val, predictions.numClasses);
        return scheduler.scores(predictions.val, *entropy);
    }
};

/// State one fit shares between its steps. Lives on the calling thread, which owns the model.
struct Fit {
    const Predictions& predictions;
    double budget;
    const EENetOptions& options;
    const std::function<void(const TrainingProgress&)>& onProgress;
    const std::atomic<bool>* cancel;
    TrainingData& data;
    EENetInputs& inputs;
    const ExitData& exitData;
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
    /// The same [K, N] float tensor.
    torch::Tensor scores;
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

/// g and h as they stand, evaluated on the whole validation split. `knownScores`, when defined, are g's
/// scores at its current weights; `baseTermCurrent` says h's frozen base term is of its current weights.
Candidate makeCandidate(EENetModel& model, const Fit& fit, const torch::Tensor& knownScores = {},
                        bool baseTermCurrent = false) {
    torch::NoGradGuard noGrad;
    const torch::Tensor scores =
        knownScores.defined() ? knownScores : model.scores(fit.inputs.base, fit.inputs.baseSummary);
    if (!baseTermCurrent)
        model.freezeAssignmentBaseTerm(fit.inputs.assignFixed);
    const torch::Tensor logits = model.frozenAssignmentLogits(model.earlierScores(scores));
    const torch::Tensor p = model.logExitProbs(logits).exp();
    Candidate candidate;
    candidate.scheduler = model.toScheduler();
    candidate.logits = toScoreMatrix(logits);
    candidate.trainingScores = toScoreMatrix(scores);
    candidate.scores = scores;
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
    setThresholds(best, fit.data.scores(best.scheduler), fit);
    EENetFit result;
    result.scheduler = std::move(best.scheduler);
    result.scheduler.budget = fit.budget;
    result.exitDistribution = std::move(best.pBar);
    result.history = std::move(fit.history);
    return result;
}

/// Corrected mode: full-batch alternating phases from an on-budget start, snapshots, budget matching.
/// `warm`, when set, is a scheduler fitted at another budget whose g this fit starts from (method.md 6.7).
EENetFit fitCorrected(Fit& fit, const EENetScheduler* warm) {
    const EENetOptions& o = fit.options;
    const Predictions& predictions = fit.predictions;
    const torch::Tensor& base = fit.inputs.base;
    const torch::Tensor& costs = fit.inputs.costs;

    EENetModel model(predictions.numExits, predictions.numClasses, fit.inputs.assignClassColumns,
                     o.hiddenRate, false);
    model.reset(fit.generator);
    const std::vector<double> prior = geometricDistributionForBudget(predictions.costs, fit.budget);
    model.setAssignmentPrior(prior);
    // A warm start takes g from the earlier fit and h from the same on-budget start as a cold fit: an h
    // fitted at another budget can be degenerate (at c_1 it sends every sample to exit 1), and re-tilting
    // it does not restore the order of the exits between.
    if (warm)
        model.setScoreWeights(*warm);
    const int steps = warm ? o.warmSteps : o.steps;
    // One optimiser per phase: a phase steps only its own, so the idle half keeps its Adam state and
    // does not drift on stale momentum.
    torch::optim::Adam scoreOptimiser(model.scoreParameters(),
                                      torch::optim::AdamOptions(o.learningRateScore));
    torch::optim::Adam assignOptimiser(model.assignParameters(),
                                       torch::optim::AdamOptions(o.learningRateAssign));

    CandidateKeeper keeper(fit.budget, o.snapshotCostTolerance);
    // A candidate within the cost tolerance is budget-matched and thresholded now; the others only if
    // kept, at the end.
    auto offer = [&](Candidate candidate) {
        if (keeper.accepts(candidate.expectedCost)) {
            candidate.pBar = budgetMatchedDistribution(candidate.logits, predictions.costs, fit.budget);
            setThresholds(candidate, candidate.trainingScores, fit);
        } else {
            candidate.pBar.clear(); // matched later, if it is the one kept
        }
        keeper.offer(std::move(candidate));
    };
    // The start is a candidate too, with h's prior as its exit distribution (the geometric distribution of
    // the budget, so a cold start's candidate is exactly max score's policy), when it is a fitted scheduler
    // (a warm start) or when h sees the sorted class view: at many classes, training g can lower the
    // validation accuracy below max score's (method.md 6.7), and the selection must then be able to keep
    // the start. Cold fits where h sees P_k itself keep their historical candidates and results.
    if (warm != nullptr || fit.inputs.sortedClasses) {
        Candidate start = makeCandidate(model, fit);
        start.pBar = prior;
        start.expectedCost = fit.budget;
        setThresholds(start, start.trainingScores, fit);
        keeper.offer(std::move(start));
    }
    // Whatever the idle half computes is constant during a phase, so it is computed once per phase: h's
    // base term in the score phase (kept from the snapshot just before when there is one: h has not
    // moved since), g's scores and what the losses take of them in the assignment phase (taken from the
    // snapshot just before, likewise). Every figure is the same, to the last bit, as computed afresh.
    torch::Tensor frozenScores;
    torch::Tensor currentScores;    // g's scores at its current weights, when known
    torch::Tensor frozenOutcomeLog; // outcomeLog of frozenScores
    KlTarget frozenKlTarget;        // klTarget of frozenScores
    // Whether h's frozen base term is of h's current weights: the start's candidate computed it, and only
    // an assignment step moves h.
    bool baseTermCurrent = warm != nullptr || fit.inputs.sortedClasses;
    for (int step = 0; step < steps; ++step) {
        fit.checkCancel();
        TrainingProgress progress;
        progress.step = step + 1;
        progress.totalSteps = steps;
        progress.scorePhase = (step / o.period) % 2 == 0;
        if (progress.scorePhase) {
            frozenScores = torch::Tensor();
            currentScores = torch::Tensor();
            const torch::Tensor scores = model.scores(base, fit.inputs.baseSummary);
            torch::Tensor logP;
            {
                torch::NoGradGuard noGrad;
                if (!baseTermCurrent)
                    model.freezeAssignmentBaseTerm(fit.inputs.assignFixed);
                baseTermCurrent = true;
                // h is frozen but its input moves with g: the earlier scores are recomputed every step.
                logP = model.logExitProbs(model.frozenAssignmentLogits(model.earlierScores(scores)));
            }
            const torch::Tensor p = logP.exp();
            const torch::Tensor bce =
                weightedBceLoss(outcomeLog(scores.clamp(kBceClampLow, kBceClampHigh), fit.inputs), p);
            scoreOptimiser.zero_grad();
            bce.backward();
            scoreOptimiser.step();
            torch::NoGradGuard noGrad;
            const torch::Tensor expected = expectedCost(p, costs);
            progress.bceLoss = bce.item<double>();
            progress.klLoss = klAlignmentLoss(logP, scores).item<double>();
            progress.costLoss = costLossOf(expected, fit.budget).item<double>();
            progress.expectedCost = expected.item<double>();
        } else {
            if (!frozenScores.defined()) {
                torch::NoGradGuard noGrad;
                frozenScores =
                    currentScores.defined() ? currentScores : model.scores(base, fit.inputs.baseSummary);
                model.setEarlierScores(fit.inputs.features, frozenScores);
                frozenOutcomeLog = outcomeLog(frozenScores.clamp(kBceClampLow, kBceClampHigh), fit.inputs);
                frozenKlTarget = klTarget(frozenScores);
            }
            // Autograd covers only the cheap [K, N] losses; the model backpropagates dL/dr through h.
            const torch::Tensor logits =
                model.assignmentLogits(fit.inputs.features).detach().requires_grad_(true);
            const torch::Tensor logP = model.logExitProbs(logits);
            const torch::Tensor p = logP.exp();
            const torch::Tensor kl = klAlignmentLoss(logP, frozenKlTarget);
            const torch::Tensor expected = expectedCost(p, costs);
            const torch::Tensor cost = costLossOf(expected, fit.budget);
            const torch::Tensor loss = o.alphaKl * kl + o.alphaCost * cost;
            loss.backward();
            model.assignmentBackward(fit.inputs.features, logits.grad()); // overwrites the last gradients
            assignOptimiser.step();
            baseTermCurrent = false;
            torch::NoGradGuard noGrad;
            progress.bceLoss = weightedBceLoss(frozenOutcomeLog, p).item<double>();
            progress.klLoss = kl.item<double>();
            progress.costLoss = cost.item<double>();
            progress.expectedCost = expected.item<double>();
        }
        fit.record(progress);

        // Snapshots are judged by what the policy would do (accuracy at the budget), never by a loss
        // whose meaning changes with the phase (method.md D7). The last step always counts.
        if ((step + 1) % o.snapshotEvery == 0 || step + 1 == steps) {
            // After an assignment step g has not moved since frozenScores.
            Candidate candidate = makeCandidate(
                model, fit, progress.scorePhase ? torch::Tensor() : frozenScores, baseTermCurrent);
            baseTermCurrent = true;
            currentScores = candidate.scores;
            offer(std::move(candidate));
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
        EENetModel model(predictions.numExits, predictions.numClasses, fit.inputs.assignClassColumns,
                         o.hiddenRate, true);
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
                const torch::Tensor summary = fit.inputs.baseSummary.defined()
                                                  ? fit.inputs.baseSummary.index_select(1, batch)
                                                  : torch::Tensor();
                torch::Tensor features = fit.inputs.features.index_select(1, batch);
                const torch::Tensor correct = fit.inputs.correct.index_select(1, batch);
                torch::Tensor scores;
                {
                    // Only the active half needs a graph.
                    torch::AutoGradMode gradScores(progress.scorePhase);
                    scores = model.scores(base, summary);
                }
                model.setEarlierScores(features, scores);
                const torch::Tensor logits =
                    model.assignmentLogits(features).detach().requires_grad_(!progress.scorePhase);
                const torch::Tensor logP = model.logExitProbs(logits);
                const torch::Tensor p = logP.exp();
                const torch::Tensor bce = weightedBceLoss(scores.clamp(0.0, 1.0), correct, p);
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
        setThresholds(candidate, fit.data.scores(candidate.scheduler), fit);
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
    if (o.threads < 1 || o.period < 1 || !(o.hiddenRate > 0) || o.steps < 1 || o.warmSteps < 1 ||
        o.snapshotEvery < 1 || o.assignAllClassesUpTo < 0 || o.assignTopClasses < 1 ||
        o.referenceEpochs < 1 || o.referenceBatch < 1 || o.referencePatience < 1 || o.referenceRestarts < 1 ||
        !(o.snapshotCostTolerance >= 0) || !(o.referenceCostTolerance >= 0))
        throw ArgumentError("EENet training: an option is out of range (counts must be >= 1, rates > 0)");
}

/// The work of EENetTrainer and trainEENet: the shared data, the schedulers kept for warm starts.
struct Trainer {
    std::shared_ptr<const Predictions> predictions;
    EENetOptions options;
    /// Built at the first fit that needs it, per view h has of the class vector (the reference mode sees
    /// all C probabilities).
    std::map<int, std::unique_ptr<TrainingData>> data;
    /// Every corrected fit so far, by budget.
    std::map<double, EENetScheduler> fitted;

    TrainingData& dataFor(const EENetOptions& o) {
        const ClassView view(predictions->numClasses, o.assignAllClassesUpTo, o.assignTopClasses);
        auto& cached = data[view.top];
        if (!cached)
            cached = std::make_unique<TrainingData>(*predictions, view);
        return *cached;
    }

    /// The fit of the nearest budget done so far, the lower one on a tie; nullptr when there is none.
    const std::pair<const double, EENetScheduler>* nearest(double budget) const {
        const std::pair<const double, EENetScheduler>* best = nullptr;
        for (const auto& entry : fitted)
            if (!best || std::abs(entry.first - budget) < std::abs(best->first - budget))
                best = &entry;
        return best;
    }

    EENetFit fit(double budget, const EENetOptions& o, bool warmStart,
                 const std::function<void(const TrainingProgress&)>& onProgress,
                 const std::atomic<bool>* cancel) {
        const auto started = std::chrono::steady_clock::now();
        const Predictions& p = *predictions;
        checkInputs(p, o);
        checkBudget(p.costs, budget);
        try {
            // The intra-op pool size belongs to the calling (training) thread.
            torch::set_num_threads(o.threads);
            setBlasThreads(o.threads);
            const bool corrected = o.mode == EENetOptions::Mode::Corrected;
            TrainingData& shared = dataFor(o);
            // A private generator: the fit is reproducible whatever else in the process draws random
            // numbers.
            Fit fit{p,
                    budget,
                    o,
                    onProgress,
                    cancel,
                    shared,
                    shared.inputs,
                    shared.exitData,
                    at::make_generator<at::CPUGeneratorImpl>(o.seed),
                    {}};
            const auto* start = corrected && warmStart ? nearest(budget) : nullptr;
            EENetFit result =
                corrected ? fitCorrected(fit, start ? &start->second : nullptr) : fitReference(fit);
            if (start)
                result.warmStartedFrom = start->first;
            if (corrected && warmStart)
                fitted[budget] = result.scheduler;
            result.trainSeconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            return result;
        } catch (const c10::Error& error) {
            throw Error(std::string("EENet training failed in LibTorch: ") + error.what_without_backtrace());
        }
    }
};

} // namespace

struct EENetTrainer::Impl : Trainer {};

AssignmentHeadShape assignmentHeadShape(int numClasses, int exit, const EENetOptions& options) {
    const ClassView view(numClasses, options.assignAllClassesUpTo, options.assignTopClasses);
    AssignmentHeadShape shape;
    shape.inputs = view.columns(numClasses) + 2 + exit;
    shape.hidden = assignmentHiddenUnits(shape.inputs, options.hiddenRate);
    return shape;
}

EENetTrainer::EENetTrainer(std::shared_ptr<const Predictions> predictions, EENetOptions options)
    : m_impl(std::make_unique<Impl>()) {
    if (!predictions)
        throw ArgumentError("EENet training needs predictions");
    m_impl->predictions = std::move(predictions);
    m_impl->options = options;
}

EENetTrainer::~EENetTrainer() = default;

const EENetOptions& EENetTrainer::options() const {
    return m_impl->options;
}

EENetFit EENetTrainer::fit(double budget, const std::function<void(const TrainingProgress&)>& onProgress,
                           const std::atomic<bool>* cancel) {
    return m_impl->fit(budget, m_impl->options, m_impl->options.warmStart, onProgress, cancel);
}

void EENetTrainer::addFitted(const EENetScheduler& scheduler) {
    const Predictions& p = *m_impl->predictions;
    bool matches = scheduler.numExits == p.numExits && scheduler.numClasses == p.numClasses &&
                   static_cast<int>(scheduler.classWeights.size()) == p.numExits &&
                   static_cast<int>(scheduler.auxWeights.size()) == p.numExits;
    for (int k = 0; matches && k < p.numExits; ++k)
        matches = static_cast<int>(scheduler.classWeights[static_cast<size_t>(k)].size()) == p.numClasses &&
                  static_cast<int>(scheduler.auxWeights[static_cast<size_t>(k)].size()) == 2 + k;
    if (!matches)
        throw ArgumentError("EENet training: the scheduler does not have " + std::to_string(p.numExits) +
                            " exits and " + std::to_string(p.numClasses) + " classes");
    checkBudget(p.costs, scheduler.budget);
    m_impl->fitted[scheduler.budget] = scheduler;
}

EENetFit trainEENet(const Predictions& predictions, double budget, const EENetOptions& options,
                    const std::function<void(const TrainingProgress&)>& onProgress,
                    const std::atomic<bool>* cancel) {
    // A view, not a copy: the trainer lives only for this call.
    Trainer trainer;
    trainer.predictions = std::shared_ptr<const Predictions>(&predictions, [](const Predictions*) {});
    return trainer.fit(budget, options, false, onProgress, cancel);
}

} // namespace eenet
