#include "ServingPlot.h"
#include "ChartPalette.h"

#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace eenet {
namespace {

constexpr double kHoverRadiusPx = 12.0;

QCPGraph* makeGraph(QCustomPlot* plot, const QString& name, const QColor& color, Qt::PenStyle style) {
    QCPGraph* graph = plot->addGraph();
    graph->setName(name);
    graph->setPen(QPen(color, 2, style));
    graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, color, 6));
    return graph;
}

} // namespace

ServingPlot::ServingPlot(Quantity quantity, QWidget* parent)
    : InteractivePlot(parent)
    , m_quantity(quantity)
    , m_sync(makeGraph(this, tr("sync batches"), ChartPalette::servingMode(RunMode::Sync), Qt::SolidLine))
    , m_compact(
          makeGraph(this, tr("compact batches"), ChartPalette::servingMode(RunMode::Compact), Qt::SolidLine))
    , m_sampleLine(new QCPItemStraightLine(this))
    , m_chosenLine(new QCPItemStraightLine(this))
    , m_sampleLabel(new QCPItemText(this))
    , m_message(addMessage(QCPItemPosition::ptAxisRectRatio, 10)) {
    if (quantity == Quantity::CostPerSample)
        m_full = makeGraph(this, tr("full model"), ChartPalette::mutedText(palette()), Qt::DashLine);
    auto logTicker = QSharedPointer<QCPAxisTickerLog>::create();
    logTicker->setLogBase(2);
    logTicker->setSubTickCount(0);
    xAxis->setScaleType(QCPAxis::stLogarithmic);
    xAxis->setTicker(logTicker);
    xAxis->setLabel(tr("batch size"));
    yAxis->setLabel(quantity == Quantity::Speedup ? tr("speed-up (×)") : tr("cost per sample"));
    m_sampleLine->setPen(QPen(ChartPalette::servingMode(RunMode::Sample), 1.5, Qt::DashLine));
    m_sampleLabel->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_sampleLabel->position->setType(QCPItemPosition::ptAbsolute); // placeSampleLabel() sets it
    m_sampleLabel->setPadding(QMargins(2, 1, 2, 1));
    connect(this, &QCustomPlot::afterLayout, this, &ServingPlot::placeSampleLabel);
    m_chosenLine->setPen(QPen(ChartPalette::budgetMarker(), 1, Qt::DotLine));
    legend->setVisible(true);
    QCPAxisRect* rect = axisRect();
    plotLayout()->take(rect);
    plotLayout()->clear();
    putLegendInRow(0);
    plotLayout()->addElement(1, 0, rect);
    plotLayout()->setRowStretchFactors({0.001, 1});
    setMinimumSize(260, 200);
    applyPalette();
    paletteChanged();
    clearProfile(openFileHint());
}

double ServingPlot::valueOf(const ServingProfilePoint& point, RunMode mode) const {
    const double cost = mode == RunMode::Sync ? point.sync : point.compact;
    return m_quantity == Quantity::Speedup ? point.fullModel / cost : cost;
}

double ServingPlot::sampleLevel() const {
    return m_quantity == Quantity::Speedup ? m_profile.fullModelSample / m_profile.sample : m_profile.sample;
}

