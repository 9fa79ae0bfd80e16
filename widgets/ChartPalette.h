#pragma once

#include "eval/Evaluator.h"
#include "eval/ServingMode.h"

#include <QColor>
#include <QPalette>
#include <qcustomplot.h>

#include <string>

namespace eenet {

/// Every colour the views draw with, each role named once, so a method, a split or a loss term looks the
/// same in every chart. Data colours are fixed (Tableau 10, readable on the light and the dark theme alike);
/// whatever must contrast with the background (text, reference lines, label boxes, grid) is derived from the
/// widget's QPalette, so it follows the theme.
class ChartPalette {
public:
    enum class LossTerm { Bce, Kl, Cost };

    /// A policy's curve by method name ("maxprob", "eenet-opt"...); methods without a colour share one.
    static QColor method(const std::string& name);
    /// Fill of the "each exit alone" markers on the policy curves (their outline is text()).
    static QColor singleExit();
    /// The budget line and the chosen method's point on the policy curves.
    static QColor budgetMarker();
    /// Validation or test data, wherever both are drawn.
    static QColor split(Split split);
    /// Correct or wrong, as text in the sample table.
    static QColor truth(bool correct);
    /// Correct or wrong bars of the threshold histograms.
    static QColor histogram(bool correct);
    /// A serving mode's curves in the serving view (the full model's are grey, mutedText()).
    static QColor servingMode(RunMode mode);
    /// A loss term of the training view; the expected cost takes the cost term's colour.
    static QColor loss(LossTerm term);
    /// Translucent band behind the steps of one training phase.
    static QColor phaseBand(bool scorePhase);
    /// The share of a class leaving at an exit, 0 to 1: viridis, perceptually even and readable in grey.
    static QCPColorGradient heatMap();
    /// Black or white, whichever contrasts more with `background` (WCAG relative luminance).
    static QColor textOn(const QColor& background);

    /// Text, axes and reference lines (budget, thresholds).
    static QColor text(const QPalette& palette);
    /// Messages standing in for data ("No data"): half way between text and background.
    static QColor mutedText(const QPalette& palette);
    static QColor grid(const QPalette& palette);
    /// Behind labels drawn over data, translucent so the data stays visible.
    static QColor labelFill(const QPalette& palette);
    static QColor legendFill(const QPalette& palette);
    static QColor legendBorder(const QPalette& palette);
};

} // namespace eenet
