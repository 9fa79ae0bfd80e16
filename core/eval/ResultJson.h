#pragma once

#include "eval/Evaluator.h"

#include <QJsonObject>

namespace eenet {

/// One result as `eenet-cli evaluate --json` prints it: accuracy in percent, 0-based exit order in arrays,
/// infinite thresholds as "inf" / "-inf", per-exit accuracy null where no sample left; serving_cost (the cost
/// per sample under the evaluator's serving mode, = cost without one) and, under a budget rule, fitted_budget
/// and margin, with a guarantee also cost_upper_bound and accuracy_cost.
QJsonObject toJson(const MethodResult& result);

/// The figures of an outcome alone (accuracy, cost, exit fractions, per-exit accuracy).
QJsonObject outcomeToJson(const PolicyOutcome& outcome);

} // namespace eenet
