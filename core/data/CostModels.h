#pragma once

#include "data/Predictions.h"

#include <memory>
#include <string>
#include <vector>

namespace eenet {

/// Longest name of a cost vector (/exits/extra_costs/<name>): it names a cost model in menus, scheduler
/// files and the CLI.
inline constexpr std::size_t kMaxCostNameBytes = 256;

/// Empty when `name` may name a cost vector of /exits/extra_costs: not empty, at most kMaxCostNameBytes, not
/// "costs" or "flops" (the models of /exits/costs and /exits/flops), no '/' and no control characters;
/// otherwise the problem, e.g. "the name 'flops' is taken by /exits/flops; name the vector otherwise".
std::string costNameProblem(const std::string& name);

/// Every cost model the predictions hold, in this order: "costs" (the file's /exits/costs in its
/// cost_unit), "flops" when the file has /exits/flops, then each /exits/extra_costs/<name> by name. The
/// same whichever of them is selected.
std::vector<CostVector> costModels(const Predictions& predictions);

/// The file's own /exits/costs and cost_unit (named "costs"), whichever cost model is selected: what a
/// writer writes.
CostVector fileCosts(const Predictions& predictions);

/// Makes cost model `name` the one `costs`, `costUnit` and `costModel` hold, so that budgets, curves,
/// schedulers and exports are in its unit. Selecting "costs" again restores the file's own. Throws
/// ArgumentError naming the file and listing the models it has when there is no such model.
void selectCostModel(Predictions& predictions, const std::string& name);

/// `predictions` with cost model `name` selected: the same object when it is already selected (or null),
/// otherwise a copy (predictions are shared immutable). Throws as selectCostModel.
std::shared_ptr<const Predictions> withCostModel(std::shared_ptr<const Predictions> predictions,
                                                 const std::string& name);

} // namespace eenet
