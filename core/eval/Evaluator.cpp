#include "eval/Evaluator.h"

#include "Error.h"
#include "policy/ThresholdSolver.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace eenet {
namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

BudgetRule withoutGuarantee(BudgetRule rule) {
    rule.guarantee = 0;
    return rule;
}

} // namespace

std::string splitName(Split split) {
    return split == Split::Val ? "val" : "test";
}

Evaluator::Evaluator(std::shared_ptr<const Predictions> predictions, EENetOptions eenetOptions,
                     BudgetRule rule)
    : m_predictions(std::move(predictions))
    , m_eenetOptions(eenetOptions)
    , m_rule(std::move(rule))
    , m_ruleCost(*m_predictions, m_rule)
    , m_servingCost(*m_predictions, withoutGuarantee(m_rule)) {}

const SplitPredictions& Evaluator::splitPredictions(Split split) const {
    if (split == Split::Val)
        return m_predictions->val;
    if (!m_predictions->test)
        throw ArgumentError(m_predictions->sourcePath + " has no test split (/test/probs)");
    return *m_predictions->test;
}

std::shared_ptr<const ExitData> Evaluator::exitData(Split split) {
    auto& cached = m_exitData[split];
    if (!cached)
        cached = std::make_shared<const ExitData>(makeExitData(*m_predictions, splitPredictions(split)));
    return cached;
}

std::shared_ptr<const ScoreMatrix> Evaluator::heuristicScores(ConfidenceMeasure measure, Split split) {
    auto& cached = m_scores[std::make_pair(measure, split)];
    if (!cached)
        cached = std::make_shared<const ScoreMatrix>(
            confidenceScores(measure, splitPredictions(split), m_predictions->numClasses));
    return cached;
}

const EENetFit& Evaluator::eenetFit(double budget, bool reference) {
    const auto key = std::make_pair(budget, reference);
    auto found = m_fits.find(key);
    if (found == m_fits.end()) {
        std::unique_ptr<EENetTrainer>& trainer = reference ? m_referenceTrainer : m_trainer;
        if (!trainer) {
            EENetOptions options = reference ? EENetOptions::reference() : m_eenetOptions;
            options.seed = m_eenetOptions.seed;
            options.threads = m_eenetOptions.threads;
            trainer = std::make_unique<EENetTrainer>(m_predictions, options);
        }
        found = m_fits.emplace(key, trainer->fit(budget)).first;
    }
    return found->second;
}

ScoreMatrix Evaluator::learnedScores(const EENetScheduler& scheduler, Split split) {
    // The entropy term costs C logarithms per sample and exit: computed once per split, and only when a
    // weight needs it. The scores are the same to the last bit either way.
    const bool needsEntropy =
        std::any_of(scheduler.auxWeights.begin(), scheduler.auxWeights.end(),
                    [](const std::vector<double>& aux) { return aux.size() > 1 && aux[1] != 0.0; });
    if (!needsEntropy)
        return scheduler.scores(splitPredictions(split));
    return scheduler.scores(splitPredictions(split), *heuristicScores(ConfidenceMeasure::Entropy, split));
}

std::pair<double, double> Evaluator::budgetRange() const {
    if (m_rule.isDefault())
        return {m_predictions->costs.front(), m_predictions->costs.back()};
    return m_ruleCost.range(m_predictions->val.numSamples);
}

std::vector<double> Evaluator::sweepBudgets(int count) const {
    const auto [first, last] = budgetRange();
    if (count < 2)
        throw ArgumentError("a sweep needs at least 2 budgets");
    std::vector<double> budgets;
    for (int i = 0; i < count; ++i)
        budgets.push_back(i == count - 1 ? last : first + (last - first) * i / (count - 1));
    return budgets;
}

double Evaluator::servingCostOf(const PolicyOutcome& outcome) const {
    if (!m_rule.serving)
        return outcome.cost;
    return m_servingCost.realised(exitCounts(outcome.exitOf, m_predictions->numExits));
}

