#include "ClassAccuracyChart.h"
#include "ChartPalette.h"
#include "ShownSplit.h"
#include "SplitText.h"

#include "session/Session.h"

#include <QFontMetrics>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace eenet {
namespace {

constexpr double kBarWidth = 0.7;
/// Class names wider than this are elided (the tooltip has the whole name): at 1000 classes names such as
/// "African chameleon, Chamaeleo chamaeleon" would otherwise take the bars' room.
constexpr int kClassLabelMaxPx = 130;

QString signedPp(double pp) {
    return QStringLiteral("%1%2 pp").arg(pp > 0 ? QStringLiteral("+") : QString()).arg(pp, 0, 'f', 1);
}

} // namespace

ClassAccuracyChart::ClassAccuracyChart(Session* session, QWidget* parent)
    : InteractivePlot(parent)
    , m_session(session)
    , m_title(new QCPTextElement(this, QString(), QFont(font().family(), 10, QFont::Bold)))
    , m_losses(new QCPBars(yAxis, xAxis))
    , m_gains(new QCPBars(yAxis, xAxis))
    , m_zero(new QCPItemStraightLine(this))
    , m_note(addMessage(QCPItemPosition::ptAxisRectRatio, 10)) {
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, m_title);
    // The title takes the chart's width whatever its text; it is fitted to it at every layout.
    m_title->setMinimumSize(1, 0);
    connect(this, &QCustomPlot::afterLayout, this, [this] { fitTitle(m_title, m_headline, m_details); });
    for (QCPBars* bars : {m_losses, m_gains}) {
        bars->setWidth(kBarWidth);
        bars->setPen(Qt::NoPen);
    }
    m_losses->setName(tr("loses accuracy"));
    m_gains->setName(tr("gains accuracy"));
    // Row 0, the largest loss, on top.
    yAxis->setRangeReversed(true);
    yAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    yAxis->setTickLabelFont(QFont(font().family(), 8));
    yAxis->setSubTicks(false);
    yAxis->grid()->setVisible(false);
    xAxis->setLabel(tr("accuracy − last exit's (pp)"));
    // Few ticks: the bars get what the class names leave, as little as 100 px in a narrow dock, where five
    // labels such as "−100" would run into each other.
    xAxis->ticker()->setTickCount(3);
    m_zero->point1->setCoords(0, 0);
    m_zero->point2->setCoords(0, 1);
    setMinimumSize(240, 200);
    connect(m_session, &Session::snapshotChanged, this, [this] { refreshWhenShown([this] { rebuild(); }); });
    connect(m_session, &Session::splitChanged, this, [this] { refreshWhenShown([this] { rebuild(); }); });
    applyPalette();
    paletteChanged();
    rebuild();
}

int ClassAccuracyChart::rowCount() const {
    return std::min(static_cast<int>(m_changes.size()), kMaxRows);
}

void ClassAccuracyChart::rebuild() {
    const SplitPolicy* shown = shownSplit(*m_session);
    m_changes = shown ? classAccuracyChanges(*shown->data, shown->outcome.exitOf)
                      : std::vector<ClassAccuracyChange>{};
    const bool showing = !m_changes.empty();
    xAxis->setVisible(showing);
    yAxis->setVisible(showing);
    m_zero->setVisible(showing);
    m_note->setVisible(!showing);
    m_note->setText(!m_session->hasPredictions() ? tr("Open a predictions file to see which classes pay for "
                                                      "the savings")
                    : !m_session->snapshot()     ? tr("No policy computed yet")
                                                 : QString::fromStdString(m_session->snapshot()->note));
    QVector<double> lossRows, lossValues, gainRows, gainValues;
    auto ticker = qSharedPointerCast<QCPAxisTickerText>(yAxis->ticker());
    ticker->clear();
    const auto& names = showing ? m_session->predictions()->classNames : std::vector<std::string>{};
    const QFontMetrics metrics(yAxis->tickLabelFont());
    for (int row = 0; row < rowCount(); ++row) {
        const ClassAccuracyChange& change = m_changes[static_cast<size_t>(row)];
        (change.deltaPp() < 0 ? lossRows : gainRows) << row;
        (change.deltaPp() < 0 ? lossValues : gainValues) << change.deltaPp();
        ticker->addTick(row,
                        metrics.elidedText(QString::fromStdString(names.at(static_cast<size_t>(change.cls))),
                                           Qt::ElideRight, kClassLabelMaxPx));
    }
    m_losses->setData(lossRows, lossValues, true);
    m_gains->setData(gainRows, gainValues, true);
    m_headline = tr("Who pays for the savings");
    m_details.clear();
    if (showing) {
        const PolicySnapshot& snapshot = *m_session->snapshot();
        const bool some = static_cast<int>(m_changes.size()) > rowCount();
        const QString which =
            some ? tr("the %1 of %2 classes that lose most").arg(rowCount()).arg(m_changes.size())
                 : tr("every class");
        const QString method = QString::fromStdString(snapshot.method);
        const QString budget = QStringLiteral("%1 %2")
                                   .arg(snapshot.budget, 0, 'g', 4)
                                   .arg(QString::fromStdString(m_session->budgetUnit()));
        m_details = {
            tr("%1 at %2, %3: %4").arg(method, budget, splitText(shown->split), which),
            tr("%1 at %2, %3").arg(method, budget, shown->split == Split::Test ? tr("test") : tr("val")),
            some ? tr("%1 classes that lose most").arg(rowCount()) : method};
    }
    m_title->setText(m_details.isEmpty() ? m_headline : m_headline + QLatin1Char('\n') + m_details.front());
    resetView();
}