void ServingPlot::setProfile(const ServingProfile& profile, int chosenBatch) {
    m_profile = profile;
    QVector<double> sizes, sync, compact, full;
    for (const ServingProfilePoint& point : profile.points) {
        sizes.push_back(point.batchSize);
        sync.push_back(valueOf(point, RunMode::Sync));
        compact.push_back(valueOf(point, RunMode::Compact));
        full.push_back(point.fullModel);
    }
    m_sync->setData(sizes, sync, true);
    m_compact->setData(sizes, compact, true);
    if (m_full)
        m_full->setData(sizes, full, true);
    const double level = sampleLevel();
    m_sampleLine->point1->setCoords(1, level);
    m_sampleLine->point2->setCoords(2, level);
    m_sampleLine->setVisible(true);
    m_sampleLabel->setText(
        m_quantity == Quantity::Speedup
            ? tr("one at a time: %1×").arg(level, 0, 'f', 2)
            : tr("one at a time: %1 %2").arg(level, 0, 'g', 3).arg(QString::fromStdString(profile.unit)));
    m_sampleLabel->setVisible(true);
    const bool marked = profilePointAt(profile, chosenBatch) != nullptr;
    m_chosenLine->setVisible(marked);
    m_chosenLine->point1->setCoords(chosenBatch, 0);
    m_chosenLine->point2->setCoords(chosenBatch, 1);
    if (m_quantity == Quantity::CostPerSample)
        yAxis->setLabel(tr("cost per sample (%1)").arg(QString::fromStdString(profile.unit)));
    m_message->setVisible(false);
    setAxesShown(true);
    resetView();
}

void ServingPlot::placeSampleLabel() {
    if (!m_sampleLabel->visible())
        return;
    const QRect area = axisRect()->rect();
    const QFontMetricsF metrics(m_sampleLabel->font());
    const QMarginsF padding = m_sampleLabel->padding();
    const QSizeF size = metrics.size(0, m_sampleLabel->text()) +
                        QSizeF(padding.left() + padding.right(), padding.top() + padding.bottom());
    const double levelY = yAxis->coordToPixel(sampleLevel());
    constexpr double kGap = 3;
    const double right = area.right() - kGap - size.width();
    const double left = area.left() + kGap;
    const double above = levelY - kGap - size.height();
    const double below = levelY + kGap;
    // In order of preference: the curves start at the level on the left (batch 1), so the right end first.
    QPointF best;
    int fewest = -1;
    for (const QPointF& corner :
         {QPointF(right, above), QPointF(right, below), QPointF(left, above), QPointF(left, below)}) {
        const QRectF rect(corner, size);
        if (rect.top() < area.top() || rect.bottom() > area.bottom())
            continue;
        const int inside = curvePointsInside(rect.adjusted(-kGap, -kGap, kGap, kGap));
        if (fewest < 0 || inside < fewest) {
            fewest = inside;
            best = corner;
        }
        if (inside == 0)
            break;
    }
    if (fewest < 0)
        best = QPointF(right, std::max<double>(area.top(), above)); // no room either side: as close as fits
    m_sampleLabel->position->setPixelPosition(best);
}

int ServingPlot::curvePointsInside(const QRectF& rect) const {
    constexpr int kSamplesPerSegment = 24;
    int inside = 0;
    for (QCPGraph* graph : {m_sync, m_compact, m_full}) {
        if (!graph || graph->dataCount() == 0)
            continue;
        QPointF previous = graph->coordsToPixels(graph->data()->at(0)->key, graph->data()->at(0)->value);
        inside += rect.contains(previous) ? 1 : 0;
        for (int i = 1; i < graph->dataCount(); ++i) {
            const QPointF next =
                graph->coordsToPixels(graph->data()->at(i)->key, graph->data()->at(i)->value);
            for (int s = 1; s <= kSamplesPerSegment; ++s)
                inside += rect.contains(previous + (next - previous) * s / kSamplesPerSegment) ? 1 : 0;
            previous = next;
        }
    }
    return inside;
}

void ServingPlot::clearProfile(const QString& message) {
    m_profile = {};
    for (QCPGraph* graph : {m_sync, m_compact, m_full})
        if (graph)
            graph->data()->clear();
    m_sampleLine->setVisible(false);
    m_sampleLabel->setVisible(false);
    m_chosenLine->setVisible(false);
    m_message->setText(message);
    m_message->setVisible(true);
    setAxesShown(false);
    replot(rpQueuedReplot);
}