std::vector<MethodResult> Evaluator::evaluate(const Method& method, std::optional<double> budget,
                                              const std::vector<Split>& splits) {
    std::vector<MethodResult> results;
    if (method.kind == Method::Kind::Static) {
        for (int k = 0; k < m_predictions->numExits; ++k) {
            for (Split split : splits) {
                const ExitData& data = *exitData(split);
                MethodResult result{
                    "exit-" + std::to_string(k + 1),
                    std::nullopt,
                    split,
                    evaluateAssignment(std::vector<int>(static_cast<size_t>(data.numSamples), k), data),
                    {},
                    0,
                    0,
                    std::nullopt};
                result.servingCost = servingCostOf(result.outcome);
                results.push_back(std::move(result));
            }
        }
        return results;
    }
    if (!budget)
        throw ArgumentError("method " + method.name() + " needs a budget");
    const double b = *budget;
    if (m_rule.isDefault())
        checkBudget(m_predictions->costs, b);
    else
        m_ruleCost.checkBudget(b, m_predictions->val.numSamples);
    for (Split split : splits)
        splitPredictions(split); // a missing test split fails before any training

    if (method.kind == Method::Kind::Oracle)
        return evaluateOracle(method, b, splits);

    // Threshold policies: fit thresholds (and EENet's scores) on val, then apply them to each split.
    ThresholdChoice choice;
    double seconds = 0;
    const EENetFit* fit = nullptr;
    const auto start = std::chrono::steady_clock::now();
    const std::vector<double>& costs = m_predictions->costs;
    switch (method.kind) {
    case Method::Kind::Heuristic:
        choice = fitThresholds(
            *heuristicScores(method.measure, Split::Val),
            [&](double perSample) {
                return thresholdsFromDistribution(*heuristicScores(method.measure, Split::Val),
                                                  geometricDistributionForBudget(costs, perSample));
            },
            b);
        break;
    case Method::Kind::HeuristicOpt:
        choice = fitThresholds(
            *heuristicScores(method.measure, Split::Val),
            [&](double perSample) {
                return searchThresholds(*heuristicScores(method.measure, Split::Val), *exitData(Split::Val),
                                        perSample);
            },
            b);
        seconds = secondsSince(start);
        break;
    case Method::Kind::EENet:
    case Method::Kind::EENetReference: {
        const bool reference = method.kind == Method::Kind::EENetReference;
        if (m_rule.isDefault()) {
            fit = &eenetFit(b, reference);
            choice.thresholds = fit->scheduler.thresholds;
            seconds = fit->trainSeconds;
        } else {
            choice = fitEENetToRule(b, reference, fit);
            seconds = secondsSince(start);
        }
        break;
    }
    case Method::Kind::EENetOpt: {
        // The search is monotone on one fit's scores, but each budget has its own fit. The fit chosen at the
        // nearest smaller budget is searched again at this one (its earlier thresholds are among the
        // candidates, so it does at least as well on val as it did there) and kept when it beats this
        // budget's own fit on val: over a sweep the val accuracy never falls. Under a rule, this budget's
        // own fit is made at the per-sample budget the rule leads to (as for eenet), and each fit's search
        // runs at the B' that meets the rule on its scores.
        const auto choose = [this, b](double fitBudget) {
            const ScoreMatrix valScores = learnedScores(eenetFit(fitBudget, false).scheduler, Split::Val);
            ThresholdChoice searched = fitThresholds(
                valScores,
                [&](double perSample) {
                    return searchThresholds(valScores, *exitData(Split::Val), perSample);
                },
                b);
            const double accuracy =
                evaluatePolicy(valScores, searched.thresholds, *exitData(Split::Val)).accuracyPercent;
            return OptChoice{fitBudget, std::move(searched.thresholds), accuracy, searched.effect};
        };
        OptChoice optChoice = choose(m_rule.isDefault() ? b : nominalBudget(b));
        // Under a rule, refitted once at the B' found on the nominal fit's scores (see fitEENetToRule).
        if (optChoice.effect && optChoice.effect->fittedBudget != optChoice.fitBudget)
            optChoice = choose(optChoice.effect->fittedBudget);
        if (auto below = m_optChoices.lower_bound(b); below != m_optChoices.begin()) {
            --below;
            if (below->second.fitBudget != optChoice.fitBudget)
                if (OptChoice carried = choose(below->second.fitBudget);
                    carried.valAccuracy > optChoice.valAccuracy)
                    optChoice = std::move(carried);
        }
        fit = &eenetFit(optChoice.fitBudget, false);
        choice = {optChoice.thresholds, optChoice.effect};
        m_optChoices[b] = optChoice;
        seconds = fit->trainSeconds + secondsSince(start);
        break;
    }
    default:
        // Static and oracle returned above: what is left has no fit of its own.
        throw ArgumentError("method " + method.name() +
                            " has no fit of its own: its thresholds are set by hand");
    }
    for (Split split : splits) {
        // EENet's scores depend on the fit; the heuristics' are cached and used in place, not copied.
        ScoreMatrix learned;
        if (fit)
            learned = learnedScores(fit->scheduler, split);
        const ScoreMatrix& scores = fit ? learned : *heuristicScores(method.measure, split);
        MethodResult result{
            method.name(),     b,       split, evaluatePolicy(scores, choice.thresholds, *exitData(split)),
            choice.thresholds, seconds, 0,     choice.effect};
        result.servingCost = servingCostOf(result.outcome);
        results.push_back(std::move(result));
    }
    return results;
}

