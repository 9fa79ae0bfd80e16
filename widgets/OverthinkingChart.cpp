#include "OverthinkingChart.h"
#include "ChartPalette.h"

#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace eenet {
namespace {

constexpr double kBarWidth = 0.38;
/// Helps left of the exit's position, hurts right of it.
constexpr double kBarOffset = 0.2;

double keyOf(int exit, bool helps) {
    return exit + 1 + (helps ? -kBarOffset : kBarOffset);
}

} // namespace

OverthinkingChart::OverthinkingChart(QWidget* parent)
    : InteractivePlot(parent)
    , m_helps(new QCPBars(xAxis, yAxis))
    , m_hurts(new QCPBars(xAxis, yAxis))
    , m_message(addMessage(QCPItemPosition::ptAxisRectRatio, 10)) {
    m_helps->setName(tr("right here, wrong at the last exit: stopping here helps"));
    m_hurts->setName(tr("wrong here, right at the last exit: stopping here hurts"));
    for (QCPBars* bars : {m_helps, m_hurts})
        bars->setWidth(kBarWidth);
    // The legend in a row of its own above the axes: inside them it would cover the tall bars.
    QCPAxisRect* rect = axisRect();
    plotLayout()->take(rect);
    plotLayout()->clear();
    putLegendInRow(0);
    legend->setVisible(true);
    legend->setFillOrder(QCPLegend::foRowsFirst);
    plotLayout()->addElement(1, 0, rect);
    plotLayout()->setRowStretchFactors({0.001, 1});
    yAxis->setLabel(tr("samples"));
    xAxis->grid()->setVisible(false);
    xAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    xAxis->ticker()->setTickCount(1);
    setMinimumSize(280, 200);
    styleBars();
    applyPalette();
    showMessage(tr("No data"));
}

void OverthinkingChart::styleBars() {
    // Colour says right or wrong at this exit, as everywhere; the hatch says it again without colour.
    const QColor helps = ChartPalette::truth(true);
    const QColor hurts = ChartPalette::truth(false);
    m_helps->setPen(QPen(helps.darker(130), 1));
    m_helps->setBrush(helps);
    m_hurts->setPen(QPen(hurts.darker(130), 1.5));
    m_hurts->setBrush(QBrush(hurts, Qt::BDiagPattern));
    m_message->setColor(ChartPalette::mutedText(palette()));
}

void OverthinkingChart::setComparison(const std::vector<ExitVsLast>& all,
                                      const std::vector<ExitVsLast>& leaving, const QStringList& exitNames,
                                      const QString& policy) {
    clearBars();
    showMessage(QString());
    m_exitNames = exitNames;
    m_policy = policy;
    auto ticker = qSharedPointerCast<QCPAxisTickerText>(xAxis->ticker());
    // The last exit is the reference: it has no bars.
    for (size_t k = 0; k + 1 < all.size(); ++k) {
        Counts counts;
        counts.helps = static_cast<int>(all[k].helps.size());
        counts.hurts = static_cast<int>(all[k].hurts.size());
        if (k < leaving.size()) {
            counts.helpsLeaving = static_cast<int>(leaving[k].helps.size());
            counts.hurtsLeaving = static_cast<int>(leaving[k].hurts.size());
        }
        m_counts.push_back(counts);
        const int exit = static_cast<int>(k);
        m_helps->addData(keyOf(exit, true), counts.helps);
        m_hurts->addData(keyOf(exit, false), counts.hurts);
        ticker->addTick(exit + 1, exitNames.value(exit));
        for (bool helps : {true, false}) {
            const int count = helps ? counts.helps : counts.hurts;
            auto* label = new QCPItemText(this);
            label->position->setCoords(keyOf(exit, helps), count);
            label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
            label->setText(QString::number(count));
            label->setFont(QFont(font().family(), 8));
            label->setColor(ChartPalette::text(palette()));
            m_countLabels.push_back(label);
        }
    }
    resetView();
}

void OverthinkingChart::clearBars() {
    m_counts.clear();
    m_helps->data()->clear();
    m_hurts->data()->clear();
    qSharedPointerCast<QCPAxisTickerText>(xAxis->ticker())->clear();
    for (QCPItemText* label : m_countLabels)
        removeItem(label);
    m_countLabels.clear();
}

