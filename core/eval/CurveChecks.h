#pragma once

#include "eval/Evaluator.h"
#include "policy/ExitData.h"

#include <string>
#include <vector>

namespace eenet {

/// Refuses a curve whose results cannot be read against `data`'s per-sample outcomes: throws ArgumentError,
/// prefixed with `what` (the computation asking), when a result's exitOf does not give every sample of the
/// split an exit in [0, K).
void checkCurveCoversSplit(const std::vector<MethodResult>& curve, const ExitData& data,
                           const std::string& what);

} // namespace eenet