void ClassAccuracyChart::resetView() {
    // Zero always in view, and room for the bars on whichever side they are.
    double lo = 0, hi = 0;
    for (int row = 0; row < rowCount(); ++row) {
        lo = std::min(lo, m_changes[static_cast<size_t>(row)].deltaPp());
        hi = std::max(hi, m_changes[static_cast<size_t>(row)].deltaPp());
    }
    const double margin = std::max(0.08 * (hi - lo), 0.5);
    xAxis->setRange(lo - margin, hi + margin);
    yAxis->setRange(-0.6, std::max(rowCount(), 1) - 0.4);
    replot(rpQueuedReplot);
}

void ClassAccuracyChart::paletteChanged() {
    m_losses->setBrush(ChartPalette::truth(false));
    m_gains->setBrush(ChartPalette::truth(true));
    m_zero->setPen(QPen(ChartPalette::text(palette()), 1));
    m_title->setTextColor(ChartPalette::text(palette()));
    m_note->setColor(ChartPalette::mutedText(palette()));
    replot(rpQueuedReplot);
}

ChartTable ClassAccuracyChart::tableData() const {
    ChartTable table{{QStringLiteral("class"), QStringLiteral("samples"),
                      QStringLiteral("accuracy under the policy (%)"),
                      QStringLiteral("accuracy at the last exit (%)"), QStringLiteral("difference (pp)")},
                     {}};
    if (m_changes.empty())
        return table;
    const auto& names = m_session->predictions()->classNames;
    for (const ClassAccuracyChange& change : m_changes)
        table.rows.push_back({QString::fromStdString(names.at(static_cast<size_t>(change.cls))),
                              QString::number(change.samples), csvNumber(change.accuracyUnderPolicyPercent()),
                              csvNumber(change.accuracyAtLastExitPercent()), csvNumber(change.deltaPp())});
    return table;
}

void ClassAccuracyChart::mouseMoveEvent(QMouseEvent* event) {
    InteractivePlot::mouseMoveEvent(event);
    const int row = static_cast<int>(std::lround(yAxis->pixelToCoord(event->position().y())));
    if (m_changes.empty() || !axisRect()->rect().contains(event->position().toPoint()) || row < 0 ||
        row >= rowCount()) {
        QToolTip::hideText();
        return;
    }
    const ClassAccuracyChange& change = m_changes[static_cast<size_t>(row)];
    const QString name =
        QString::fromStdString(m_session->predictions()->classNames.at(static_cast<size_t>(change.cls)));
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("<b>%1</b> (%2 samples)<br>under the policy: %3 %<br>at the last exit: %4 %<br>%5")
                           .arg(name.toHtmlEscaped())
                           .arg(change.samples)
                           .arg(change.accuracyUnderPolicyPercent(), 0, 'f', 1)
                           .arg(change.accuracyAtLastExitPercent(), 0, 'f', 1)
                           .arg(signedPp(change.deltaPp())),
                       this);
}

} // namespace eenet
