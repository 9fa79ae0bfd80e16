#pragma once

#include "eval/Split.h"

#include <QString>

#include <vector>

namespace eenet {

/// How the report writes its numbers, the same in every table and sentence.

/// A cost with four significant digits and its unit: "0.1911 ms", "7156 MFLOPs".
QString costText(double cost, const QString& unit);
/// The number alone, as costText writes it (for table cells whose header names the unit).
QString costNumber(double cost);
/// An accuracy or a share already in percent, two decimals: "92.09".
QString percentNumber(double percent);
/// A fraction in [0, 1] as a percentage, one decimal: "24.9".
QString fractionPercent(double fraction);
/// Exit fractions as percentages, in exit order: "24.4 · 25.0 · 24.9 · 25.6".
QString fractionsText(const std::vector<double>& fractions);
/// A signed relative difference in percent: "+0.03 %", "−1.2 %".
QString signedPercent(double percent);
/// A signed difference in percentage points, two decimals, for cells whose header names the unit: "+0.25",
/// "−1.20".
QString signedPoints(double points);
/// "val" or "test", as table headers name the splits.
QString splitShortName(Split split);
/// "validation" or "test", as sentences name them.
QString splitLongName(Split split);
/// A threshold T_k: six significant digits, "∞" (nobody leaves) and "−∞" (everyone left leaves).
QString thresholdText(double threshold);

} // namespace eenet
