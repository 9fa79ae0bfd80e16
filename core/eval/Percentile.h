#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace eenet {

/// The p-quantile (0 < p <= 1) of `values` by the nearest-rank rule; 0 for no values. Latency tails
/// (p95, p99) are reported this way everywhere: each is one of the measured values, never an interpolation.
inline double nearestRankPercentile(std::vector<double> values, double p) {
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::min(std::max<size_t>(rank, 1), values.size()) - 1];
}

} // namespace eenet
