#pragma once

#include "data/DatasetSummary.h"
#include "data/Predictions.h"
#include "eval/BootstrapBands.h"
#include "eval/CalibrationSummary.h"
#include "eval/CurveSweep.h"
#include "eval/CustomPolicy.h"
#include "eval/PolicySnapshot.h"

#include <QObject>
#include <QString>

#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace eenet {

/// The item clicked to make a selection, so the view it came from keeps that item highlighted while the
/// selection is current. `view` names the view; `exit`, `bin` and `cls` locate the item in it (-1 where
/// the view has no such coordinate); `correct` tells the correct part of a stacked bar from the wrong one;
/// `score` is a histogram bin's centre, which finds the bin again once another budget moves the bin edges.
struct SelectionOrigin {
    QString view;
    int exit = -1;
    int cls = -1;
    bool correct = false;
    double score = std::numeric_limits<double>::quiet_NaN();
};

/// Samples the user picked in a view (a bar, a histogram bin), for the sample inspector.
struct SampleSelection {
    Split split = Split::Val;
    /// Sample indices in the split, ascending.
    std::vector<int> indices;
    /// What was clicked, e.g. "exit 2, correct, test split".
    QString description;
    /// The budget, method and thresholds of the policy shown when the selection was made (set by
    /// Session::setSelection when the budget is left NaN), so the inspector can say when its rows were
    /// re-judged since: by another budget, another method, or thresholds moved by hand.
    double budget = std::numeric_limits<double>::quiet_NaN();
    std::string method{};
    std::vector<double> thresholds{};
    SelectionOrigin origin{};
};

/// The history of an EENet training run: the one in progress, or that of the scheduler the views use.
struct TrainingRun {
    double budget = 0;
    std::vector<TrainingProgress> history;
    bool running = false;
    /// The run was stopped by a cancel (or a reload) rather than ending on its own.
    bool cancelled = false;
};

/// The studio's central document: the loaded predictions (immutable, shared with worker threads), the
/// budget, the split and the method the linked views show, the trained EENet schedulers, the current
/// policy snapshot, the latest training run and the inspector's selection. Views hold a pointer to it and
/// listen to its specific signals; controllers compute off the GUI thread and write results back here.
/// Lives on the GUI thread.
class Session : public QObject {
    Q_OBJECT
public:
    explicit Session(QObject* parent = nullptr);

    /// The probabilities every policy, curve, EENet fit and export uses: the model's own, or their
    /// temperature-scaled copy while calibrated() (docs/method.md section 8).
    const std::shared_ptr<const Predictions>& predictions() const { return m_predictions; }
    /// The probabilities as loaded from the file, whichever predictions() shows.
    const std::shared_ptr<const Predictions>& modelPredictions() const { return m_modelPredictions; }
    bool calibrated() const { return m_predictions != m_modelPredictions; }
    /// Summary of the loaded predictions (computed once per load); empty before the first load.
    const DatasetSummary& summary() const { return m_summary; }
    bool hasPredictions() const { return m_predictions != nullptr; }
    bool hasTest() const { return m_predictions && m_predictions->test.has_value(); }

    /// Replaces the loaded predictions. Does nothing when given the same object. Resets the budget to the
    /// middle of [c_1, c_K] and drops everything derived from the previous file.
    void setPredictions(std::shared_ptr<const Predictions> predictions);

    /// Shows `calibrated`, a temperature-scaled copy of modelPredictions(), in every view; nullptr shows the
    /// model's own probabilities again. Curves, schedulers and bands belong to the probabilities they were
    /// computed on: those of the probabilities left are kept aside (parkedCurves()) and come back when they
    /// are shown again, so switching back and forth never retrains. Custom thresholds, which are in units of
    /// the scores they were set on, end (callers ask first). Keeps the budget, split and selection; emits
    /// probabilitiesChanged(). Ignored without predictions, or when `calibrated` has another shape.
    void setCalibratedPredictions(std::shared_ptr<const Predictions> calibrated);
    /// The calibrated copy, shown or parked; nullptr until one was set for the loaded file.
    std::shared_ptr<const Predictions> calibratedPredictions() const;
    /// curveResults() of the probabilities not shown now: before calibration while calibrated(), after it
    /// otherwise; nullptr when not computed.
    const std::vector<MethodResult>* parkedCurveResults(const std::string& method, Split split) const;
    /// The EENet schedulers trained on the probabilities not shown now, by ascending budget.
    const std::vector<std::shared_ptr<const TrainedScheduler>>& parkedSchedulers() const {
        return m_parked.schedulers;
    }

