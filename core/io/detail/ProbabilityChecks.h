#pragma once

// Private to core: the value checks of a split's probabilities and of exit costs (docs/format.md,
// "Validation"), apart from the HDF5 reading so that PredictionsReader.cpp stays about the file; cache
// imports (core/import) apply the same checks to what they convert.

#include <cstddef>
#include <string>
#include <vector>

namespace eenet {

/// A split's probabilities, row-major [exits, samples, classes].
struct Shape3 {
    int exits = 0;
    int samples = 0;
    int classes = 0;
};

/// Rows [firstRow, firstRow + rows) of a split of `shape`, held contiguously at `values`; row r is exit
/// r / samples, sample r % samples. The reader checks a split block by block as its slabs arrive, and the
/// problems name the same places as when the split is checked whole.
struct RowBlock {
    const float* values = nullptr;
    std::size_t rows = 0;
    std::size_t firstRow = 0;
};

/// Empty when every value is finite; otherwise the problem with the first bad value's place, e.g.
/// "contains NaN or Inf (exit 2, sample 3, class 0)".
std::string nonFiniteProblem(const std::vector<float>& values, const Shape3& shape);
std::string nonFiniteProblem(const RowBlock& block, const Shape3& shape);

/// Empty when every value lies in [0, 1] and every row sums to 1 within 1e-3; otherwise the problem with the
/// first bad row's place.
std::string probabilityProblem(const std::vector<float>& values, const Shape3& shape);
std::string probabilityProblem(const RowBlock& block, const Shape3& shape);

/// What the reader checks in each block of a split as it arrives: nonFiniteProblem(), then, when the block
/// holds probabilities (not logits), probabilityProblem(). One pass over a sound block.
std::string splitBlockProblem(const RowBlock& block, const Shape3& shape, bool probabilities);

/// Empty when the cumulative costs are finite, positive and strictly increasing; otherwise the problem with
/// the first bad exit, e.g. "must be strictly increasing (cumulative cost); exit 3 has 2 after 5".
std::string costsProblem(const std::vector<double>& costs);

/// Replaces each row of logits by its softmax (subtracting the row's maximum first, so nothing overflows).
void softmaxRows(std::vector<float>& values, int numClasses);
void softmaxRows(float* values, std::size_t rows, int numClasses);

} // namespace eenet
