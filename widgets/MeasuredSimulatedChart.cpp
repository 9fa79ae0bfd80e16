#include "MeasuredSimulatedChart.h"
#include "ChartPalette.h"

#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace eenet {
namespace {

constexpr double kBarWidth = 0.36;
/// Measured left of the group's centre, simulated right.
constexpr double kBarOffset = 0.19;

/// The simulated bar: the measured one's colour, pale, outlined, so each pair reads as one group.
QColor paleOf(const QColor& color) {
    QColor pale = color;
    pale.setAlpha(70);
    return pale;
}

/// Grey for the legend's stand-ins: neither mode's colour, so the legend only says solid or pale.
const QColor kLegendGrey(110, 110, 110);

} // namespace

MeasuredSimulatedChart::MeasuredSimulatedChart(QWidget* parent)
    : InteractivePlot(parent)
    , m_header(new QCPLayoutGrid)
    , m_title(new QCPTextElement(this, QString(), QFont(font().family(), 9, QFont::Bold)))
    , m_message(addMessage(QCPItemPosition::ptAxisRectRatio, 10))
    , m_reference(new QCPItemStraightLine(this))
    , m_legendMeasured(new QCPBars(xAxis, yAxis))
    , m_legendSimulated(new QCPBars(xAxis, yAxis)) {
    // One row above the axes: the title, and the legend at its right, so neither covers a tall bar or its
    // label and the bars keep the height (the view is often a small tab).
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, m_header);
    plotLayout()->setRowStretchFactors({0.001, 1});
    axisRect()->insetLayout()->take(legend);
    m_header->addElement(0, 0, m_title);
    m_header->addElement(0, 1, legend);
    m_header->setColumnStretchFactors({1, 0.001});
    m_title->setMinimumSize(1, 0);
    legend->setLayer(QStringLiteral("legend"));
    legend->setFillOrder(QCPLegend::foColumnsFirst);
    legend->setFont(QFont(font().family(), 8));
    legend->setMargins(QMargins(4, 1, 4, 1));
    legend->setVisible(true);
    connect(this, &QCustomPlot::afterLayout, this, [this] { fitTitle(m_title, m_titleText, {}); });

    m_legendMeasured->setName(tr("measured"));
    m_legendSimulated->setName(tr("simulated"));
    m_legendMeasured->setBrush(kLegendGrey);
    m_legendMeasured->setPen(QPen(kLegendGrey, 1));
    m_legendSimulated->setBrush(paleOf(kLegendGrey));
    m_legendSimulated->setPen(QPen(kLegendGrey, 1));
    for (QCPBars* stand : {m_legendMeasured, m_legendSimulated})
        stand->setSelectable(QCP::stNone); // no data: drawn in the legend only
    // Entries made before the legend moved to its layer would sit under its translucent fill, washed out.
    for (int i = 0; i < legend->itemCount(); ++i)
        legend->item(i)->setLayer(legend->layer());

    xAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    xAxis->setSubTicks(false);
    xAxis->grid()->setVisible(false);
    xAxis->setTickLabelFont(QFont(font().family(), 8));
    m_reference->point1->setCoords(0, 1);
    m_reference->point2->setCoords(1, 1);
    m_reference->setClipToAxisRect(true);
    setMinimumSize(200, 110);
    // Bars do not pan or zoom usefully: a fixed view, reset by a double click anyway.
    setInteractions({});
    applyPalette();
    paletteChanged();
    show(QString(), {}, {}, openFileHint());
}

void MeasuredSimulatedChart::clearBars() {
    for (QCPBars* bars : m_bars)
        removePlottable(bars);
    for (QCPItemText* value : m_values)
        removeItem(value);
    m_bars.clear();
    m_values.clear();
}