void ServingPlot::resetView() {
    if (m_profile.points.empty())
        return;
    double low = sampleLevel(), high = low;
    for (const ServingProfilePoint& point : m_profile.points)
        for (double v : {valueOf(point, RunMode::Sync), valueOf(point, RunMode::Compact),
                         m_full ? point.fullModel : valueOf(point, RunMode::Sync)}) {
            low = std::min(low, v);
            high = std::max(high, v);
        }
    if (m_quantity == Quantity::Speedup) {
        low = std::min(low, 1.0); // the full model's own level: no speed-up
        high = std::max(high, 1.0);
    }
    const double margin = std::max((high - low) * 0.08, 1e-9 + std::abs(high) * 0.02);
    double lower = std::max(0.0, low - margin);
    double upper = high + margin;
    // Room for the level's label (placeSampleLabel) on the level's roomier side: the level is the top of the
    // speed-ups and near the bottom of the costs, where the curves start from it.
    constexpr double kLabelRoom = 0.25; // of the range
    const double level = sampleLevel();
    if (level - lower < upper - level)
        lower = std::max(0.0, std::min(lower, (level - kLabelRoom * upper) / (1 - kLabelRoom)));
    else
        upper = std::max(upper, (level - kLabelRoom * lower) / (1 - kLabelRoom));
    yAxis->setRange(lower, upper);
    const double largest = m_profile.points.back().batchSize;
    xAxis->setRange(0.8, std::max(2.0, largest) * 1.25);
    replot(rpQueuedReplot);
}

ChartTable ServingPlot::tableData() const {
    const QString unit = QString::fromStdString(m_profile.unit);
    ChartTable table{{QStringLiteral("batch size"), QStringLiteral("sync cost (%1)").arg(unit),
                      QStringLiteral("compact cost (%1)").arg(unit),
                      QStringLiteral("full model cost (%1)").arg(unit), QStringLiteral("sync speed-up"),
                      QStringLiteral("compact speed-up")},
                     {}};
    for (const ServingProfilePoint& p : m_profile.points)
        table.rows.push_back({QString::number(p.batchSize), csvNumber(p.sync), csvNumber(p.compact),
                              csvNumber(p.fullModel), csvNumber(p.fullModel / p.sync),
                              csvNumber(p.fullModel / p.compact)});
    return table;
}

QString ServingPlot::pointTooltip(int index) const {
    const ServingProfilePoint& p = m_profile.points[static_cast<size_t>(index)];
    const QString unit = QString::fromStdString(m_profile.unit);
    return tr("<b>batch of %1</b><br>sync: %2 %5 per sample (%3×)<br>compact: %4 %5 per sample (%6×)"
              "<br>full model: %7 %5 per sample")
        .arg(p.batchSize)
        .arg(p.sync, 0, 'g', 4)
        .arg(p.fullModel / p.sync, 0, 'f', 2)
        .arg(p.compact, 0, 'g', 4)
        .arg(unit)
        .arg(p.fullModel / p.compact, 0, 'f', 2)
        .arg(p.fullModel, 0, 'g', 4);
}

void ServingPlot::mouseMoveEvent(QMouseEvent* event) {
    QCustomPlot::mouseMoveEvent(event);
    const QPointF position = event->position();
    for (QCPGraph* graph : {m_sync, m_compact, m_full}) {
        if (!graph)
            continue;
        for (int i = 0; i < graph->dataCount(); ++i) {
            const auto point = graph->data()->at(i);
            if (QLineF(graph->coordsToPixels(point->key, point->value), position).length() <=
                kHoverRadiusPx) {
                QToolTip::showText(event->globalPosition().toPoint(), pointTooltip(i), this);
                return;
            }
        }
    }
    QToolTip::hideText();
}

void ServingPlot::paletteChanged() {
    m_sampleLabel->setColor(ChartPalette::servingMode(RunMode::Sample));
    if (m_full) {
        const QColor muted = ChartPalette::mutedText(palette());
        m_full->setPen(QPen(muted, 2, Qt::DashLine));
        m_full->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, muted, muted, 6));
    }
}

} // namespace eenet
