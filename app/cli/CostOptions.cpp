#include "cli/CostOptions.h"

#include "Error.h"
#include "data/CostModels.h"
#include "eval/ServingCost.h"

#include <sstream>

namespace eenet::cli {

std::optional<ServingMode> servingArgument(const Arguments& args) {
    if (!args.has(kServingOption))
        return std::nullopt;
    const QString text = args.value(kServingOption);
    const auto serving = parseServingMode(text.trimmed().toStdString());
    if (!serving)
        args.fail(QStringLiteral("--serving must be sample, sync:B or compact:B (B a batch size >= 1, e.g. "
                                 "sync:32), got '%1'")
                      .arg(text));
    return serving;
}

BudgetRule budgetRuleArgument(const Arguments& args) {
    BudgetRule rule;
    rule.serving = servingArgument(args);
    if (const auto guarantee = args.number(kGuaranteeOption)) {
        if (!(*guarantee > 0 && *guarantee < 1))
            args.fail(QStringLiteral("--guarantee needs a confidence strictly between 0 and 1 (e.g. 0.95), "
                                     "got '%1'")
                          .arg(args.value(kGuaranteeOption)));
        rule.guarantee = *guarantee;
    }
    return rule;
}

std::shared_ptr<const Predictions> withCostArgument(const Arguments& args,
                                                    std::shared_ptr<const Predictions> predictions) {
    if (!args.has(kCostOption))
        return predictions;
    const QString name = args.value(kCostOption).trimmed();
    if (name.isEmpty())
        args.fail(QStringLiteral("--cost needs the name of a cost model (costs, flops or an "
                                 "/exits/extra_costs name; eenet-cli info lists them)"));
    return withCostModel(std::move(predictions), name.toStdString());
}

std::shared_ptr<const Predictions> withSchedulerCostModel(const Arguments& args,
                                                          std::shared_ptr<const Predictions> predictions,
                                                          const std::string& schedulerCostModel,
                                                          const QString& schedulerPath) {
    if (args.has(kCostOption))
        return withCostArgument(args, std::move(predictions));
    std::string known;
    for (const CostVector& model : costModels(*predictions)) {
        if (model.name == schedulerCostModel)
            return withCostModel(std::move(predictions), schedulerCostModel);
        known += (known.empty() ? "" : ", ") + model.name;
    }
    throw Error(schedulerPath.toStdString() + ": the scheduler's costs and budget are in cost model '" +
                schedulerCostModel + "', which " + predictions->sourcePath + " does not have (it has " +
                known + "); give --cost NAME to report the costs in one of those");
}

std::string budgetUnit(const Predictions& predictions, const BudgetRule& rule) {
    return rule.serving ? ServingCostModel(predictions).unit() : predictions.costUnit;
}

double resolveRuleBudget(const BudgetArgument& budget, const Evaluator& evaluator) {
    const auto [low, high] = evaluator.budgetRange();
    return resolveBudget(budget, {low, high}, budgetUnit(*evaluator.predictions(), evaluator.budgetRule()));
}

void addCostJson(QJsonObject& json, const Predictions& predictions, const BudgetRule& rule) {
    json["cost_model"] = QString::fromStdString(predictions.costModel);
    json["cost_unit"] = QString::fromStdString(predictions.costUnit);
    if (rule.serving) {
        const ServingCostModel model(predictions);
        json["serving"] = QString::fromStdString(servingModeName(*rule.serving));
        json["serving_unit"] = QString::fromStdString(model.unit());
        json["serving_measured"] = model.measured();
    }
    if (rule.guarantee > 0)
        json["guarantee"] = rule.guarantee;
}

std::string costsText(const Predictions& predictions) {
    std::string text = "costs in " + predictions.costUnit;
    if (predictions.costModel != "costs")
        text += ", cost model " + predictions.costModel;
    return text;
}

std::string ruleLine(const Predictions& predictions, const BudgetRule& rule) {
    if (rule.isDefault())
        return {};
    std::ostringstream line;
    line << "budgets: " << budgetUnit(predictions, rule) << " per sample";
    if (rule.serving)
        line << " under " << servingModeName(*rule.serving)
             << (ServingCostModel(predictions).measured()
                     ? " (measured batch costs)"
                     : " (no batch costs in the file: a batch of b assumed to cost b x c_k)");
    if (rule.guarantee > 0)
        line << (rule.serving ? ";" : ",") << " guarantee " << 100 * rule.guarantee
             << " % that the average cost on new data stays within them";
    line << "\n";
    return line.str();
}

} // namespace eenet::cli