void MeasuredSimulatedChart::show(const QString& title, const std::vector<Group>& groups, const Axis& axis,
                                  const QString& message) {
    clearBars();
    m_groups = groups;
    m_axis = axis;
    m_titleText = title;
    m_title->setText(title);
    auto ticker = qSharedPointerCast<QCPAxisTickerText>(xAxis->ticker());
    ticker->clear();
    const QFont valueFont(font().family(), 7);
    for (size_t i = 0; i < groups.size(); ++i) {
        const Group& group = groups[i];
        const double x = static_cast<double>(i);
        ticker->addTick(x, group.label);
        for (const bool measured : {true, false}) {
            const double value = measured ? group.measured : group.simulated;
            if (!std::isfinite(value))
                continue;
            const double at = measured ? x - kBarOffset : x + kBarOffset;
            auto* bars = new QCPBars(xAxis, yAxis);
            bars->removeFromLegend();
            bars->setWidth(kBarWidth);
            bars->setSelectable(QCP::stNone);
            bars->setBrush(measured ? group.color : paleOf(group.color));
            bars->setPen(QPen(group.color.darker(measured ? 130 : 100), 1));
            bars->setData({at}, {value});
            m_bars.push_back(bars);
            auto* label = new QCPItemText(this);
            label->position->setCoords(at, value);
            label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
            label->setFont(valueFont);
            label->setColor(ChartPalette::text(palette()));
            label->setText(QString::number(value, 'f', axis.decimals) + axis.valueSuffix);
            m_values.push_back(label);
        }
    }
    const bool showing = !groups.empty();
    setAxesShown(showing);
    legend->setVisible(showing && m_keyShown);
    m_title->setVisible(showing && !title.isEmpty());
    m_message->setVisible(!showing);
    m_message->setText(message);
    yAxis->setLabel(axis.label);
    m_reference->setVisible(showing && axis.reference.has_value());
    if (axis.reference) {
        m_reference->point1->setCoords(0, *axis.reference);
        m_reference->point2->setCoords(1, *axis.reference);
    }
    resetView();
}

void MeasuredSimulatedChart::resetView() {
    double top = m_axis.reference.value_or(0.0);
    for (const Group& group : m_groups)
        for (double value : {group.measured, group.simulated})
            if (std::isfinite(value))
                top = std::max(top, value);
    // Room above the tallest bar for its value.
    yAxis->setRange(0, top > 0 ? top * 1.2 : 1.0);
    xAxis->setRange(-0.6, std::max<double>(static_cast<double>(m_groups.size()), 1.0) - 0.4);
    replot(rpQueuedReplot);
}

void MeasuredSimulatedChart::setKeyShown(bool shown) {
    m_keyShown = shown;
    // Out of the header when hidden: a hidden element still takes its cell's width from the title.
    const bool inHeader = legend->layout() == m_header;
    if (!shown && inHeader) {
        m_header->take(legend);
        m_header->simplify();
    } else if (shown && !inHeader) {
        m_header->addElement(0, 1, legend);
        m_header->setColumnStretchFactors({1, 0.001});
    }
    legend->setVisible(shown && !m_groups.empty());
    replot(rpQueuedReplot);
}

QString MeasuredSimulatedChart::titleText() const {
    return m_title->text();
}

QString MeasuredSimulatedChart::messageText() const {
    return m_message->visible() ? m_message->text() : QString();
}

QStringList MeasuredSimulatedChart::valueLabels() const {
    QStringList labels;
    for (const QCPItemText* value : m_values)
        labels << value->text();
    return labels;
}

void MeasuredSimulatedChart::paletteChanged() {
    const QColor text = ChartPalette::text(palette());
    m_message->setColor(ChartPalette::mutedText(palette()));
    m_reference->setPen(QPen(ChartPalette::mutedText(palette()), 1, Qt::DashLine));
    m_title->setTextColor(text);
    for (QCPItemText* value : m_values)
        value->setColor(text);
    replot(rpQueuedReplot);
}

int MeasuredSimulatedChart::groupAt(const QPointF& position) const {
    if (m_groups.empty() || !axisRect()->rect().contains(position.toPoint()))
        return -1;
    const double key = xAxis->pixelToCoord(position.x());
    const auto group = static_cast<int>(std::lround(key));
    if (group < 0 || group >= static_cast<int>(m_groups.size()) ||
        std::abs(key - group) > kBarOffset + kBarWidth / 2)
        return -1;
    return group;
}

void MeasuredSimulatedChart::mouseMoveEvent(QMouseEvent* event) {
    InteractivePlot::mouseMoveEvent(event);
    const int group = groupAt(event->position());
    if (group < 0 || m_groups[static_cast<size_t>(group)].tooltip.isEmpty()) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(event->globalPosition().toPoint(), m_groups[static_cast<size_t>(group)].tooltip, this);
}

ChartTable MeasuredSimulatedChart::tableData() const {
    ChartTable table{{QStringLiteral("group"), QStringLiteral("measured"), QStringLiteral("simulated")}, {}};
    for (const Group& group : m_groups)
        table.rows.push_back({group.label, csvNumber(group.measured), csvNumber(group.simulated)});
    return table;
}

} // namespace eenet
