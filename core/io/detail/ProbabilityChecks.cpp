#include "io/detail/ProbabilityChecks.h"

#include "io/detail/Hdf5Helpers.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace eenet {
namespace {

constexpr double kRowSumTolerance = 1e-3;
constexpr double kRangeTolerance = 1e-6;

std::string rowLocation(const Shape3& shape, size_t row) {
    return "exit " + std::to_string(row / static_cast<size_t>(shape.samples) + 1) + ", sample " +
           std::to_string(row % static_cast<size_t>(shape.samples));
}

std::string location(const Shape3& shape, size_t index) {
    const size_t classes = static_cast<size_t>(shape.classes);
    return rowLocation(shape, index / classes) + ", class " + std::to_string(index % classes);
}

RowBlock wholeSplit(const std::vector<float>& values, const Shape3& shape) {
    return {values.data(), values.size() / static_cast<size_t>(shape.classes), 0};
}

/// True when no value of the block is NaN or Inf: a float is either exactly when its exponent bits are all
/// set. Branch-free, so that the compiler vectorises it.
bool allFinite(const RowBlock& block, size_t classes) {
    std::uint32_t special = 0;
    for (size_t i = 0; i < block.rows * classes; ++i) {
        std::uint32_t bits = 0;
        std::memcpy(&bits, block.values + i, sizeof bits);
        special |= static_cast<std::uint32_t>((bits & 0x7f800000u) == 0x7f800000u);
    }
    return special == 0;
}

/// True only when every row of the block passes nonFiniteProblem() and probabilityProblem(), in about half
/// the time of the two: one pass, four running sums that do not wait for each other instead of one. The two
/// summation orders differ by at most 2 (n - 1) 2^-53 sum |p| (sum |p| <= sum p + 2 n 1e-6 for values >=
/// -1e-6), so a row is passed only when its sum is clear of the tolerance by more than that; a NaN fails
/// through the sum. A row not passed here goes to the exact checks, which decide.
bool rowsClearlySound(const RowBlock& block, size_t classes) {
    const double n = static_cast<double>(classes);
    const double sumTolerance = kRowSumTolerance - 2.5e-16 * n * (1.01 + 2 * kRangeTolerance * n);
    const size_t quads = classes / 4;
    for (size_t row = 0; row < block.rows; ++row) {
        const float* values = block.values + row * classes;
        double sums[4] = {0, 0, 0, 0};
        float low[4] = {0, 0, 0, 0};
        float high[4] = {0, 0, 0, 0};
        for (size_t q = 0; q < quads; ++q)
            for (size_t lane = 0; lane < 4; ++lane) {
                const float p = values[4 * q + lane];
                sums[lane] += p;
                low[lane] = std::min(low[lane], p);
                high[lane] = std::max(high[lane], p);
            }
        double sum = (sums[0] + sums[1]) + (sums[2] + sums[3]);
        float lowest = std::min(std::min(low[0], low[1]), std::min(low[2], low[3]));
        float highest = std::max(std::max(high[0], high[1]), std::max(high[2], high[3]));
        for (size_t c = 4 * quads; c < classes; ++c) {
            sum += values[c];
            lowest = std::min(lowest, values[c]);
            highest = std::max(highest, values[c]);
        }
        if (!(lowest >= -kRangeTolerance && highest <= 1 + kRangeTolerance &&
              std::abs(sum - 1.0) <= sumTolerance))
            return false;
    }
    return true;
}

} // namespace

std::string nonFiniteProblem(const std::vector<float>& values, const Shape3& shape) {
    return nonFiniteProblem(wholeSplit(values, shape), shape);
}

std::string nonFiniteProblem(const RowBlock& block, const Shape3& shape) {
    const size_t classes = static_cast<size_t>(shape.classes);
    const float* end = block.values + block.rows * classes;
    const float* bad = std::find_if(block.values, end, [](float v) { return !std::isfinite(v); });
    if (bad == end)
        return {};
    return "contains NaN or Inf (" +
           location(shape, block.firstRow * classes + static_cast<size_t>(bad - block.values)) + ")";
}

std::string probabilityProblem(const std::vector<float>& values, const Shape3& shape) {
    return probabilityProblem(wholeSplit(values, shape), shape);
}

std::string probabilityProblem(const RowBlock& block, const Shape3& shape) {
    const size_t classes = static_cast<size_t>(shape.classes);
    for (size_t row = 0; row < block.rows; ++row) {
        const float* values = block.values + row * classes;
        double sum = 0;
        for (size_t c = 0; c < classes; ++c) {
            const float p = values[c];
            if (p < -kRangeTolerance || p > 1 + kRangeTolerance)
                return "probability " + h5::numberText(p) + " is outside [0, 1] (" +
                       location(shape, (block.firstRow + row) * classes + c) + ")";
            sum += p;
        }
        if (std::abs(sum - 1.0) > kRowSumTolerance)
            return "probabilities must sum to 1 within 1e-3, but sum to " + h5::numberText(sum) + " (" +
                   rowLocation(shape, block.firstRow + row) + ")";
    }
    return {};
}

std::string splitBlockProblem(const RowBlock& block, const Shape3& shape, bool probabilities) {
    const size_t classes = static_cast<size_t>(shape.classes);
    const bool sound = probabilities ? rowsClearlySound(block, classes) : allFinite(block, classes);
    if (sound)
        return {};
    // The rare block that may be bad is checked again, exactly, for the messages the whole-split checks give.
    std::string problem = nonFiniteProblem(block, shape);
    if (problem.empty() && probabilities)
        problem = probabilityProblem(block, shape);
    return problem;
}

std::string costsProblem(const std::vector<double>& costs) {
    for (size_t k = 0; k < costs.size(); ++k) {
        const std::string exit = "exit " + std::to_string(k + 1);
        if (!std::isfinite(costs[k]))
            return "contains NaN or Inf (" + exit + ")";
        if (costs[k] <= 0)
            return "must be positive; " + exit + " has " + h5::numberText(costs[k]);
        if (k > 0 && costs[k] <= costs[k - 1])
            return "must be strictly increasing (cumulative cost); " + exit + " has " +
                   h5::numberText(costs[k]) + " after " + h5::numberText(costs[k - 1]);
    }
    return {};
}

void softmaxRows(std::vector<float>& values, int numClasses) {
    softmaxRows(values.data(), values.size() / static_cast<size_t>(numClasses), numClasses);
}

void softmaxRows(float* values, std::size_t rows, int numClasses) {
    const size_t classes = static_cast<size_t>(numClasses);
    for (size_t r = 0; r < rows; ++r) {
        float* row = values + r * classes;
        const float top = *std::max_element(row, row + classes);
        double sum = 0;
        for (size_t c = 0; c < classes; ++c)
            sum += std::exp(static_cast<double>(row[c]) - top);
        for (size_t c = 0; c < classes; ++c)
            row[c] = static_cast<float>(std::exp(static_cast<double>(row[c]) - top) / sum);
    }
}

} // namespace eenet