    /// What budgets bound (docs/method.md, "Serving"): the average cost per sample by default, or the cost
    /// per sample under a serving mode, and with or without a guarantee on new data. Every curve, policy and
    /// band is fitted under it.
    const BudgetRule& budgetRule() const { return m_rule; }
    /// Sets the rule. Curves and bands, which were fitted under the old one, are recomputed; trained
    /// schedulers are kept (their exit distributions are moved to budgets under the new rule); thresholds
    /// set by hand end; the budget keeps its share of the new range. Emits budgetRuleChanged().
    void setBudgetRule(BudgetRule rule);

    /// Shows the same probabilities with another cost model (selectCostModel): `model` and, while
    /// calibrated, `calibrated` are copies of the ones shown with other costs. Budgets are in another unit,
    /// so everything fitted ends: curves, bands, trained schedulers (callers ask first), thresholds set by
    /// hand; the budget moves to the middle of the new range. Emits probabilitiesChanged() and
    /// budgetChanged(). Ignored unless the copies have the shapes of the ones shown.
    void setCostModelPredictions(std::shared_ptr<const Predictions> model,
                                 std::shared_ptr<const Predictions> calibrated);

    /// The average cost budget, in the file's cost unit, always inside [c_1, c_K].
    double budget() const { return m_budget; }
    /// Clamps to [c_1, c_K]; does nothing without predictions or when the value does not change. A new
    /// budget ends custom thresholds: the method returns to their base, fitted at that budget.
    void setBudget(double budget);
    /// The budget range under the rule: everyone leaving at the first exit to everyone reaching the last.
    double minBudget() const { return m_budgetRange.first; }
    double maxBudget() const { return m_budgetRange.second; }
    /// The unit budgets are in: the cost model's, or under a serving mode the batch costs' (per sample).
    std::string budgetUnit() const;
    /// Where the budget lies in [minBudget(), maxBudget()], 0 to 1.
    double budgetShare() const;

    /// The split the single-split views show (test when the file has one, else validation).
    Split split() const { return hasTest() ? m_split : Split::Val; }
    void setSplit(Split split);

    /// The method the linked views show (default: maxprob, which needs no training); "custom" while
    /// customPolicy() is set.
    const Method& method() const { return m_method; }
    /// Shows a fitted method, which ends custom thresholds. "custom" is set by setCustomPolicy() only.
    void setMethod(const Method& method);

    /// The thresholds set by hand while method() is "custom"; std::nullopt otherwise.
    const std::optional<CustomPolicy>& customPolicy() const { return m_customPolicy; }
    /// Shows `policy` (method "custom"). Ignored without predictions, when its base cannot carry custom
    /// thresholds, when a learned base's scheduler is not one of schedulers(), or when the thresholds are not
    /// one number per exit; does nothing when it is the policy shown.
    void setCustomPolicy(CustomPolicy policy);
    /// Sets T_exit of the policy shown by hand: the snapshot's thresholds with T_exit replaced, on the
    /// snapshot's scores (those of the method shown when the first threshold moved). Does nothing without a
    /// snapshot with scores, for the last exit (which takes everyone left) or for a NaN threshold.
    void setThresholdByHand(int exit, double threshold);
    /// Returns from custom thresholds to the fitted policy of their base at the current budget.
    void snapToBudget();

    /// Accuracy-budget curves of the heuristics (empty until computed).
    const std::vector<Curve>& curves() const { return m_curves; }
    void setCurves(std::vector<Curve> curves);
    /// Sets the heuristics' curves of `predictions` whether they are shown (setCurves) or parked (emits
    /// curvesChanged: the curves view overlays them); false when they are neither, e.g. another file's.
    bool setCurvesOf(const std::shared_ptr<const Predictions>& predictions, std::vector<Curve> curves);

    /// EENet schedulers trained on the loaded file, by ascending budget.
    const std::vector<std::shared_ptr<const TrainedScheduler>>& schedulers() const { return m_schedulers; }
    /// Adds (or replaces the one at the same budget).
    void addScheduler(std::shared_ptr<const TrainedScheduler> scheduler);
    /// The `eenet` and `eenet-opt` curves of the trained schedulers (empty when none).
    const std::vector<Curve>& schedulerCurves() const { return m_schedulerCurves; }

    /// The points of `method`'s curve (a scheduler curve or a heuristic's) on `split`, validation when the
    /// curve has no test points; nullptr when there is no such curve. Curves of one point are not curves:
    /// also nullptr.
    const std::vector<MethodResult>* curveResults(const std::string& method, Split split) const;

    /// The method at the budget, as the linked views show it; nullptr until first computed.
    const std::shared_ptr<const PolicySnapshot>& snapshot() const { return m_snapshot; }
    void setSnapshot(std::shared_ptr<const PolicySnapshot> snapshot);

