#include "eval/ResultJson.h"

#include "io/SchedulerFile.h"

#include <QJsonArray>

#include <cmath>

namespace eenet {

QJsonObject outcomeToJson(const PolicyOutcome& outcome) {
    QJsonArray fractions;
    for (double f : outcome.exitFractions)
        fractions.append(f);
    QJsonArray perExit;
    for (double a : outcome.perExitAccuracyPercent)
        perExit.append(std::isnan(a) ? QJsonValue() : QJsonValue(a));
    return QJsonObject{{"accuracy", outcome.accuracyPercent},
                       {"cost", outcome.cost},
                       {"exit_fractions", fractions},
                       {"per_exit_accuracy", perExit}};
}

QJsonObject toJson(const MethodResult& result) {
    QJsonObject json = outcomeToJson(result.outcome);
    json["method"] = QString::fromStdString(result.method);
    json["budget"] = result.budget ? QJsonValue(*result.budget) : QJsonValue();
    json["split"] = QString::fromStdString(splitName(result.split));
    QJsonArray thresholds;
    for (double t : result.thresholds)
        thresholds.append(thresholdToJson(t));
    json["thresholds"] = thresholds;
    json["train_seconds"] = result.trainSeconds;
    json["serving_cost"] = result.servingCost;
    if (result.rule) {
        const BudgetRuleEffect& rule = *result.rule;
        json["fitted_budget"] = rule.fittedBudget;
        json["margin"] = rule.margin;
        // Without a guarantee there is no bound (NaN, which JSON cannot hold) and nothing it cost.
        if (std::isfinite(rule.costUpperBound)) {
            json["cost_upper_bound"] = rule.costUpperBound;
            json["accuracy_cost"] = rule.accuracyCost;
        }
    }
    return json;
}

} // namespace eenet
