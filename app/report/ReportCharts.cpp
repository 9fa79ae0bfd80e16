#include "report/ReportCharts.h"

#include "Error.h"
#include "ExitDistributionPlot.h"
#include "PolicyCurvesPlot.h"
#include "report/ReportContent.h"
#include "session/Session.h"

#include <QApplication>
#include <QBuffer>
#include <QCoreApplication>
#include <QResizeEvent>
#include <QStyle>

namespace eenet {
namespace {

constexpr int kCurvesHeightPx = 520;
constexpr int kDistributionHeightPx = 400;

/// The session the views draw: what the studio's session would hold with this method and budget chosen.
void fill(Session& session, const ReportContent& content) {
    const ReportRequest& request = content.request;
    session.setPredictions(request.predictions);
    session.setCurves(request.curves);
    for (const auto& scheduler : request.schedulers)
        session.addScheduler(scheduler);
    session.setMethod(request.method);
    session.setBudget(request.budget);
    if (request.custom)
        session.setCustomPolicy(*request.custom);
    session.setSplit(content.comparisonSplit);
    session.setSnapshot(content.chosen);
}

/// Lays `plot` out at width x height logical pixels as a window of that size would (some views wrap their
/// titles and legends to the width), without ever showing it, and renders it kChartScale times as fine.
QByteArray render(InteractivePlot& plot, int width, int height) {
    // A report is read on white paper whatever the studio's theme.
    plot.setPalette(QApplication::style()->standardPalette());
    const QSize size(width, height);
    const QSize old = plot.size();
    plot.resize(size);
    // A hidden widget gets its resize event only when shown; the views lay out on it.
    QResizeEvent resized(size, old);
    QCoreApplication::sendEvent(&plot, &resized);
    plot.resetView();
    return pngBytes(plot.toPixmap(width, height, kChartScale).toImage());
}

} // namespace

QByteArray pngBytes(const QImage& image) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (image.isNull() || !image.save(&buffer, "PNG"))
        throw Error("cannot encode a picture of the report as PNG");
    return bytes;
}

ReportCharts renderReportCharts(const ReportContent& content) {
    Session session;
    fill(session, content);
    ReportCharts charts;
    PolicyCurvesPlot curves(&session);
    charts.curves = render(curves, kChartWidthPx, kCurvesHeightPx);
    ExitDistributionPlot distribution(&session);
    charts.exitDistribution = render(distribution, kChartWidthPx, kDistributionHeightPx);
    return charts;
}

} // namespace eenet
