#include "eval/CurveSweep.h"

#include "Error.h"

#include <algorithm>

namespace eenet {

std::vector<Method> heuristicMethods() {
    std::vector<Method> methods;
    for (const char* name :
         {"maxprob", "entropy", "patience", "agreement", "maxprob-opt", "entropy-opt", "oracle", "static"})
        methods.push_back(*Method::parse(name));
    return methods;
}

void keepBetterSmallerBudgetChoices(Curve& curve) {
    const bool withTest = curve.test.size() == curve.val.size();
    for (size_t i = 1; i < curve.val.size(); ++i) {
        if (!(curve.val[i - 1].outcome.accuracyPercent > curve.val[i].outcome.accuracyPercent))
            continue;
        for (auto* points : {&curve.val, &curve.test}) {
            if (points == &curve.test && !withTest)
                continue;
            const std::optional<double> budget = (*points)[i].budget;
            (*points)[i] = (*points)[i - 1];
            (*points)[i].budget = budget;
        }
    }
}

std::vector<Curve> sweepCurves(std::shared_ptr<const Predictions> predictions,
                               const std::vector<Method>& methods, int budgetCount, const BudgetRule& rule,
                               const std::atomic<bool>* cancel) {
    auto checkCancel = [cancel] {
        if (cancel != nullptr && cancel->load())
            throw CancelledError();
    };
    Evaluator evaluator(predictions, {}, rule);
    const std::vector<Split> splits =
        evaluator.hasTest() ? std::vector<Split>{Split::Val, Split::Test} : std::vector<Split>{Split::Val};
    const std::vector<double> budgets = evaluator.sweepBudgets(budgetCount);
    std::vector<Curve> curves;
    auto add = [&curves, &rule](MethodResult result) {
        if (rule.serving)
            result.outcome.cost = result.servingCost; // a curve is drawn in the cost its budgets bound
        auto curve = std::find_if(curves.begin(), curves.end(),
                                  [&](const Curve& c) { return c.method == result.method; });
        if (curve == curves.end())
            curve = curves.insert(curves.end(), Curve{result.method, {}, {}});
        (result.split == Split::Val ? curve->val : curve->test).push_back(std::move(result));
    };
    for (const Method& method : methods) {
        checkCancel();
        if (!method.needsBudget()) {
            for (const MethodResult& result : evaluator.evaluate(method, std::nullopt, splits))
                add(result);
            continue;
        }
        for (double budget : budgets) {
            checkCancel();
            for (const MethodResult& result : evaluator.evaluate(method, budget, splits))
                add(result);
        }
    }
    return curves;
}

} // namespace eenet
