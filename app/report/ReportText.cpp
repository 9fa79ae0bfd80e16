#include "report/ReportText.h"

#include <QStringList>

#include <algorithm>
#include <cmath>

namespace eenet {

QString costNumber(double cost) {
    // Four significant digits in fixed notation: costs read as 0.1911 or 7156, never 7.156e+03.
    const double magnitude = std::abs(cost);
    const int integerDigits = magnitude >= 1 ? static_cast<int>(std::floor(std::log10(magnitude))) + 1 : 0;
    int decimals = std::max(0, 4 - integerDigits);
    if (magnitude > 0 && magnitude < 1)
        decimals = 3 - static_cast<int>(std::floor(std::log10(magnitude)));
    return QString::number(cost, 'f', decimals);
}

QString costText(double cost, const QString& unit) {
    return unit.isEmpty() ? costNumber(cost) : costNumber(cost) + QLatin1Char(' ') + unit;
}

QString percentNumber(double percent) {
    return std::isnan(percent) ? QStringLiteral("—") : QString::number(percent, 'f', 2);
}

QString fractionPercent(double fraction) {
    return QString::number(100.0 * fraction, 'f', 1);
}

QString fractionsText(const std::vector<double>& fractions) {
    QStringList parts;
    for (double f : fractions)
        parts << fractionPercent(f);
    return parts.join(QStringLiteral(" · "));
}

QString signedPoints(double points) {
    return (points < 0 ? QStringLiteral("−") : QStringLiteral("+")) +
           QString::number(std::abs(points), 'f', 2);
}

QString signedPercent(double percent) {
    const double magnitude = std::abs(percent);
    const int decimals = magnitude >= 10 ? 0 : magnitude >= 1 ? 1 : 2;
    return (percent >= 0 ? QStringLiteral("+") : QStringLiteral("−")) +
           QString::number(magnitude, 'f', decimals) + QStringLiteral(" %");
}

QString splitShortName(Split split) {
    return split == Split::Val ? QStringLiteral("val") : QStringLiteral("test");
}

QString splitLongName(Split split) {
    return split == Split::Val ? QStringLiteral("validation") : QStringLiteral("test");
}

QString thresholdText(double threshold) {
    if (std::isinf(threshold))
        return threshold > 0 ? QStringLiteral("∞") : QStringLiteral("−∞");
    return QString::number(threshold, 'g', 6);
}

} // namespace eenet
