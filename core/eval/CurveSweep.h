#pragma once

#include "eval/Evaluator.h"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace eenet {

/// One method's accuracy-budget curve: a result per budget on val and (when the file has one) test.
struct Curve {
    std::string method;
    std::vector<MethodResult> val;
    std::vector<MethodResult> test;
};

/// Every method over `budgetCount` budgets evenly spaced over the rule's budget range
/// (Evaluator::budgetRange; static exits: one point each, as methods "exit-1" ...), fitted under `rule`.
/// Under a serving mode each point's outcome.cost is its servingCost, the cost its budget bounds. Runs on any
/// thread; throws eenet::Error, and CancelledError between two points once `cancel` is raised.
std::vector<Curve> sweepCurves(std::shared_ptr<const Predictions> predictions,
                               const std::vector<Method>& methods, int budgetCount,
                               const BudgetRule& rule = {}, const std::atomic<bool>* cancel = nullptr);

/// For a curve whose points are each fitted on their own scores (eenet-opt over separately trained EENet
/// schedulers), by ascending budget: where the previous point did better on validation, its policy (feasible
/// at this budget too) replaces this point's, on every split, at this point's budget. Its validation accuracy
/// then never falls as the budget grows, as Evaluator's eenet-opt (docs/method.md 6.4).
void keepBetterSmallerBudgetChoices(Curve& curve);

/// The methods the studio draws without training: the paper-protocol heuristics, their searched variants,
/// the oracle and the static exits.
std::vector<Method> heuristicMethods();

} // namespace eenet
