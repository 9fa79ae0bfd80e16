#include "PresentationScale.h"

#include <QApplication>
#include <qcustomplot.h>

namespace eenet {
namespace {

double g_factor = 1.0;
/// Until presentation mode is first used, charts skip the walk over their layerables.
bool g_everScaled = false;

/// `current` scaled to the factor from its base, remembering base and applied value on `owner` under
/// `key`: a value the chart set since (different from the one applied) is its new base.
double scaled(QObject* owner, const char* key, double current) {
    const QByteArray base = QByteArray(key) + "Base";
    const QByteArray applied = QByteArray(key) + "Applied";
    const QVariant last = owner->property(applied.constData());
    if (!last.isValid() || last.toDouble() != current)
        owner->setProperty(base.constData(), current);
    const double target = owner->property(base.constData()).toDouble() * g_factor;
    owner->setProperty(applied.constData(), target);
    return target;
}

QFont scaledFont(QObject* owner, const char* key, QFont font) {
    if (font.pointSizeF() > 0)
        font.setPointSizeF(scaled(owner, key, font.pointSizeF()));
    return font;
}

QPen scaledPen(QObject* owner, const char* key, QPen pen) {
    // Width 0 is a cosmetic one-pixel pen: it stays one pixel.
    if (pen.widthF() > 0)
        pen.setWidthF(scaled(owner, key, pen.widthF()));
    return pen;
}

void scaleAxis(QCPAxis* axis) {
    axis->setLabelFont(scaledFont(axis, "labelFont", axis->labelFont()));
    axis->setTickLabelFont(scaledFont(axis, "tickLabelFont", axis->tickLabelFont()));
    axis->setBasePen(scaledPen(axis, "basePen", axis->basePen()));
    axis->setTickPen(scaledPen(axis, "tickPen", axis->tickPen()));
}

void scaleLayerable(QCPLayerable* layerable) {
    if (auto* axis = qobject_cast<QCPAxis*>(layerable)) {
        scaleAxis(axis);
    } else if (auto* legend = qobject_cast<QCPLegend*>(layerable)) {
        legend->setFont(scaledFont(legend, "font", legend->font()));
    } else if (auto* entry = qobject_cast<QCPAbstractLegendItem*>(layerable)) {
        entry->setFont(scaledFont(entry, "font", entry->font()));
    } else if (auto* title = qobject_cast<QCPTextElement*>(layerable)) {
        title->setFont(scaledFont(title, "font", title->font()));
    } else if (auto* text = qobject_cast<QCPItemText*>(layerable)) {
        text->setFont(scaledFont(text, "font", text->font()));
        text->setPen(scaledPen(text, "pen", text->pen()));
    } else if (auto* item = qobject_cast<QCPAbstractItem*>(layerable)) {
        // Lines, straight lines and rectangles: each subclass has its own pen.
        if (auto* line = qobject_cast<QCPItemLine*>(item))
            line->setPen(scaledPen(line, "pen", line->pen()));
        else if (auto* straight = qobject_cast<QCPItemStraightLine*>(item))
            straight->setPen(scaledPen(straight, "pen", straight->pen()));
        else if (auto* rect = qobject_cast<QCPItemRect*>(item))
            rect->setPen(scaledPen(rect, "pen", rect->pen()));
    } else if (auto* plottable = qobject_cast<QCPAbstractPlottable*>(layerable)) {
        plottable->setPen(scaledPen(plottable, "pen", plottable->pen()));
        QCPScatterStyle scatter;
        if (auto* graph = qobject_cast<QCPGraph*>(plottable))
            scatter = graph->scatterStyle();
        else if (auto* curve = qobject_cast<QCPCurve*>(plottable))
            scatter = curve->scatterStyle();
        if (!scatter.isNone()) {
            scatter.setSize(scaled(plottable, "scatterSize", scatter.size()));
            scatter.setPen(scaledPen(plottable, "scatterPen", scatter.pen()));
            if (auto* graph = qobject_cast<QCPGraph*>(plottable))
                graph->setScatterStyle(scatter);
            else if (auto* curve = qobject_cast<QCPCurve*>(plottable))
                curve->setScatterStyle(scatter);
        }
    }
}

} // namespace

void PresentationScale::set(double factor) {
    g_factor = factor;
    g_everScaled = g_everScaled || factor != 1.0;
    for (QWidget* widget : QApplication::allWidgets())
        if (auto* plot = qobject_cast<QCustomPlot*>(widget))
            plot->replot(QCustomPlot::rpQueuedReplot);
}

double PresentationScale::factor() {
    return g_factor;
}

void PresentationScale::apply(QCustomPlot& plot) {
    if (!g_everScaled)
        return;
    for (int i = 0; i < plot.layerCount(); ++i)
        for (QCPLayerable* layerable : plot.layer(i)->children())
            scaleLayerable(layerable);
}

} // namespace eenet
