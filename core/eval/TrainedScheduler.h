#pragma once

#include "eval/Evaluator.h"
#include "policy/EENetTrainer.h"

#include <memory>
#include <vector>

namespace eenet {

/// An EENet fit together with what the studio shows of it: its learned scores on each split (computed
/// once, shared with the views) and its `eenet` / `eenet-opt` results at the budget it was trained for.
/// Immutable once made, so threads share it freely.
struct TrainedScheduler {
    double budget = 0;
    EENetFit fit;
    /// Utility scores q^ [K, N] of the validation and (when the file has one) test split.
    std::shared_ptr<const ScoreMatrix> valScores;
    std::shared_ptr<const ScoreMatrix> testScores;
    /// Val, then test: the learned thresholds and the thresholds searched under the budget.
    std::vector<MethodResult> eenet;
    std::vector<MethodResult> eenetOpt;

    std::shared_ptr<const ScoreMatrix> scores(Split split) const {
        return split == Split::Val ? valScores : testScores;
    }
};

/// Scores `fit` on every split of the evaluator's predictions and evaluates it at `budget`.
TrainedScheduler describeFit(Evaluator& evaluator, double budget, EENetFit fit);

} // namespace eenet
