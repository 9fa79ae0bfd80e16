#pragma once

#include "data/Predictions.h"
#include "policy/EENetScheduler.h"

#include <atomic>
#include <cstdint>
#include <functional>
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
};

/// Fits an EENet scheduler on `predictions.val` for `budget` (checked against [c_1, c_K]).
/// Deterministic for a given seed. `onProgress` is called from the calling thread; `cancel`, when set,
/// stops the fit early and throws CancelledError. Throws eenet::Error on bad input.
EENetFit trainEENet(const Predictions& predictions, double budget, const EENetOptions& options = {},
                    const std::function<void(const TrainingProgress&)>& onProgress = {},
                    const std::atomic<bool>* cancel = nullptr);

} // namespace eenet