void OverthinkingChart::showMessage(const QString& message) {
    if (!message.isEmpty()) {
        clearBars();
        resetView();
    }
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
    // Hiding the axis rect would hide the message too (items belong to it): hide the axes instead.
    for (QCPAxis* axis : {xAxis, yAxis})
        axis->setVisible(message.isEmpty());
}

void OverthinkingChart::highlight(int exit, bool helps) {
    highlightBar(m_helps, helps ? exit : -1);
    highlightBar(m_hurts, helps ? -1 : exit);
    replot(rpQueuedReplot);
}

void OverthinkingChart::resetView() {
    const int exits = std::max(1, static_cast<int>(m_counts.size()));
    int highest = 1;
    for (const Counts& counts : m_counts)
        highest = std::max({highest, counts.helps, counts.hurts});
    xAxis->setRange(0.4, exits + 0.6);
    // Room above the tallest bar for its count.
    yAxis->setRange(0, highest * 1.15);
    replot(rpQueuedReplot);
}

bool OverthinkingChart::barAt(const QPointF& position, int* exit, bool* helps) const {
    if (m_counts.empty() || !axisRect()->rect().contains(position.toPoint()))
        return false;
    const double x = xAxis->pixelToCoord(position.x());
    const double y = yAxis->pixelToCoord(position.y());
    for (int k = 0; k < static_cast<int>(m_counts.size()); ++k) {
        for (bool isHelps : {true, false}) {
            const int count = isHelps ? m_counts[size_t(k)].helps : m_counts[size_t(k)].hurts;
            if (std::abs(x - keyOf(k, isHelps)) <= kBarWidth / 2 && y >= 0 && y <= count) {
                *exit = k;
                *helps = isHelps;
                return true;
            }
        }
    }
    return false;
}

ChartTable OverthinkingChart::tableData() const {
    ChartTable table{{QStringLiteral("exit"), QStringLiteral("right_here_wrong_at_last"),
                      QStringLiteral("wrong_here_right_at_last"),
                      QStringLiteral("right_here_wrong_at_last_stopped_here"),
                      QStringLiteral("wrong_here_right_at_last_stopped_here")},
                     {}};
    for (size_t k = 0; k < m_counts.size(); ++k) {
        const Counts& counts = m_counts[k];
        table.rows.push_back({m_exitNames.value(int(k)), QString::number(counts.helps),
                              QString::number(counts.hurts), QString::number(counts.helpsLeaving),
                              QString::number(counts.hurtsLeaving)});
    }
    return table;
}

void OverthinkingChart::clickedAt(const QPointF& position) {
    int exit = 0;
    bool helps = false;
    if (barAt(position, &exit, &helps))
        Q_EMIT barClicked(exit, helps);
}

void OverthinkingChart::mouseMoveEvent(QMouseEvent* event) {
    InteractivePlot::mouseMoveEvent(event);
    int exit = 0;
    bool helps = false;
    if (!barAt(event->position(), &exit, &helps)) {
        QToolTip::hideText();
        return;
    }
    const Counts& counts = m_counts[size_t(exit)];
    const QString last = m_exitNames.value(m_exitNames.size() - 1);
    const QString what = helps ? tr("<b>%1</b> samples right here but wrong at %2: stopping them here helps")
                                     .arg(counts.helps)
                                     .arg(last.toHtmlEscaped())
                               : tr("<b>%1</b> samples wrong here but right at %2: stopping them here hurts")
                                     .arg(counts.hurts)
                                     .arg(last.toHtmlEscaped());
    QString text =
        tr("<b>%1</b> against the last exit<br>%2").arg(m_exitNames.value(exit).toHtmlEscaped(), what);
    if (!m_policy.isEmpty())
        text += tr("<br>%1 stops %2 of them here")
                    .arg(m_policy.toHtmlEscaped())
                    .arg(helps ? counts.helpsLeaving : counts.hurtsLeaving);
    text += tr("<br><i>click to see them</i>");
    QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void OverthinkingChart::paletteChanged() {
    styleBars();
    for (QCPItemText* label : m_countLabels)
        label->setColor(ChartPalette::text(palette()));
    replot(rpQueuedReplot);
}

} // namespace eenet
