#include "report/ReportContent.h"

#include "Error.h"

#include <algorithm>

namespace eenet {
namespace {

/// The methods the report compares: the studio's menu, EENet's only when a scheduler was trained.
std::vector<Method> comparedMethods(bool hasSchedulers) {
    std::vector<Method> methods;
    for (const Method& method : snapshotMethods())
        if (hasSchedulers || !method.isLearned())
            methods.push_back(method);
    return methods;
}

/// Every point of `atBudget.method` on `split`: its curve (the heuristics' sweep, or one point per trained
/// EENet scheduler) and its point at the report's budget.
std::vector<CostPoint> curvePoints(const ReportRequest& request, const PolicySnapshot& atBudget,
                                   Split split) {
    std::vector<CostPoint> points;
    const auto add = [&](const std::vector<MethodResult>& results) {
        for (const MethodResult& r : results)
            if (r.split == split && r.budget)
                points.push_back({*r.budget, r.outcome.cost, r.outcome.accuracyPercent});
    };
    for (const Curve& curve : request.curves)
        if (curve.method == atBudget.method)
            add(split == Split::Val ? curve.val : curve.test);
    for (const auto& scheduler : request.schedulers) {
        if (atBudget.method == "eenet")
            add(scheduler->eenet);
        else if (atBudget.method == "eenet-opt")
            add(scheduler->eenetOpt);
    }
    if (const SplitPolicy* shown = atBudget.split(split))
        points.push_back({atBudget.budget, shown->outcome.cost, shown->outcome.accuracyPercent});
    return points;
}

} // namespace

bool isReportable(const Method& method) {
    const std::vector<Method> offered = snapshotMethods();
    return std::any_of(offered.begin(), offered.end(),
                       [&](const Method& m) { return m.name() == method.name(); });
}

ReportContent collectReport(ReportRequest request) {
    if (!request.predictions)
        throw ArgumentError("nothing to report: no predictions loaded");
    if (!isReportable(request.method))
        throw ArgumentError(request.method.name() +
                            ": a report is about one of the methods the studio fits (eenet, eenet-opt, the "
                            "heuristics and their -opt variants, oracle); choose one of them");
    if (request.curves.empty())
        request.curves = sweepCurves(request.predictions, heuristicMethods(), kReportCurveBudgets);

    Evaluator evaluator(request.predictions);
    ReportContent content;
    content.summary = summarize(*request.predictions);
    content.comparisonSplit = evaluator.hasTest() ? Split::Test : Split::Val;
    const std::string chosen = request.method.name();
    for (const Method& method : comparedMethods(!request.schedulers.empty())) {
        auto snapshot = std::make_shared<const PolicySnapshot>(
            computeSnapshot(evaluator, method, request.budget, request.schedulers));
        if (method.name() == chosen)
            content.chosen = snapshot;
        content.methods.push_back({std::move(snapshot), {}});
    }
    if (!content.chosen)
        throw ArgumentError(chosen + ": no EENet scheduler trained yet: train one at this budget first");
    if (request.custom) {
        // Compared like any method; it has no curve, so at equal cost it is its own point.
        content.chosen = std::make_shared<const PolicySnapshot>(
            computeCustomSnapshot(evaluator, *request.custom, request.budget));
        content.methods.insert(content.methods.begin(), {content.chosen, {}});
    }

    content.equalCost = content.chosen->split(content.comparisonSplit)->outcome.cost;
    for (const Curve& curve : request.curves)
        content.curveBudgetCount = std::max(content.curveBudgetCount, static_cast<int>(curve.val.size()));
    for (MethodComparison& row : content.methods)
        row.atEqualCost = accuracyAtCost(curvePoints(request, *row.snapshot, content.comparisonSplit),
                                         content.equalCost, row.snapshot->method == "oracle");
    content.request = std::move(request);
    return content;
}

} // namespace eenet
