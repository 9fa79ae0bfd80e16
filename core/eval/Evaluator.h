#pragma once

#include "data/Predictions.h"
#include "eval/Method.h"
#include "eval/Split.h"
#include "policy/EENetTrainer.h"
#include "policy/ExitData.h"
#include "policy/PolicyEvaluation.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace eenet {

/// One method at one budget on one split.
struct MethodResult {
    std::string method;
    /// std::nullopt for the static exits.
    std::optional<double> budget;
    Split split = Split::Val;
    PolicyOutcome outcome;
    /// Thresholds used (empty for oracle and static).
    std::vector<double> thresholds;
    /// Seconds spent fitting on the validation split (EENet training, threshold search); 0 otherwise.
    double trainSeconds = 0;
};

/// Evaluates methods over budgets. Everything is fitted on the validation split only; the test split
/// measures how the fit generalises. Per-split data and heuristic scores are computed once and cached.
class Evaluator {
public:
    explicit Evaluator(std::shared_ptr<const Predictions> predictions, EENetOptions eenetOptions = {});

    const std::shared_ptr<const Predictions>& predictions() const { return m_predictions; }
    bool hasTest() const { return m_predictions->test.has_value(); }

    /// Results of `method` at `budget` for each requested split (a static method ignores the budget and
    /// gives one result per exit). `eenet-opt` at a budget also weighs the choices it made at the smaller
    /// budgets evaluated before (each uses its own EENet fit's scores), so over a sweep in ascending order
    /// its validation accuracy never falls. Throws ArgumentError for a budget outside [c_1, c_K] or a missing
    /// split.
    std::vector<MethodResult> evaluate(const Method& method, std::optional<double> budget,
                                       const std::vector<Split>& splits);

    /// `count` budgets evenly spaced from c_1 to c_K.
    std::vector<double> sweepBudgets(int count) const;

    /// The EENet fit for a budget (cached per budget and mode). Corrected fits after the first are
    /// warm-started from the nearest budget fitted so far unless the options turn it off (EENetTrainer).
    const EENetFit& eenetFit(double budget, bool reference);

    /// Shared so that results computed from them (the studio's policy snapshots) can outlive the evaluator.
    std::shared_ptr<const ExitData> exitData(Split split);
    std::shared_ptr<const ScoreMatrix> heuristicScores(ConfidenceMeasure measure, Split split);
    const SplitPredictions& splitPredictions(Split split) const;

private:
    /// A fitted scheduler's scores on a split (EENetScheduler::scores), with the cached entropy confidences.
    ScoreMatrix learnedScores(const EENetScheduler& scheduler, Split split);

    std::shared_ptr<const Predictions> m_predictions;
    EENetOptions m_eenetOptions;
    std::map<Split, std::shared_ptr<const ExitData>> m_exitData;
    std::map<std::pair<ConfidenceMeasure, Split>, std::shared_ptr<const ScoreMatrix>> m_scores;
    std::map<std::pair<double, bool>, EENetFit> m_fits;
    /// eenet-opt's choice at each budget evaluated so far: the budget of the fit whose scores it uses, its
    /// thresholds and their validation accuracy. The fit chosen at a smaller budget is a candidate at a
    /// larger one (docs/method.md 6.4).
    struct OptChoice {
        double fitBudget = 0;
        std::vector<double> thresholds;
        double valAccuracy = 0;
    };
    std::map<double, OptChoice> m_optChoices;
    /// Created at the first fit of each mode: they share the training inputs between budgets.
    std::unique_ptr<EENetTrainer> m_trainer;
    std::unique_ptr<EENetTrainer> m_referenceTrainer;
};

} // namespace eenet
