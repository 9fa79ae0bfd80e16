#include "report/EqualCost.h"

#include <algorithm>

namespace eenet {

EqualCostAccuracy accuracyAtCost(std::vector<CostPoint> points, double cost, bool isBound) {
    std::stable_sort(points.begin(), points.end(),
                     [](const CostPoint& a, const CostPoint& b) { return a.cost < b.cost; });
    EqualCostAccuracy result;
    result.pointCount = static_cast<int>(points.size());
    if (points.empty() || cost < points.front().cost)
        return result;
    if (cost > points.back().cost) {
        if (!isBound)
            return result;
        // A bound does no worse with more to spend: its best accuracy holds to the right.
        const auto best = std::max_element(points.begin(), points.end(), [](const auto& a, const auto& b) {
            return a.accuracyPercent < b.accuracyPercent;
        });
        result.accuracyPercent = best->accuracyPercent;
        result.below = *best;
        result.ceiling = true;
        return result;
    }
    // The first point at or past the cost, and the one before it.
    const auto above = std::lower_bound(points.begin(), points.end(), cost,
                                        [](const CostPoint& p, double c) { return p.cost < c; });
    if (above->cost == cost) {
        result.accuracyPercent = above->accuracyPercent;
        result.below = result.above = *above;
        return result;
    }
    const CostPoint& low = *(above - 1);
    const double t = (cost - low.cost) / (above->cost - low.cost);
    result.accuracyPercent = low.accuracyPercent + t * (above->accuracyPercent - low.accuracyPercent);
    result.below = low;
    result.above = *above;
    return result;
}

} // namespace eenet
