#pragma once

#include "data/Predictions.h"
#include "policy/EENetScheduler.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace eenet {

/// How to fit an EENet scheduler. `Corrected` (the default) fixes the authors' code (docs/method.md
/// section 5) and uses the measured setup of section 6; `Reference` reproduces the authors' formulation
/// (final sigmoid on h, Adam lr 3e-5 with weight decay 1e-2, batch 512, long runs, restarts) for comparison.
struct EENetOptions {
    enum class Mode { Corrected, Reference };
    Mode mode = Mode::Corrected;
    std::uint64_t seed = 0;
    /// LibTorch intra-op threads used by the training thread.
    int threads = 1;
    /// How h sees the class vector (docs/method.md 3.3). With C <= assignAllClassesUpTo it gets P_k itself,
    /// as the authors' h does (0: at any C; the reference mode's setting); with more classes, the
    /// assignTopClasses largest probabilities of P_k, sorted, and the mass of the rest.
    int assignAllClassesUpTo = 32;
    int assignTopClasses = 8;
    double hiddenRate = 0.5;
    double alphaKl = 1e-3;
    double alphaCost = 1e-2;
    /// Steps per phase before switching between the score phase and the assignment phase.
    int period = 10;

    // Corrected mode (full batch).
    int steps = 100;
    double learningRateScore = 1e-2;
    double learningRateAssign = 3e-2;
    int snapshotEvery = 10;
    /// Snapshots count only when their expected cost is within this fraction of the budget.
    double snapshotCostTolerance = 0.02;
    /// EENetTrainer (curves, the Evaluator): start each fit from the fit of the nearest budget done so far
    /// (docs/method.md 6.7), trained for `warmSteps` steps instead of `steps`. trainEENet always starts
    /// cold.
    bool warmStart = true;
    int warmSteps = 20;

    // Reference mode.
    int referenceEpochs = 1000;
    int referenceBatch = 512;
    int referencePatience = 100;
    int referenceRestarts = 10;
    double referenceLearningRate = 3e-5;
    double referenceWeightDecay = 1e-2;
    /// Restarts are accepted when their expected cost is within this fraction of the budget.
    double referenceCostTolerance = 0.10;

    static EENetOptions reference();
};

/// One point of the training history (per step in corrected mode, per epoch in reference mode).
struct TrainingProgress {
    int step = 0;
    int totalSteps = 0;
    bool scorePhase = true;
    double bceLoss = 0;
    double klLoss = 0;
    double costLoss = 0;
    /// sum_k pBar_k c_k of the assignment head at this step.
    double expectedCost = 0;
};

struct EENetFit {
    EENetScheduler scheduler;
    std::vector<TrainingProgress> history;
    /// Final exit distribution pBar of the (budget-matched) assignment head.
    std::vector<double> exitDistribution;
    double trainSeconds = 0;
    /// The budget of the fit this one was warm-started from; empty for a cold start.
    std::optional<double> warmStartedFrom;
};

/// The size of the assignment head h_k of exit `exit` (0-based) for a file with `numClasses` classes
/// (docs/method.md 3.3): d_k inputs (the class columns, max P_k, entropy confidence_k and the k earlier
/// scores) and max(1, floor(hiddenRate d_k)) hidden units.
struct AssignmentHeadShape {
    int inputs = 0;
    int hidden = 0;
};
AssignmentHeadShape assignmentHeadShape(int numClasses, int exit, const EENetOptions& options);

/// Fits an EENet scheduler on `predictions.val` for `budget` (checked against [c_1, c_K]).
/// Deterministic for a given seed. `onProgress` is called from the calling thread; `cancel`, when set,
/// stops the fit early and throws CancelledError. Throws eenet::Error on bad input.
EENetFit trainEENet(const Predictions& predictions, double budget, const EENetOptions& options = {},
                    const std::function<void(const TrainingProgress&)>& onProgress = {},
                    const std::atomic<bool>* cancel = nullptr);

/// Fits EENet schedulers on one file at many budgets (a curve). What does not depend on the budget (the
/// features, the per-exit outcomes, the entropy confidences) is built once, at the first fit. With
/// `options.warmStart`, each corrected-mode fit after the first starts g from the fitted scheduler of the
/// nearest budget done so far (the lower one on a tie), h from its usual on-budget start, and trains
/// `warmSteps` steps; the first fit is a cold one, the same as trainEENet's. Reference-mode fits always
/// start cold. Owned and used by one thread at a time.
class EENetTrainer {
public:
    EENetTrainer(std::shared_ptr<const Predictions> predictions, EENetOptions options = {});
    ~EENetTrainer();
    EENetTrainer(const EENetTrainer&) = delete;
    EENetTrainer& operator=(const EENetTrainer&) = delete;

    const EENetOptions& options() const;
    /// As trainEENet, warm-started when a fit was done before.
    EENetFit fit(double budget, const std::function<void(const TrainingProgress&)>& onProgress = {},
                 const std::atomic<bool>* cancel = nullptr);
    /// Makes `scheduler`, fitted on this file at scheduler.budget, a start for later fits, as if this
    /// trainer had fitted it (for instance a scheduler kept in a session). Throws ArgumentError when its
    /// shape does not match the file.
    void addFitted(const EENetScheduler& scheduler);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace eenet
