#pragma once

#include "data/DatasetSummary.h"
#include "eval/CurveSweep.h"
#include "eval/CustomPolicy.h"
#include "eval/PolicySnapshot.h"
#include "report/EqualCost.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace eenet {

/// What a report is about: a loaded file, the chosen method and budget, and what the caller computed
/// already (the studio passes its curves and trained schedulers; the CLI trains what it was asked to).
struct ReportRequest {
    std::shared_ptr<const Predictions> predictions;
    Method method;
    /// In the file's cost unit, inside [c_1, c_K].
    double budget = 0;
    /// EENet schedulers trained on these predictions, at any budgets; EENet is left out when empty.
    std::vector<std::shared_ptr<const TrainedScheduler>> schedulers;
    /// The heuristics' accuracy–budget curves (sweepCurves of heuristicMethods()); computed when empty.
    std::vector<Curve> curves;
    /// Named in the footer: the program and version that wrote the report.
    std::string generator;
    /// Thresholds set by hand (the studio's `custom`): the report is then about them, on the scores of
    /// `custom->base` (which `method` names), and compares them with every fitted method.
    std::optional<CustomPolicy> custom;
};

/// One method at the report's budget, and its accuracy at the chosen method's realised cost.
struct MethodComparison {
    std::shared_ptr<const PolicySnapshot> snapshot;
    EqualCostAccuracy atEqualCost;
};

/// Everything the report states, computed from a request: no widgets, so any thread may build it.
struct ReportContent {
    ReportRequest request;
    DatasetSummary summary;
    /// The chosen method at the budget, or the thresholds set by hand (available: collectReport refuses
    /// one that is not).
    std::shared_ptr<const PolicySnapshot> chosen;
    /// Every method the studio offers, in its menu order; EENet's only with trained schedulers.
    std::vector<MethodComparison> methods;
    /// Where methods are compared at equal cost: the test split when the file has one, else validation.
    Split comparisonSplit = Split::Test;
    /// The chosen method's realised cost on that split: where every curve is read for that comparison.
    double equalCost = 0;
    /// How many budgets the heuristics' curves span.
    int curveBudgetCount = 0;
};

/// How many budgets the heuristics' curves span when the request brings none: the studio's number.
constexpr int kReportCurveBudgets = 20;

/// True for the methods a report can be about: those of the studio's menu (snapshotMethods()).
bool isReportable(const Method& method);

/// Evaluates every method at the request's budget and reads each one's curve at the chosen method's
/// realised cost. Throws ArgumentError when the chosen method cannot be shown (EENet without a trained
/// scheduler) and eenet::Error on a bad budget.
ReportContent collectReport(ReportRequest request);

} // namespace eenet
