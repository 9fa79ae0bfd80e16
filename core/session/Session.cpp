#include "session/Session.h"

#include "eval/BudgetRuleFit.h"
#include "eval/ServingCost.h"

#include <algorithm>
#include <cmath>

namespace eenet {

Session::Session(QObject* parent)
    : QObject(parent) {}

void Session::setPredictions(std::shared_ptr<const Predictions> predictions) {
    if (predictions == m_predictions || !predictions)
        return;
    m_predictions = std::move(predictions);
    m_modelPredictions = m_predictions;
    m_parked = {};
    m_summary = summarize(*m_predictions);
    m_curves.clear();
    m_schedulers.clear();
    m_schedulerCurves.clear();
    m_snapshot.reset();
    const bool wasCustom = dropCustomPolicy();
    m_trainingRun = {};
    m_selection = {};
    m_calibration.reset();
    m_bands.clear();
    const bool hadModel = !m_modelPath.isEmpty();
    m_modelPath.clear();
    m_rule = {};
    updateBudgetRange();
    m_budget = 0.5 * (minBudget() + maxBudget());
    Q_EMIT predictionsLoaded();
    if (hadModel)
        Q_EMIT modelPathChanged();
    if (wasCustom)
        announceCustomPolicyEnded();
    Q_EMIT curvesChanged();
    Q_EMIT schedulersChanged();
    Q_EMIT snapshotChanged();
    Q_EMIT trainingRunChanged();
    Q_EMIT selectionChanged();
    Q_EMIT calibrationChanged();
    Q_EMIT budgetChanged(m_budget);
}

void Session::setCalibratedPredictions(std::shared_ptr<const Predictions> calibrated) {
    if (!m_modelPredictions)
        return;
    if (calibrated && (calibrated->numExits != m_modelPredictions->numExits ||
                       calibrated->numClasses != m_modelPredictions->numClasses ||
                       calibrated->val.numSamples != m_modelPredictions->val.numSamples ||
                       calibrated->test.has_value() != m_modelPredictions->test.has_value()))
        return;
    const auto& target = calibrated ? calibrated : m_modelPredictions;
    if (target == m_predictions)
        return;
    ProbabilityState shown = takeShownState();
    // The parked state comes back only when it is of the very probabilities asked for; another calibrated
    // copy starts empty.
    ProbabilityState next = m_parked.predictions == target ? std::move(m_parked) : ProbabilityState{};
    next.predictions = target;
    m_parked = std::move(shown);
    showState(std::move(next));
    m_snapshot.reset();
    m_trainingRun = {};
    const bool wasCustom = dropCustomPolicy();
    announceProbabilitiesChanged(wasCustom);
}

void Session::announceProbabilitiesChanged(bool customEnded) {
    Q_EMIT probabilitiesChanged();
    if (customEnded)
        announceCustomPolicyEnded();
    Q_EMIT curvesChanged();
    Q_EMIT schedulersChanged();
    Q_EMIT snapshotChanged();
    Q_EMIT trainingRunChanged();
    Q_EMIT bandsChanged();
}

std::shared_ptr<const Predictions> Session::calibratedPredictions() const {
    if (calibrated())
        return m_predictions;
    return m_parked.predictions != m_modelPredictions ? m_parked.predictions : nullptr;
}

const std::vector<MethodResult>* Session::parkedCurveResults(const std::string& method, Split split) const {
    return resultsIn(m_parked.schedulerCurves, m_parked.curves, method, split);
}

Session::ProbabilityState Session::takeShownState() {
    return {m_predictions, std::move(m_curves), std::move(m_schedulers), std::move(m_schedulerCurves),
            std::move(m_bands)};
}

void Session::showState(ProbabilityState state) {
    m_predictions = std::move(state.predictions);
    m_curves = std::move(state.curves);
    m_schedulers = std::move(state.schedulers);
    m_schedulerCurves = std::move(state.schedulerCurves);
    m_bands = std::move(state.bands);
}

void Session::updateBudgetRange() {
    m_budgetRange = {0.0, 0.0};
    if (m_predictions)
        m_budgetRange = BudgetRuleCost(*m_predictions, m_rule).range(m_predictions->val.numSamples);
}

std::string Session::budgetUnit() const {
    if (!m_predictions)
        return {};
    return m_rule.serving ? ServingCostModel(*m_predictions).unit() : m_predictions->costUnit;
}

double Session::budgetShare() const {
    const double range = maxBudget() - minBudget();
    return range > 0 ? std::clamp((m_budget - minBudget()) / range, 0.0, 1.0) : 0.5;
}

void Session::setBudgetRule(BudgetRule rule) {
    if (!m_predictions || (rule.serving == m_rule.serving && rule.guarantee == m_rule.guarantee))
        return;
    const double share = budgetShare();
    m_rule = std::move(rule);
    updateBudgetRange();
    // Curves and bands were fitted under the old rule; schedulers stay, their points move to the rule's cost.
    m_curves.clear();
    m_bands.clear();
    m_parked.curves.clear();
    m_parked.bands.clear();
    m_schedulerCurves = schedulerCurvesOf(m_schedulers);
    m_parked.schedulerCurves = schedulerCurvesOf(m_parked.schedulers);
    m_snapshot.reset();
    const bool wasCustom = dropCustomPolicy();
    m_budget = minBudget() + share * (maxBudget() - minBudget());
    Q_EMIT budgetRuleChanged();
    if (wasCustom)
        announceCustomPolicyEnded();
    Q_EMIT curvesChanged();
    Q_EMIT bandsChanged();
    Q_EMIT snapshotChanged();
    Q_EMIT budgetChanged(m_budget);
}

void Session::setCostModelPredictions(std::shared_ptr<const Predictions> model,
                                      std::shared_ptr<const Predictions> calibrated) {
    const auto sameShape = [this](const std::shared_ptr<const Predictions>& p) {
        return p && p->numExits == m_modelPredictions->numExits &&
               p->numClasses == m_modelPredictions->numClasses &&
               p->val.numSamples == m_modelPredictions->val.numSamples &&
               p->test.has_value() == m_modelPredictions->test.has_value();
    };
    if (!m_modelPredictions || !sameShape(model) || (calibrated && !sameShape(calibrated)))
        return;
    const bool showCalibrated = this->calibrated() && calibrated;
    m_modelPredictions = std::move(model);
    m_predictions = showCalibrated ? calibrated : m_modelPredictions;
    m_parked = {};
    m_parked.predictions = showCalibrated ? m_modelPredictions : calibrated;
    for (size_t k = 0; k < m_summary.exits.size(); ++k)
        m_summary.exits[k].cost = m_modelPredictions->costs[k];
    m_summary.costUnit = m_modelPredictions->costUnit;
    m_curves.clear();
    m_schedulers.clear();
    m_schedulerCurves.clear();
    m_bands.clear();
    m_snapshot.reset();
    m_trainingRun = {};
    const bool wasCustom = dropCustomPolicy();
    updateBudgetRange();
    m_budget = 0.5 * (minBudget() + maxBudget());
    announceProbabilitiesChanged(wasCustom);
    Q_EMIT budgetChanged(m_budget);
}

void Session::setModelPath(const QString& path) {
    if (!m_predictions || path == m_modelPath)
        return;
    m_modelPath = path;
    Q_EMIT modelPathChanged();
}

void Session::setBudget(double budget) {
    if (!m_predictions || !std::isfinite(budget))
        return;
    budget = std::clamp(budget, minBudget(), maxBudget());
    if (budget == m_budget)
        return;
    m_budget = budget;
    if (dropCustomPolicy())
        announceCustomPolicyEnded();
    Q_EMIT budgetChanged(m_budget);
}

void Session::setSplit(Split split) {
    if (split == m_split)
        return;
    m_split = split;
    Q_EMIT splitChanged(this->split());
}

void Session::setMethod(const Method& method) {
    if (method.kind == Method::Kind::Custom || method.name() == m_method.name())
        return;
    if (dropCustomPolicy())
        Q_EMIT customPolicyChanged();
    m_method = method;
    Q_EMIT methodChanged();
}

void Session::setCustomPolicy(CustomPolicy policy) {
    const auto& thresholds = policy.thresholds;
    // Learned scores come from one of this session's schedulers; the heuristics' from no scheduler.
    const bool scoresKnown = policy.base.isLearned()
                                 ? std::count(m_schedulers.begin(), m_schedulers.end(), policy.scheduler) > 0
                                 : !policy.scheduler;
    if (!m_predictions || !policy.base.acceptsCustomThresholds() || !scoresKnown ||
        thresholds.size() != static_cast<size_t>(m_predictions->numExits) ||
        std::any_of(thresholds.begin(), thresholds.end(), [](double t) { return std::isnan(t); }) ||
        m_customPolicy == policy)
        return;
    const bool entering = !m_customPolicy;
    m_customPolicy = std::move(policy);
    m_method = Method{Method::Kind::Custom, m_customPolicy->base.measure};
    Q_EMIT customPolicyChanged();
    if (entering)
        Q_EMIT methodChanged();
}

void Session::setThresholdByHand(int exit, double threshold) {
    CustomPolicy policy;
    if (m_customPolicy) {
        policy = *m_customPolicy;
    } else {
        // The first threshold moved: the policy shown lends its scores and its other thresholds.
        if (!m_snapshot || !m_snapshot->available || !m_snapshot->scoreMethod.acceptsCustomThresholds())
            return;
        policy = {m_snapshot->scoreMethod, m_snapshot->scheduler, m_snapshot->thresholds};
    }
    if (exit < 0 || exit + 1 >= static_cast<int>(policy.thresholds.size()))
        return;
    policy.thresholds[static_cast<size_t>(exit)] = threshold;
    setCustomPolicy(std::move(policy));
}

void Session::snapToBudget() {
    if (m_customPolicy)
        setMethod(m_customPolicy->base);
}

bool Session::dropCustomPolicy() {
    if (!m_customPolicy)
        return false;
    m_method = m_customPolicy->base;
    m_customPolicy.reset();
    return true;
}

void Session::announceCustomPolicyEnded() {
    Q_EMIT customPolicyChanged();
    Q_EMIT methodChanged();
}

void Session::setCurves(std::vector<Curve> curves) {
    m_curves = std::move(curves);
    m_bands.clear();
    Q_EMIT curvesChanged();
}

bool Session::setCurvesOf(const std::shared_ptr<const Predictions>& predictions, std::vector<Curve> curves) {
    if (predictions && predictions == m_predictions) {
        setCurves(std::move(curves));
        return true;
    }
    if (!predictions || predictions != m_parked.predictions)
        return false;
    m_parked.curves = std::move(curves);
    m_parked.bands.clear();
    Q_EMIT curvesChanged();
    return true;
}

void Session::addScheduler(std::shared_ptr<const TrainedScheduler> scheduler) {
    if (!scheduler)
        return;
    auto same = std::find_if(m_schedulers.begin(), m_schedulers.end(),
                             [&](const auto& s) { return s->budget == scheduler->budget; });
    if (same != m_schedulers.end())
        *same = std::move(scheduler);
    else
        m_schedulers.insert(
            std::upper_bound(m_schedulers.begin(), m_schedulers.end(), scheduler,
                             [](const auto& a, const auto& b) { return a->budget < b->budget; }),
            std::move(scheduler));
    m_schedulerCurves = schedulerCurvesOf(m_schedulers);
    m_bands.clear();
    // Custom thresholds on the scores of a scheduler a new fit replaced lose their scores: back to fitted.
    const bool replacedScores = m_customPolicy && m_customPolicy->scheduler &&
                                std::none_of(m_schedulers.begin(), m_schedulers.end(), [this](const auto& s) {
                                    return s == m_customPolicy->scheduler;
                                });
    if (replacedScores && dropCustomPolicy())
        announceCustomPolicyEnded();
    Q_EMIT schedulersChanged();
}

std::vector<Curve>
Session::schedulerCurvesOf(const std::vector<std::shared_ptr<const TrainedScheduler>>& schedulers) const {
    Curve eenet{"eenet", {}, {}};
    Curve opt{"eenet-opt", {}, {}};
    // A scheduler is fitted at a per-sample budget (under a rule, at the one where max score meets it:
    // TrainingActions::trainingBudget). Under a serving mode its point is drawn at the serving cost of its
    // own decisions, the cost the heuristic curves are drawn in too (sweepCurves); a guarantee moves where
    // policies are fitted, not what their decisions cost, so it changes nothing here.
    std::optional<ServingCostModel> serving;
    if (m_rule.serving && m_predictions)
        serving.emplace(*m_predictions);
    auto add = [&](Curve& curve, MethodResult r) {
        if (serving)
            r.outcome.cost = r.servingCost = serving->costPerSample(
                exitCounts(r.outcome.exitOf, m_predictions->numExits), *m_rule.serving);
        (r.split == Split::Val ? curve.val : curve.test).push_back(std::move(r));
    };
    for (const auto& scheduler : schedulers) {
        for (const MethodResult& r : scheduler->eenet)
            add(eenet, r);
        for (const MethodResult& r : scheduler->eenetOpt)
            add(opt, r);
    }
    keepBetterSmallerBudgetChoices(opt);
    return {std::move(eenet), std::move(opt)};
}

void Session::setSnapshot(std::shared_ptr<const PolicySnapshot> snapshot) {
    m_snapshot = std::move(snapshot);
    Q_EMIT snapshotChanged();
}

void Session::startTrainingRun(double budget) {
    m_trainingRun = {budget, {}, true, false};
    Q_EMIT trainingRunChanged();
}

void Session::appendTrainingProgress(const TrainingProgress& progress) {
    m_trainingRun.history.push_back(progress);
    Q_EMIT trainingRunChanged();
}

void Session::finishTrainingRun(bool cancelled) {
    m_trainingRun.running = false;
    m_trainingRun.cancelled = cancelled;
    Q_EMIT trainingRunChanged();
}

void Session::setTrainingRun(TrainingRun run) {
    m_trainingRun = std::move(run);
    Q_EMIT trainingRunChanged();
}

void Session::setCalibration(std::shared_ptr<const std::vector<ExitCalibration>> calibration) {
    m_calibration = std::move(calibration);
    Q_EMIT calibrationChanged();
}

const std::vector<MethodResult>* Session::curveResults(const std::string& method, Split split) const {
    return resultsIn(m_schedulerCurves, m_curves, method, split);
}

const std::vector<MethodResult>* Session::resultsIn(const std::vector<Curve>& learned,
                                                    const std::vector<Curve>& heuristics,
                                                    const std::string& method, Split split) {
    for (const auto* list : {&learned, &heuristics})
        for (const Curve& curve : *list)
            if (curve.method == method) {
                const auto& results = split == Split::Test && !curve.test.empty() ? curve.test : curve.val;
                return results.size() > 1 ? &results : nullptr;
            }
    return nullptr;
}

const std::vector<Band>* Session::bands(const std::string& method, Split split) const {
    const auto found = m_bands.find({method, split});
    return found != m_bands.end() ? &found->second : nullptr;
}

void Session::setBands(const std::string& method, Split split, std::vector<Band> bands) {
    m_bands[{method, split}] = std::move(bands);
    Q_EMIT bandsChanged();
}

void Session::setSelection(SampleSelection selection) {
    if (std::isnan(selection.budget)) {
        selection.budget = m_snapshot ? m_snapshot->budget : m_budget;
        selection.method = m_snapshot ? m_snapshot->method : m_method.name();
        selection.thresholds = m_snapshot ? m_snapshot->thresholds : std::vector<double>{};
    }
    m_selection = std::move(selection);
    Q_EMIT selectionChanged();
}

} // namespace eenet
