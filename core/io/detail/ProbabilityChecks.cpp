#include "io/detail/ProbabilityChecks.h"

#include "io/detail/Hdf5Helpers.h"

#include <algorithm>
#include <cmath>

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

} // namespace

std::string nonFiniteProblem(const std::vector<float>& values, const Shape3& shape) {
    const auto bad = std::find_if(values.begin(), values.end(), [](float v) { return !std::isfinite(v); });
    if (bad == values.end())
        return {};
    return "contains NaN or Inf (" + location(shape, static_cast<size_t>(bad - values.begin())) + ")";
}

std::string probabilityProblem(const std::vector<float>& values, const Shape3& shape) {
    const size_t classes = static_cast<size_t>(shape.classes);
    for (size_t row = 0; row * classes < values.size(); ++row) {
        double sum = 0;
        for (size_t c = 0; c < classes; ++c) {
            const float p = values[row * classes + c];
            if (p < -kRangeTolerance || p > 1 + kRangeTolerance)
                return "probability " + h5::numberText(p) + " is outside [0, 1] (" +
                       location(shape, row * classes + c) + ")";
            sum += p;
        }
        if (std::abs(sum - 1.0) > kRowSumTolerance)
            return "probabilities must sum to 1 within 1e-3, but sum to " + h5::numberText(sum) + " (" +
                   rowLocation(shape, row) + ")";
    }
    return {};
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
    const size_t classes = static_cast<size_t>(numClasses);
    for (size_t start = 0; start < values.size(); start += classes) {
        float* row = values.data() + start;
        const float top = *std::max_element(row, row + classes);
        double sum = 0;
        for (size_t c = 0; c < classes; ++c)
            sum += std::exp(static_cast<double>(row[c]) - top);
        for (size_t c = 0; c < classes; ++c)
            row[c] = static_cast<float>(std::exp(static_cast<double>(row[c]) - top) / sum);
    }
}

} // namespace eenet
