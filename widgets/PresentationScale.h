#pragma once

class QCustomPlot;

namespace eenet {

/// Presentation mode for charts: every font and line width in every chart scaled by one factor (1.5 to be
/// read from the back of a room), whatever the chart builds later. Charts build fonts and pens with fixed
/// sizes, and rebuild items as data changes, so the factor is applied just before each replot: a value
/// that differs from the one last applied is the chart's new base and gets scaled; the base is kept, so
/// going back to 1 restores every size exactly.
class PresentationScale {
public:
    /// The factor for all charts (1 = normal); replots every chart of the application.
    static void set(double factor);
    static double factor();
    /// Scales `plot`'s axes, legend, texts, items and plottables to factor(); InteractivePlot calls it
    /// before each replot.
    static void apply(QCustomPlot& plot);
};

} // namespace eenet
