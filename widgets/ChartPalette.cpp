#include "ChartPalette.h"

#include <cmath>
#include <map>

namespace eenet {
namespace {

// Tableau 10 and its light variants: distinct for most colour-blind readers, readable on light and dark.
const QColor kBlue(31, 119, 180);
const QColor kOrange(255, 127, 14);
const QColor kDeepOrange(230, 115, 0);
const QColor kLightOrange(255, 187, 120);
const QColor kGreen(44, 160, 44);
const QColor kLightGreen(152, 223, 138);
const QColor kRed(214, 39, 40);
const QColor kLightRed(255, 152, 150);
const QColor kPurple(148, 103, 189);
const QColor kBrown(140, 86, 75);
const QColor kGrey(127, 127, 127);
const QColor kCyan(23, 190, 207);

QColor withAlpha(QColor color, int alpha) {
    color.setAlpha(alpha);
    return color;
}

} // namespace

QColor ChartPalette::method(const std::string& name) {
    // A method and its "-opt" variant share a hue; the learned method is red, the oracle bound grey.
    static const std::map<std::string, QColor> colors{
        {"maxprob", kBlue},    {"maxprob-opt", kCyan}, {"entropy", kGreen}, {"entropy-opt", kLightGreen},
        {"patience", kPurple}, {"agreement", kBrown},  {"eenet", kRed},     {"eenet-opt", kLightRed},
        {"oracle", kGrey}};
    const auto found = colors.find(name);
    return found != colors.end() ? found->second : kOrange;
}

QColor ChartPalette::singleExit() {
    return kLightOrange;
}

QColor ChartPalette::budgetMarker() {
    return kRed;
}

QColor ChartPalette::split(Split split) {
    // Deeper than kOrange: the exit distribution draws the test split's wrong bars as a light tint of it.
    return split == Split::Val ? kBlue : kDeepOrange;
}

QColor ChartPalette::truth(bool correct) {
    return correct ? kGreen : kRed;
}

QColor ChartPalette::histogram(bool correct) {
    return correct ? kBlue : kOrange;
}

QColor ChartPalette::servingMode(RunMode mode) {
    switch (mode) {
    case RunMode::Sample:
        return kGreen;
    case RunMode::Sync:
        return kPurple;
    case RunMode::Compact:
        break;
    }
    return kBlue;
}

QColor ChartPalette::loss(LossTerm term) {
    switch (term) {
    case LossTerm::Bce:
        return kBlue;
    case LossTerm::Kl:
        return kPurple;
    case LossTerm::Cost:
        break;
    }
    return kRed;
}

QColor ChartPalette::phaseBand(bool scorePhase) {
    return withAlpha(scorePhase ? kBlue : kOrange, 34);
}

QCPColorGradient ChartPalette::heatMap() {
    QCPColorGradient gradient;
    gradient.setColorStops({{0.0, QColor(68, 1, 84)},
                            {0.25, QColor(59, 82, 139)},
                            {0.5, QColor(33, 145, 140)},
                            {0.75, QColor(94, 201, 98)},
                            {1.0, QColor(253, 231, 37)}});
    return gradient;
}

QColor ChartPalette::textOn(const QColor& background) {
    const auto linear = [](double v) {
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    const double luminance = 0.2126 * linear(background.redF()) + 0.7152 * linear(background.greenF()) +
                             0.0722 * linear(background.blueF());
    return luminance > 0.179 ? QColor(Qt::black) : QColor(Qt::white);
}

QColor ChartPalette::text(const QPalette& palette) {
    return palette.color(QPalette::WindowText);
}

QColor ChartPalette::mutedText(const QPalette& palette) {
    const QColor a = text(palette);
    const QColor b = palette.color(QPalette::Base);
    return QColor((a.red() + b.red() + 1) / 2, (a.green() + b.green() + 1) / 2,
                  (a.blue() + b.blue() + 1) / 2);
}

QColor ChartPalette::grid(const QPalette& palette) {
    return withAlpha(text(palette), 45);
}

QColor ChartPalette::labelFill(const QPalette& palette) {
    return withAlpha(palette.color(QPalette::Base), 210);
}

QColor ChartPalette::legendFill(const QPalette& palette) {
    return withAlpha(palette.color(QPalette::Base), 220);
}

QColor ChartPalette::legendBorder(const QPalette& palette) {
    return grid(palette).darker();
}

} // namespace eenet