Evaluator::ThresholdChoice
Evaluator::fitThresholds(const ScoreMatrix& valScores,
                         const std::function<std::vector<double>(double)>& thresholdsAt, double budget) {
    if (m_rule.isDefault())
        return {thresholdsAt(budget), std::nullopt};
    const int exits = m_predictions->numExits;
    const auto [low, high] = std::make_pair(m_predictions->costs.front(), m_predictions->costs.back());
    const auto exitsAt = [&](double perSample) {
        return exitsFromThresholds(valScores, thresholdsAt(perSample));
    };
    const auto fitUnder = [&](const BudgetRuleCost& rule) {
        return fitBudgetToRule(
            exitsAt, [&](const std::vector<int>& exitOf) { return rule.bounded(exitCounts(exitOf, exits)); },
            budget, low, high);
    };
    const BudgetFit fitted = fitUnder(m_ruleCost);
    const ExitData& val = *exitData(Split::Val);
    BudgetRuleEffect effect;
    effect.fittedBudget = fitted.fittedBudget;
    effect.costUpperBound = std::numeric_limits<double>::quiet_NaN();
    effect.margin = budget - m_servingCost.realised(exitCounts(fitted.exitOf, exits));
    if (m_rule.guarantee > 0) {
        effect.costUpperBound = fitted.cost;
        // The same scores fitted without the guarantee: what the margin cost in accuracy, apart from
        // any difference between fits.
        const BudgetFit plain = fitUnder(m_servingCost);
        effect.accuracyCost = evaluateAssignment(plain.exitOf, val).accuracyPercent -
                              evaluateAssignment(fitted.exitOf, val).accuracyPercent;
    }
    return {thresholdsAt(fitted.fittedBudget), effect};
}

double Evaluator::nominalBudget(double budget) {
    if (m_rule.isDefault())
        return budget;
    auto found = m_nominalBudgets.find(budget);
    if (found == m_nominalBudgets.end()) {
        const ScoreMatrix& scores = *heuristicScores(ConfidenceMeasure::MaxProb, Split::Val);
        const ThresholdChoice maxProb = fitThresholds(
            scores,
            [&](double perSample) {
                return thresholdsFromDistribution(
                    scores, geometricDistributionForBudget(m_predictions->costs, perSample));
            },
            budget);
        found = m_nominalBudgets.emplace(budget, maxProb.effect->fittedBudget).first;
    }
    return found->second;
}

Evaluator::ThresholdChoice Evaluator::fitEENetToRule(double budget, bool reference, const EENetFit*& fit) {
    // Training at every step of the search would cost a fit per step (0.2 s on the sample, seconds at 1000
    // classes). The cost under the rule depends on the exit distribution far more than on the scores, so:
    // fit at the per-sample budget where max score meets the rule, move that fit's exit distribution to each
    // B' tried (tiltDistributionToBudget, as the studio re-thresholds, method.md 6.3), and refit once at the
    // B' found, so the deployed scores are trained for the distribution they are used at; a second search
    // on the refit's scores corrects what is left, usually a fraction of a per cent.
    const auto fitOn = [&](const EENetFit& eenet) {
        const ScoreMatrix valScores = learnedScores(eenet.scheduler, Split::Val);
        return fitThresholds(
            valScores,
            [&](double perSample) {
                return thresholdsFromDistribution(
                    valScores,
                    tiltDistributionToBudget(eenet.exitDistribution, m_predictions->costs, perSample));
            },
            budget);
    };
    const double nominal = nominalBudget(budget);
    fit = &eenetFit(nominal, reference);
    ThresholdChoice choice = fitOn(*fit);
    if (choice.effect->fittedBudget != nominal) {
        fit = &eenetFit(choice.effect->fittedBudget, reference);
        choice = fitOn(*fit);
    }
    return choice;
}

std::vector<MethodResult> Evaluator::evaluateOracle(const Method& method, double budget,
                                                    const std::vector<Split>& splits) {
    std::vector<MethodResult> results;
    for (Split split : splits) {
        const ExitData& data = *exitData(split);
        if (m_rule.isDefault()) {
            PolicyOutcome outcome = evaluateAssignment(oracleExits(data, budget), data);
            const double cost = outcome.cost;
            results.push_back({method.name(), budget, split, std::move(outcome), {}, 0, cost, std::nullopt});
            continue;
        }
        // The oracle sees each split's labels, so it meets the serving mode on each split at a B' of its
        // own. A guarantee does not apply: the oracle is a bound, not a fit, and meeting the budget itself
        // keeps it above every policy held to the guarantee.
        BudgetRuleEffect effect;
        effect.costUpperBound = std::numeric_limits<double>::quiet_NaN();
        std::vector<int> exitOf;
        if (!m_rule.serving) {
            effect.fittedBudget = budget;
            exitOf = oracleExits(data, budget);
        } else {
            BudgetFit fitted =
                fitBudgetToRule([&](double perSample) { return oracleExits(data, perSample); },
                                [&](const std::vector<int>& exits) {
                                    return m_servingCost.realised(exitCounts(exits, m_predictions->numExits));
                                },
                                budget, m_predictions->costs.front(), m_predictions->costs.back());
            effect.fittedBudget = fitted.fittedBudget;
            exitOf = std::move(fitted.exitOf);
        }
        PolicyOutcome outcome = evaluateAssignment(exitOf, data);
        const double cost = servingCostOf(outcome);
        effect.margin = budget - cost;
        results.push_back({method.name(), budget, split, std::move(outcome), {}, 0, cost, effect});
    }
    return results;
}

} // namespace eenet
