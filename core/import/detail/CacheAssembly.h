#pragma once

// Private to core/import: the rules every cache meets, whatever its source: shapes and limits, logits or
// probabilities, labels, costs and FLOPs. The source readers call the shape checks before they allocate;
// assemble() applies all of them and builds the Predictions.

#include "import/CacheImport.h"
#include "import/detail/RawCache.h"

#include <optional>
#include <string>
#include <vector>

namespace eenet::cache {

/// Files given beside the cache.
struct SideInputs {
    std::optional<RawArray<double>> latenciesMs;
    std::optional<RawArray<double>> flops; ///< from a flops.pth; preferred to the cache's own
    std::optional<RawArray<std::string>> classNames;
};

/// Empty when `shape` fits predictions [K, N, C] within the limits (docs/format.md, "Limits"); else the
/// problem.
std::string outputsShapeProblem(const std::vector<std::int64_t>& shape);
/// Empty when `shape` is that of labels [N] within the limits.
std::string labelsShapeProblem(const std::vector<std::int64_t>& shape);
/// Empty when `shape` is that of one number per exit [K] within the limits.
std::string exitsShapeProblem(const std::vector<std::int64_t>& shape);
/// Bytes the predictions and labels of a split of `shape` take in memory as the import holds them.
long double splitBytes(const std::vector<std::int64_t>& shape);

/// Checks the cache and the side files, decides logits or probabilities, picks the costs and fills `report`.
/// The result has no model, dataset or description yet.
Predictions assemble(RawCache cache, SideInputs side, CacheImportReport& report);

} // namespace eenet::cache
