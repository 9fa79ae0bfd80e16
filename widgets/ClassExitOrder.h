#pragma once

#include "policy/ExitData.h"

#include <vector>

namespace eenet {

/// How the per-class exit map orders its rows.
enum class ClassOrder { ClassIndex, ExitLatest, ExitEarliest, LosesMostAccuracy };

/// Every class of `data` in `order` under a policy's exit per sample `exitOf` (PolicyOutcome::exitOf): by
/// class index; by the mean exit index of the class's samples, latest or earliest first; or by accuracy under
/// the policy minus the last exit's (ClassAccuracyChange::deltaPp), the largest loss first. Ties keep class
/// order; classes without samples in the split have no mean or accuracy and come last.
std::vector<int> orderedClasses(ClassOrder order, const ExitData& data, const std::vector<int>& exitOf);

} // namespace eenet
