#pragma once

#include <optional>
#include <vector>

namespace eenet {

/// One point of a method's accuracy–cost curve on one split: the budget it was fitted for and what it
/// realised there.
struct CostPoint {
    double budget = 0;
    double cost = 0;
    double accuracyPercent = 0;
};

/// A method's accuracy read off its curve at a realised cost.
struct EqualCostAccuracy {
    /// std::nullopt when the cost lies outside the costs the method realised (no extrapolation).
    std::optional<double> accuracyPercent;
    /// The points it was read from: the same one when a point sits at the cost; the points nearest below
    /// and above it otherwise (or, for a bound past its last point, that last point).
    std::optional<CostPoint> below;
    std::optional<CostPoint> above;
    /// The cost is past the bound's last point: its best accuracy, continued flat (the oracle's ceiling).
    bool ceiling = false;
    /// How many points the curve has (1: a method fitted at the report's budget only).
    int pointCount = 0;
};

/// The accuracy of a curve at realised cost `cost`: linear interpolation between the two points whose
/// realised costs bracket it (points in cost order; on equal costs the first one given). Outside the curve's
/// cost range there is no value, except for an upper bound (`isBound`, the oracle), which keeps its best
/// accuracy beyond its last point, as the curves chart draws it.
EqualCostAccuracy accuracyAtCost(std::vector<CostPoint> points, double cost, bool isBound);

} // namespace eenet
