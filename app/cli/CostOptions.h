#pragma once

#include "cli/Arguments.h"
#include "data/Predictions.h"
#include "eval/Evaluator.h"
#include "eval/ServingMode.h"

#include <QJsonObject>
#include <QStringList>

#include <memory>
#include <optional>
#include <string>

namespace eenet::cli {

/// The options that say what a cost is, shared by every command that prices exits (docs/cli.md, "Cost
/// models, serving and guarantees"): `--cost NAME` picks the file's cost vector, `--serving MODE` bounds the
/// cost per sample of a batched deployment, `--guarantee P` makes the budget hold on new data with
/// confidence P. Commands list the ones they accept among their value options.
inline const QString kCostOption = QStringLiteral("cost");
inline const QString kServingOption = QStringLiteral("serving");
inline const QString kGuaranteeOption = QStringLiteral("guarantee");

/// `--serving MODE` ("sample", "sync:B", "compact:B"): std::nullopt when absent; other text is wrong usage.
std::optional<ServingMode> servingArgument(const Arguments& args);

/// `--serving` and `--guarantee P` (0 < P < 1; other values are wrong usage) as the rule budgets bound.
BudgetRule budgetRuleArgument(const Arguments& args);

/// withCostModel(predictions, --cost) when --cost is given, else `predictions` unchanged.
std::shared_ptr<const Predictions> withCostArgument(const Arguments& args,
                                                    std::shared_ptr<const Predictions> predictions);

/// The predictions a saved scheduler is applied to, priced as it was fitted: the cost model --cost names when
/// given, else the scheduler's own (SchedulerFile::costModel), so that its budget and the realised cost are
/// in one unit. Throws Error naming both files and the models the predictions have when they lack the
/// scheduler's.
std::shared_ptr<const Predictions> withSchedulerCostModel(const Arguments& args,
                                                          std::shared_ptr<const Predictions> predictions,
                                                          const std::string& schedulerCostModel,
                                                          const QString& schedulerPath);

/// The unit budgets are in under `rule`: the serving cost model's (ServingCostModel::unit) under a serving
/// mode, the selected cost model's otherwise.
std::string budgetUnit(const Predictions& predictions, const BudgetRule& rule);

/// resolveBudget against the budgets `evaluator`'s rule can meet (Evaluator::budgetRange): P% is a share of
/// the full model's cost under the rule.
double resolveRuleBudget(const BudgetArgument& budget, const Evaluator& evaluator);

/// Adds what the costs are to a command's JSON: cost_model, cost_unit and, under a rule, serving,
/// serving_unit, serving_measured (batch costs measured rather than assumed b x c_k) and guarantee.
void addCostJson(QJsonObject& json, const Predictions& predictions, const BudgetRule& rule);

/// What the costs are, for a command's first line: "costs in ms", or "costs in MFLOPs, cost model flops" when
/// a cost model other than the file's own costs is selected.
std::string costsText(const Predictions& predictions);

/// The budget rule in a line of text, with a newline, empty for the default rule: "budgets: ms per sample
/// under sync:8 (measured batch costs); guarantee 95 % that the cost on new data stays within them".
std::string ruleLine(const Predictions& predictions, const BudgetRule& rule);

} // namespace eenet::cli
