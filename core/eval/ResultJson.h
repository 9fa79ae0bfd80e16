#pragma once

#include "eval/Evaluator.h"

#include <QJsonObject>

namespace eenet {

/// One result as `eenet-cli evaluate --json` prints it: accuracy in percent, 0-based exit order in arrays,
/// infinite thresholds as "inf" / "-inf", per-exit accuracy null where no sample left.
QJsonObject toJson(const MethodResult& result);

/// The figures of an outcome alone (accuracy, cost, exit fractions, per-exit accuracy).
QJsonObject outcomeToJson(const PolicyOutcome& outcome);

} // namespace eenet
