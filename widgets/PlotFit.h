#pragma once

#include <qcustomplot.h>

#include <algorithm>

namespace eenet {

/// Margins around the data, as a fraction of each axis's data span with a floor in axis units.
struct PlotMargins {
    double xFraction = 0.05;
    double xMinimum = 0;
    double yFraction = 0.05;
    double yMinimum = 0;
};

/// Fits both axes to the visible data plus margins and queues a replot: every chart's "reset view".
inline void fitAxesToData(QCustomPlot& plot, const PlotMargins& margins) {
    plot.rescaleAxes();
    const QCPRange x = plot.xAxis->range();
    const QCPRange y = plot.yAxis->range();
    const double dx = std::max(x.size() * margins.xFraction, margins.xMinimum);
    const double dy = std::max(y.size() * margins.yFraction, margins.yMinimum);
    plot.xAxis->setRange(x.lower - dx, x.upper + dx);
    plot.yAxis->setRange(y.lower - dy, y.upper + dy);
    plot.replot(QCustomPlot::rpQueuedReplot);
}

} // namespace eenet
