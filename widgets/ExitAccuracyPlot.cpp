#include "ExitAccuracyPlot.h"
#include "ChartPalette.h"
#include "PlotFit.h"

#include <QToolTip>

namespace eenet {
namespace {

constexpr double kHoverRadiusPx = 12.0;

QCPGraph* makeGraph(QCustomPlot* plot, const QString& name, const QColor& color,
                    QCPScatterStyle::ScatterShape shape) {
    QCPGraph* graph = plot->addGraph();
    graph->setName(name);
    graph->setPen(QPen(color, 2));
    graph->setScatterStyle(QCPScatterStyle(shape, color, color.lighter(130), 9));
    return graph;
}

} // namespace

ExitAccuracyPlot::ExitAccuracyPlot(QWidget* parent)
    : InteractivePlot(parent) {
    m_val = makeGraph(this, tr("validation"), ChartPalette::split(Split::Val), QCPScatterStyle::ssCircle);
    m_test = makeGraph(this, tr("test"), ChartPalette::split(Split::Test), QCPScatterStyle::ssSquare);
    yAxis->setLabel(tr("standalone accuracy (%)"));
    xAxis->setLabel(tr("cumulative cost"));
    legend->setVisible(true);
    // Title, then the legend in a row of its own: inside the axes it would cover the exits' labels.
    QCPAxisRect* rect = axisRect();
    plotLayout()->take(rect);
    plotLayout()->clear();
    plotLayout()->addElement(
        0, 0,
        new QCPTextElement(this, tr("Accuracy of each exit alone"), QFont(font().family(), 11, QFont::Bold)));
    putLegendInRow(1);
    plotLayout()->addElement(2, 0, rect);
    plotLayout()->setRowStretchFactors({0.001, 0.001, 1});
    setMinimumSize(260, 180);
    applyPalette();
}

void ExitAccuracyPlot::setSummary(const DatasetSummary& summary) {
    m_summary = summary;
    QVector<double> costs, val, test;
    for (const ExitSummary& exit : summary.exits) {
        costs.push_back(exit.cost);
        val.push_back(exit.valAccuracyPercent);
        if (exit.testAccuracyPercent)
            test.push_back(*exit.testAccuracyPercent);
    }
    m_val->setData(costs, val, true);
    m_test->setData(test.isEmpty() ? QVector<double>() : costs, test, true);
    m_test->setVisible(!test.isEmpty());
    m_test->removeFromLegend();
    if (!test.isEmpty())
        m_test->addToLegend();

    for (QCPItemText* label : std::as_const(m_labels))
        removeItem(label);
    m_labels.clear();
    for (size_t k = 0; k < summary.exits.size(); ++k) {
        auto* label = new QCPItemText(this);
        label->setText(tr("exit %1").arg(k + 1));
        label->setColor(ChartPalette::text(palette()));
        // Accuracy rises with cost, so the space right of the first point, below and right of the middle
        // ones and below and left of the last one (at the right edge) is free: labels stay inside the axes.
        const bool first = k == 0;
        const bool last = k + 1 == summary.exits.size();
        label->setPositionAlignment(last ? Qt::AlignRight | Qt::AlignTop
                                         : Qt::AlignLeft | (first ? Qt::AlignVCenter : Qt::AlignTop));
        label->position->setType(QCPItemPosition::ptPlotCoords);
        label->position->setCoords(costs[static_cast<int>(k)], val[static_cast<int>(k)]);
        label->setPadding(last ? QMargins(0, 6, 8, 0) : first ? QMargins(10, 0, 0, 0) : QMargins(8, 6, 0, 0));
        m_labels.push_back(label);
    }
    xAxis->setLabel(tr("cumulative cost (%1)").arg(QString::fromStdString(summary.costUnit)));
    resetView();
}

void ExitAccuracyPlot::resetView() {
    fitAxesToData(*this, {0.08, 1e-3, 0.15, 0.5});
}

ChartTable ExitAccuracyPlot::tableData() const {
    const QString unit = QString::fromStdString(m_summary.costUnit);
    ChartTable table{{QStringLiteral("exit"), QStringLiteral("cost (%1)").arg(unit),
                      QStringLiteral("val accuracy (%)"), QStringLiteral("test accuracy (%)")},
                     {}};
    for (const ExitSummary& e : m_summary.exits)
        table.rows.push_back({QString::fromStdString(e.name), csvNumber(e.cost),
                              csvNumber(e.valAccuracyPercent),
                              e.testAccuracyPercent ? csvNumber(*e.testAccuracyPercent) : QString()});
    return table;
}

QString ExitAccuracyPlot::pointTooltip(int exit) const {
    const ExitSummary& e = m_summary.exits[static_cast<size_t>(exit)];
    QString text = tr("<b>%1</b><br>cost: %2 %3")
                       .arg(QString::fromStdString(e.name))
                       .arg(e.cost, 0, 'g', 5)
                       .arg(QString::fromStdString(m_summary.costUnit));
    if (e.flops)
        text += tr("<br>MFLOPs: %1").arg(*e.flops, 0, 'g', 5);
    text += tr("<br>val accuracy: %1 %").arg(e.valAccuracyPercent, 0, 'f', 2);
    if (e.testAccuracyPercent)
        text += tr("<br>test accuracy: %1 %").arg(*e.testAccuracyPercent, 0, 'f', 2);
    return text;
}

void ExitAccuracyPlot::mouseMoveEvent(QMouseEvent* event) {
    QCustomPlot::mouseMoveEvent(event);
    const QPointF position = event->position();
    for (QCPGraph* graph : {m_val, m_test}) {
        if (!graph->visible())
            continue;
        for (int k = 0; k < graph->dataCount(); ++k) {
            const auto point = graph->data()->at(k);
            const QPointF pixel = graph->coordsToPixels(point->key, point->value);
            if (QLineF(pixel, position).length() <= kHoverRadiusPx) {
                QToolTip::showText(event->globalPosition().toPoint(), pointTooltip(k), this);
                return;
            }
        }
    }
    QToolTip::hideText();
}

} // namespace eenet
