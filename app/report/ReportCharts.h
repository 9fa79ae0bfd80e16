#pragma once

#include <QByteArray>

class QImage;

namespace eenet {

struct ReportContent;

/// The report's two charts as PNG files in memory.
struct ReportCharts {
    /// Accuracy against realised cost of every method, on the comparison split (PolicyCurvesPlot).
    QByteArray curves;
    /// Where the chosen method sends the samples, val and test, with the realised costs
    /// (ExitDistributionPlot).
    QByteArray exitDistribution;
};

/// Logical width of the charts in the page; the PNGs hold kChartScale times as many pixels, sharp in print
/// and on high-resolution screens.
constexpr int kChartWidthPx = 860;
constexpr int kChartScale = 2;

/// Draws the charts with the studio's own views on a private Session holding the content, in the light
/// palette whatever the studio's theme. Widgets: GUI thread only, under a QApplication (eenet-cli runs one on
/// the offscreen platform, so no display is needed).
ReportCharts renderReportCharts(const ReportContent& content);

/// `image` as a PNG file; throws eenet::Error when it cannot be encoded.
QByteArray pngBytes(const QImage& image);

} // namespace eenet