    const TrainingRun& trainingRun() const { return m_trainingRun; }
    void startTrainingRun(double budget);
    void appendTrainingProgress(const TrainingProgress& progress);
    /// Ends the run in progress; `cancelled` when the user (or a reload) stopped it.
    void finishTrainingRun(bool cancelled = false);
    /// Shows a finished run, e.g. the history of the scheduler the views use.
    void setTrainingRun(TrainingRun run);

    /// The 90 % bootstrap bands of `method`'s curve on `split` (one per point, docs/method.md section 9), or
    /// nullptr until computed. They belong to the curves: new curves or schedulers drop them.
    const std::vector<Band>* bands(const std::string& method, Split split) const;
    void setBands(const std::string& method, Split split, std::vector<Band> bands);

    /// Each exit's calibration before and after temperature scaling (fitted on val): nullptr until computed
    /// for the loaded file.
    const std::shared_ptr<const std::vector<ExitCalibration>>& calibration() const { return m_calibration; }
    void setCalibration(std::shared_ptr<const std::vector<ExitCalibration>> calibration);

    /// The multi-exit TorchScript model behind the loaded file ("Run on model", docs/deploy.md "The model"),
    /// as the user attached it; empty when none. A new file drops it: a model belongs to its predictions.
    const QString& modelPath() const { return m_modelPath; }
    /// Does nothing without predictions or when the path does not change; emits modelPathChanged().
    void setModelPath(const QString& path);

    const SampleSelection& selection() const { return m_selection; }
    /// Stamps the selection with the shown snapshot's budget (or the session's) unless it carries one.
    void setSelection(SampleSelection selection);

Q_SIGNALS:
    void predictionsLoaded();
    /// setCalibratedPredictions() switched the probabilities the views use (followed by curvesChanged,
    /// schedulersChanged, snapshotChanged and bandsChanged).
    void probabilitiesChanged();
    void budgetChanged(double budget);
    /// setBudgetRule() changed what budgets bound (followed by curvesChanged, bandsChanged, snapshotChanged
    /// and budgetChanged).
    void budgetRuleChanged();
    void splitChanged(Split split);
    void methodChanged();
    /// The custom thresholds changed (set, moved or ended).
    void customPolicyChanged();
    void curvesChanged();
    void schedulersChanged();
    void snapshotChanged();
    void trainingRunChanged();
    void selectionChanged();
    void modelPathChanged();
    void calibrationChanged();
    void bandsChanged();

private:
    /// minBudget() and maxBudget() of the predictions shown under the rule.
    void updateBudgetRange();
    /// Leaves custom thresholds for their base method, signalling nothing; true when there were any.
    bool dropCustomPolicy();
    /// What follows a switch of the probabilities shown (calibration, cost model): probabilitiesChanged(),
    /// the end of custom thresholds when `customEnded`, and the changes of what was fitted on them.
    void announceProbabilitiesChanged(bool customEnded);
    /// customPolicyChanged() and methodChanged() after dropCustomPolicy().
    void announceCustomPolicyEnded();

    /// What was computed from one set of probabilities; the one not shown is kept in m_parked.
    struct ProbabilityState {
        std::shared_ptr<const Predictions> predictions;
        std::vector<Curve> curves;
        std::vector<std::shared_ptr<const TrainedScheduler>> schedulers;
        std::vector<Curve> schedulerCurves;
        std::map<std::pair<std::string, Split>, std::vector<Band>> bands;
    };
    ProbabilityState takeShownState();
    void showState(ProbabilityState state);
    static const std::vector<MethodResult>* resultsIn(const std::vector<Curve>& learned,
                                                      const std::vector<Curve>& heuristics,
                                                      const std::string& method, Split split);
    /// The curves of trained schedulers' results, in the cost the budget rule bounds.
    std::vector<Curve> schedulerCurvesOf(const std::vector<std::shared_ptr<const TrainedScheduler>>& s) const;

    std::shared_ptr<const Predictions> m_predictions;
    std::shared_ptr<const Predictions> m_modelPredictions;
    ProbabilityState m_parked;
    DatasetSummary m_summary;
    double m_budget = 0;
    BudgetRule m_rule;
    std::pair<double, double> m_budgetRange{0.0, 0.0};
    Split m_split = Split::Test;
    Method m_method = *Method::parse("maxprob");
    std::optional<CustomPolicy> m_customPolicy;
    std::vector<Curve> m_curves;
    std::vector<std::shared_ptr<const TrainedScheduler>> m_schedulers;
    std::vector<Curve> m_schedulerCurves;
    std::shared_ptr<const PolicySnapshot> m_snapshot;
    TrainingRun m_trainingRun;
    SampleSelection m_selection;
    QString m_modelPath;
    std::shared_ptr<const std::vector<ExitCalibration>> m_calibration;
    std::map<std::pair<std::string, Split>, std::vector<Band>> m_bands;
};

} // namespace eenet
