#include "GuaranteeBench.h"
#include "MedianTime.h"

#include "data/SyntheticPredictions.h"
#include "eval/Evaluator.h"
#include "eval/ServingCost.h"
#include "io/PredictionsReader.h"
#include "policy/ConfidenceScores.h"
#include "policy/ThresholdSolver.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

namespace eenet {
namespace {

constexpr int kSweepBudgets = 20;
constexpr double kGuarantee = 0.95;
constexpr int kSyntheticSeeds = 5;

/// Per budget of the sweep: what the fit did on val and what it met on test.
struct BudgetOutcome {
    double budget = 0;
    double valCost = 0;
    double testCost = 0;
    double valAccuracy = 0;
    double testAccuracy = 0;
    std::vector<long long> valCounts;
    std::vector<long long> testCounts;
};

std::vector<BudgetOutcome> sweep(const std::shared_ptr<const Predictions>& predictions, const Method& method,
                                 const BudgetRule& rule, int threads) {
    EENetOptions options;
    options.threads = threads;
    Evaluator evaluator(predictions, options, rule);
    std::vector<double> budgets = evaluator.sweepBudgets(kSweepBudgets);
    // The ends are met exactly on any split (every sample at exit 1, or at exit K): they say nothing.
    budgets = std::vector<double>(budgets.begin() + 1, budgets.end() - 1);
    std::vector<BudgetOutcome> outcomes;
    for (double budget : budgets) {
        const std::vector<MethodResult> results =
            evaluator.evaluate(method, budget, {Split::Val, Split::Test});
        outcomes.push_back({budget, results[0].servingCost, results[1].servingCost,
                            results[0].outcome.accuracyPercent, results[1].outcome.accuracyPercent,
                            exitCounts(results[0].outcome.exitOf, predictions->numExits),
                            exitCounts(results[1].outcome.exitOf, predictions->numExits)});
    }
    return outcomes;
}

QJsonObject summary(const std::vector<BudgetOutcome>& outcomes) {
    int held = 0;
    double overshootSum = 0;
    double worstOvershoot = -1e300;
    double marginSum = 0;
    double valAccuracy = 0;
    double testAccuracy = 0;
    for (const BudgetOutcome& o : outcomes) {
        // Up to rounding: a fit exactly at the budget holds.
        held += o.testCost <= o.budget * (1 + 1e-12);
        const double overshoot = 100.0 * (o.testCost - o.budget) / o.budget;
        overshootSum += std::max(0.0, overshoot);
        worstOvershoot = std::max(worstOvershoot, overshoot);
        marginSum += 100.0 * (o.budget - o.valCost) / o.budget;
        valAccuracy += o.valAccuracy;
        testAccuracy += o.testAccuracy;
    }
    const double n = static_cast<double>(outcomes.size());
    QJsonArray perBudget;
    const auto countsOf = [](const std::vector<long long>& counts) {
        QJsonArray array;
        for (long long count : counts)
            array.append(static_cast<double>(count));
        return array;
    };
    for (const BudgetOutcome& o : outcomes)
        perBudget.append(QJsonObject{{"budget", o.budget},
                                     {"val_cost", o.valCost},
                                     {"test_cost", o.testCost},
                                     {"val_accuracy", o.valAccuracy},
                                     {"test_accuracy", o.testAccuracy},
                                     {"val_exit_counts", countsOf(o.valCounts)},
                                     {"test_exit_counts", countsOf(o.testCounts)}});
    return QJsonObject{
        {"budgets", static_cast<int>(outcomes.size())},    {"test_cost_held", held},
        {"mean_test_overshoot_percent", overshootSum / n}, {"max_test_over_budget_percent", worstOvershoot},
        {"mean_val_margin_percent", marginSum / n},        {"mean_val_accuracy", valAccuracy / n},
        {"mean_test_accuracy", testAccuracy / n},          {"per_budget", perBudget}};
}

/// How fast the rule's costs are (median wall time of repeated calls on the file's val split, max score's
/// exits at the middle of the range): ServingCostModel::costPerSample under sync and compact at b = 32 and
/// 256, and BudgetRuleCost::upperBound (the guarantee's bootstrap) per serving mode.
QJsonObject measureRuleCostSpeed(const std::shared_ptr<const Predictions>& predictions) {
    const Predictions& p = *predictions;
    const ScoreMatrix scores = confidenceScores(ConfidenceMeasure::MaxProb, p.val, p.numClasses);
    const double budget = 0.5 * (p.costs.front() + p.costs.back());
    const std::vector<long long> counts =
        exitCounts(exitsFromThresholds(scores, thresholdsFromDistribution(
                                                   scores, geometricDistributionForBudget(p.costs, budget))),
                   p.numExits);
    const ServingCostModel model(p);
    volatile double sink = 0;
    QJsonObject speed{{"num_val", p.val.numSamples}, {"num_exits", p.numExits}};
    for (const ServingMode mode : {ServingMode{RunMode::Sync, 32}, ServingMode{RunMode::Compact, 32},
                                   ServingMode{RunMode::Sync, 256}, ServingMode{RunMode::Compact, 256}})
        speed[QStringLiteral("cost_per_sample_us_") + QString::fromStdString(servingModeName(mode))] =
            1e6 * medianSeconds(201, [&] { sink = sink + model.costPerSample(counts, mode); });
    for (const std::optional<ServingMode>& mode :
         {std::optional<ServingMode>{}, std::optional<ServingMode>{ServingMode{RunMode::Sync, 32}},
          std::optional<ServingMode>{ServingMode{RunMode::Compact, 32}}}) {
        const BudgetRuleCost rule(p, BudgetRule{mode, kGuarantee});
        speed[QStringLiteral("upper_bound_ms_") +
              (mode ? QString::fromStdString(servingModeName(*mode)) : QStringLiteral("per_sample"))] =
            1e3 * medianSeconds(11, [&] { sink = sink + rule.upperBound(counts); });
    }
    return speed;
}

QJsonArray measureGuarantee(const QString& label,
                            const std::vector<std::shared_ptr<const Predictions>>& files, int threads) {
    QJsonArray rows;
    const std::vector<std::optional<ServingMode>> servings{std::nullopt, ServingMode{RunMode::Sync, 32},
                                                           ServingMode{RunMode::Compact, 32}};
    for (const std::optional<ServingMode>& serving : servings) {
        for (const char* name : {"maxprob", "maxprob-opt", "eenet"}) {
            const Method method = *Method::parse(name);
            const QString servingText =
                serving ? QString::fromStdString(servingModeName(*serving)) : QStringLiteral("per sample");
            std::cerr << "eenet-bench: guarantee, " << label.toStdString() << ", "
                      << servingText.toStdString() << ", " << name << "\n";
            std::vector<BudgetOutcome> plainOutcomes;
            std::vector<BudgetOutcome> heldOutcomes;
            for (const auto& file : files) {
                for (BudgetOutcome& o : sweep(file, method, BudgetRule{serving, 0}, threads))
                    plainOutcomes.push_back(std::move(o));
                for (BudgetOutcome& o : sweep(file, method, BudgetRule{serving, kGuarantee}, threads))
                    heldOutcomes.push_back(std::move(o));
            }
            const QJsonObject plain = summary(plainOutcomes);
            const QJsonObject held = summary(heldOutcomes);
            rows.append(QJsonObject{{"input", label},
                                    {"files", static_cast<int>(files.size())},
                                    {"batch_costs_measured", !files.front()->batchCosts.empty()},
                                    {"serving", servingText},
                                    {"method", QString::fromLatin1(name)},
                                    {"without_guarantee", plain},
                                    {"with_guarantee_0.95", held},
                                    {"test_accuracy_cost_pp", plain["mean_test_accuracy"].toDouble() -
                                                                  held["mean_test_accuracy"].toDouble()},
                                    {"val_accuracy_cost_pp", plain["mean_val_accuracy"].toDouble() -
                                                                 held["mean_val_accuracy"].toDouble()}});
        }
    }
    return rows;
}

} // namespace

QJsonObject guaranteeBench(const QString& samplePath, bool quick, int threads) {
    QJsonArray rows;
    if (!samplePath.isEmpty()) {
        const auto sample = readPredictions(samplePath.toStdString());
        for (const QJsonValue& row :
             measureGuarantee(QString::fromStdString(sample->sourcePath), {sample}, threads))
            rows.append(row);
    }
    // Val and test drawn alike (unlike the sample's, whose test split is Fashion-MNIST's own test set):
    // several seeds, so that "how often" counts more than one draw of the splits.
    const int seeds = quick ? 1 : kSyntheticSeeds;
    std::vector<std::shared_ptr<const Predictions>> synthetic;
    SyntheticOptions options =
        quick ? SyntheticOptions{4, 10, 2000, 2000, 1} : SyntheticOptions{4, 100, 10000, 10000, 1};
    for (int seed = 1; seed <= seeds; ++seed) {
        options.seed = static_cast<std::uint64_t>(seed);
        synthetic.push_back(std::make_shared<const Predictions>(makeSyntheticPredictions(options)));
    }
    const QString label = QStringLiteral("synthetic N=%1+%2 K=%3 C=%4, seeds 1-%5")
                              .arg(options.numVal)
                              .arg(options.numTest)
                              .arg(options.numExits)
                              .arg(options.numClasses)
                              .arg(seeds);
    for (const QJsonValue& row : measureGuarantee(label, synthetic, threads))
        rows.append(row);
    return QJsonObject{{"guarantee", rows}, {"rule_cost_speed", measureRuleCostSpeed(synthetic.front())}};
}

} // namespace eenet
