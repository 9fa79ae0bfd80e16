#include "eval/Evaluator.h"

#include "Error.h"
#include "policy/ThresholdSolver.h"

#include <algorithm>
#include <chrono>

namespace eenet {
namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

std::string splitName(Split split) {
    return split == Split::Val ? "val" : "test";
}

Evaluator::Evaluator(std::shared_ptr<const Predictions> predictions, EENetOptions eenetOptions)
    : m_predictions(std::move(predictions))
    , m_eenetOptions(eenetOptions) {}

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

std::vector<double> Evaluator::sweepBudgets(int count) const {
    const double first = m_predictions->costs.front();
    const double last = m_predictions->costs.back();
    if (count < 2)
        throw ArgumentError("a sweep needs at least 2 budgets");
    std::vector<double> budgets;
    for (int i = 0; i < count; ++i)
        budgets.push_back(i == count - 1 ? last : first + (last - first) * i / (count - 1));
    return budgets;
}

std::vector<MethodResult> Evaluator::evaluate(const Method& method, std::optional<double> budget,
                                              const std::vector<Split>& splits) {
    std::vector<MethodResult> results;
    if (method.kind == Method::Kind::Static) {
        for (int k = 0; k < m_predictions->numExits; ++k) {
            for (Split split : splits) {
                const ExitData& data = *exitData(split);
                results.push_back(
                    {"exit-" + std::to_string(k + 1),
                     std::nullopt,
                     split,
                     evaluateAssignment(std::vector<int>(static_cast<size_t>(data.numSamples), k), data),
                     {},
                     0});
            }
        }
        return results;
    }
    if (!budget)
        throw ArgumentError("method " + method.name() + " needs a budget");
    const double b = *budget;
    checkBudget(m_predictions->costs, b);
    for (Split split : splits)
        splitPredictions(split); // a missing test split fails before any training

    if (method.kind == Method::Kind::Oracle) {
        for (Split split : splits) {
            const ExitData& data = *exitData(split);
            results.push_back(
                {method.name(), b, split, evaluateAssignment(oracleExits(data, b), data), {}, 0});
        }
        return results;
    }

    // Threshold policies: fit thresholds (and EENet's scores) on val, then apply them to each split.
    std::vector<double> thresholds;
    double seconds = 0;
    const EENetFit* fit = nullptr;
    const auto start = std::chrono::steady_clock::now();
    switch (method.kind) {
    case Method::Kind::Heuristic:
        thresholds = thresholdsFromDistribution(*heuristicScores(method.measure, Split::Val),
                                                geometricDistributionForBudget(m_predictions->costs, b));
        break;
    case Method::Kind::HeuristicOpt:
        thresholds = searchThresholds(*heuristicScores(method.measure, Split::Val), *exitData(Split::Val), b);
        seconds = secondsSince(start);
        break;
    case Method::Kind::EENet:
    case Method::Kind::EENetReference:
        fit = &eenetFit(b, method.kind == Method::Kind::EENetReference);
        thresholds = fit->scheduler.thresholds;
        seconds = fit->trainSeconds;
        break;
    case Method::Kind::EENetOpt: {
        // The search is monotone on one fit's scores, but each budget has its own fit. The fit chosen at the
        // nearest smaller budget is searched again at this one (its earlier thresholds are among the
        // candidates, so it does at least as well on val as it did there) and kept when it beats this
        // budget's own fit on val: over a sweep the val accuracy never falls.
        const auto choose = [this, b](double fitBudget) {
            const ScoreMatrix valScores = learnedScores(eenetFit(fitBudget, false).scheduler, Split::Val);
            std::vector<double> searched = searchThresholds(valScores, *exitData(Split::Val), b);
            const double accuracy =
                evaluatePolicy(valScores, searched, *exitData(Split::Val)).accuracyPercent;
            return OptChoice{fitBudget, std::move(searched), accuracy};
        };
        OptChoice choice = choose(b);
        if (auto below = m_optChoices.lower_bound(b); below != m_optChoices.begin()) {
            --below;
            if (below->second.fitBudget != b)
                if (OptChoice carried = choose(below->second.fitBudget);
                    carried.valAccuracy > choice.valAccuracy)
                    choice = std::move(carried);
        }
        fit = &eenetFit(choice.fitBudget, false);
        thresholds = choice.thresholds;
        m_optChoices[b] = choice;
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
        results.push_back({method.name(), b, split, evaluatePolicy(scores, thresholds, *exitData(split)),
                           thresholds, seconds});
    }
    return results;
}

} // namespace eenet
