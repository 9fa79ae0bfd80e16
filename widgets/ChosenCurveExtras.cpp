#include "ChosenCurveExtras.h"

#include "ChartPalette.h"

namespace eenet {

ChosenCurveExtras::ChosenCurveExtras(QCustomPlot* plot)
    : m_bandLow(plot->addGraph())
    , m_bandHigh(plot->addGraph())
    , m_other(new QCPCurve(plot->xAxis, plot->yAxis)) {
    for (QCPGraph* edge : {m_bandLow, m_bandHigh}) {
        edge->setPen(Qt::NoPen);
        edge->removeFromLegend();
        edge->setSelectable(QCP::stNone);
    }
    m_bandHigh->setChannelFillGraph(m_bandLow);
    m_other->removeFromLegend();
    m_other->setSelectable(QCP::stNone);
}

void ChosenCurveExtras::place(const Chosen& chosen) {
    m_bandLow->data()->clear();
    m_bandHigh->data()->clear();
    m_bandHigh->removeFromLegend();
    m_other->data()->clear();
    m_other->removeFromLegend();
    if (!chosen.points)
        return;
    const QString method = QString::fromStdString(chosen.method);
    const QColor color = ChartPalette::method(chosen.method);
    if (chosen.bands && chosen.bands->size() == chosen.points->size()) {
        const auto& points = *chosen.points;
        for (size_t i = 0; i < points.size(); ++i) {
            // At the point's realised cost: the band is the accuracy's spread, the curve's own x.
            m_bandLow->addData(points[i].outcome.cost, (*chosen.bands)[i].accuracyLowPercent);
            m_bandHigh->addData(points[i].outcome.cost, (*chosen.bands)[i].accuracyHighPercent);
        }
        QColor fill = color;
        fill.setAlpha(45);
        m_bandHigh->setBrush(fill);
        m_bandHigh->setName(QObject::tr("%1 90 % band").arg(method));
        m_bandHigh->addToLegend();
    }
    if (chosen.otherPoints) {
        const auto& points = *chosen.otherPoints;
        for (size_t i = 0; i < points.size(); ++i)
            m_other->addData(static_cast<double>(i), points[i].outcome.cost,
                             points[i].outcome.accuracyPercent);
        m_other->setPen(QPen(color, 1.5, Qt::DotLine));
        m_other->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(color, 1), Qt::NoBrush, 4));
        m_other->setName(chosen.calibrated ? QObject::tr("%1 uncalibrated").arg(method)
                                           : QObject::tr("%1 calibrated").arg(method));
        m_other->addToLegend();
    }
}

} // namespace eenet
