#include "TrainingPlot.h"
#include "ChartPalette.h"

#include "session/Session.h"

#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace eenet {
namespace {

QCPGraph* makeGraph(QCPAxisRect* rect, const QString& name, const QColor& color) {
    auto* graph = new QCPGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    graph->setName(name);
    graph->setPen(QPen(color, 1.8));
    return graph;
}

/// A legend entry for a phase band: bars without data draw only their legend icon.
void addPhaseLegendEntry(QCPAxisRect* rect, const QString& name, const QColor& color) {
    auto* entry = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    entry->setName(name);
    QColor fill = color;
    fill.setAlpha(90);
    entry->setBrush(fill);
    entry->setPen(Qt::NoPen);
}

QCPItemRect* makeBandRect(QCustomPlot* plot, QCPAxisRect* rect, const QColor& color) {
    auto* band = new QCPItemRect(plot);
    band->setClipAxisRect(rect);
    band->setLayer(QStringLiteral("background"));
    band->setPen(Qt::NoPen);
    band->setBrush(color);
    for (QCPItemPosition* corner : {band->topLeft, band->bottomRight}) {
        corner->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        corner->setAxisRect(rect);
        corner->setTypeY(QCPItemPosition::ptAxisRectRatio);
    }
    return band;
}

} // namespace

TrainingPlot::TrainingPlot(Session* session, QWidget* parent)
    : InteractivePlot(parent)
    , m_session(session)
    , m_title(new QCPTextElement(this, QString(), QFont(font().family(), 10, QFont::Bold)))
    , m_lossRect(axisRect())
    , m_costRect(new QCPAxisRect(this)) {
    // Title, legend (centred in its row: the empty cells either side take the spare width), the two panels.
    plotLayout()->insertRow(0);
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, m_title);
    putLegendInRow(1);
    plotLayout()->addElement(3, 0, m_costRect);
    plotLayout()->setRowStretchFactors({0.001, 0.001, 1.2, 1});
    // Loss terms on the first line, phases on the second.
    legend->setWrap(3);
    plotLayout()->setRowSpacing(0);
    auto* margins = new QCPMarginGroup(this);
    m_lossRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_costRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);

    // One step axis: the top panel's follows the bottom one's, which carries the labels.
    QCPAxis* lossSteps = m_lossRect->axis(QCPAxis::atBottom);
    QCPAxis* costSteps = m_costRect->axis(QCPAxis::atBottom);
    connect(costSteps, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), lossSteps,
            qOverload<const QCPRange&>(&QCPAxis::setRange));
    connect(lossSteps, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), costSteps,
            qOverload<const QCPRange&>(&QCPAxis::setRange));
    lossSteps->setTickLabels(false);
    m_lossRect->setMargins(QMargins(0, 0, 0, 4));
    m_lossRect->setAutoMargins(QCP::msLeft | QCP::msRight | QCP::msTop);
    m_costRect->setRangeZoom(Qt::Horizontal);
    costSteps->setLabel(tr("training step"));
    m_lossRect->axis(QCPAxis::atLeft)->setLabel(tr("loss"));
    // Each panel's y title fits its own height, so the two never run into each other in a short dock;
    // three cost ticks leave room between their labels.
    const QFont small(font().family(), 8);
    for (QCPAxisRect* rect : {m_lossRect, m_costRect}) {
        rect->axis(QCPAxis::atLeft)->setLabelFont(small);
        rect->axis(QCPAxis::atLeft)->setTickLabelFont(small);
        rect->axis(QCPAxis::atLeft)->setLabelPadding(2);
    }
    m_costRect->axis(QCPAxis::atLeft)->ticker()->setTickCount(3);

    using Term = ChartPalette::LossTerm;
    m_bce = makeGraph(m_lossRect, tr("BCE (score phase)"), ChartPalette::loss(Term::Bce));
    m_kl = makeGraph(m_lossRect, tr("KL (assignment phase)"), ChartPalette::loss(Term::Kl));
    m_costLoss = makeGraph(m_lossRect, tr("cost (assignment phase)"), ChartPalette::loss(Term::Cost));
    addPhaseLegendEntry(m_lossRect, tr("score phase"), ChartPalette::phaseBand(true));
    addPhaseLegendEntry(m_lossRect, tr("assignment phase"), ChartPalette::phaseBand(false));
    m_expectedCost = makeGraph(m_costRect, tr("expected cost"), ChartPalette::loss(Term::Cost));
    m_expectedCost->removeFromLegend();
    legend->setIconSize(16, 10);
    legend->setRowSpacing(0);
    legend->setMaximumSize(legend->minimumOuterSizeHint());

    m_budgetLine = new QCPItemStraightLine(this);
    m_budgetLine->setClipAxisRect(m_costRect);
    for (QCPItemPosition* point : {m_budgetLine->point1, m_budgetLine->point2})
        point->setAxes(costSteps, m_costRect->axis(QCPAxis::atLeft));
    m_budgetLabel = new QCPItemText(this);
    m_budgetLabel->setClipAxisRect(m_costRect);
    m_budgetLabel->position->setAxes(costSteps, m_costRect->axis(QCPAxis::atLeft));
    m_budgetLabel->position->setAxisRect(m_costRect);
    m_budgetLabel->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
    m_budgetLabel->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
    m_budgetLabel->setFont(QFont(font().family(), 8));
    m_budgetLabel->setPadding(QMargins(3, 1, 3, 1));

    m_note = addMessage(QCPItemPosition::ptViewportRatio, 10);

    setMinimumSize(300, 200);
    connect(m_session, &Session::trainingRunChanged, this, &TrainingPlot::followRun);
    applyPalette();
    followRun();
}

void TrainingPlot::startOver() {
    for (QCPGraph* graph : {m_bce, m_kl, m_costLoss, m_expectedCost})
        graph->data()->clear();
    for (const PhaseBand& band : m_bands) {
        removeItem(band.lossRect);
        removeItem(band.costRect);
    }
    m_bands.clear();
    m_shownSteps = 0;
    m_allLossesPositive = true;
}

void TrainingPlot::followRun() {
    const TrainingRun& run = m_session->trainingRun();
    // A new run starts empty: start over; otherwise only the new steps are added.
    if (run.history.size() < m_shownSteps || run.budget != m_shownBudget)
        startOver();
    for (size_t i = m_shownSteps; i < run.history.size(); ++i)
        append(run.history[i]);
    m_shownSteps = run.history.size();
    m_shownBudget = run.budget;

    const bool empty = run.history.empty();
    // Hiding the axis rects would hide the note too (items belong to one): hide their axes instead.
    for (QCPAxisRect* rect : {m_lossRect, m_costRect})
        for (QCPAxis* axis : {rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft)})
            axis->setVisible(!empty);
    legend->setVisible(!empty);
    m_budgetLine->setVisible(!empty);
    m_budgetLabel->setVisible(!empty);
    m_note->setVisible(empty);
    m_note->setText(run.running ? tr("Training started: waiting for the first step…")
                                : tr("No training yet: choose EENet and press Train"));
    m_budgetLine->point1->setCoords(0, run.budget);
    m_budgetLine->point2->setCoords(1, run.budget);
    m_budgetLabel->position->setCoords(0.99, run.budget);
    const QString unit =
        m_session->hasPredictions() ? QString::fromStdString(m_session->predictions()->costUnit) : QString();
    m_budgetLabel->setText(tr("budget %1 %2").arg(run.budget, 0, 'g', 4).arg(unit));
    m_costRect->axis(QCPAxis::atLeft)->setLabel(unit.isEmpty() ? tr("cost") : tr("cost (%1)").arg(unit));
    styleLabels();
    updateTitle();
    updateLossScale();
    resetView();
}

void TrainingPlot::append(const TrainingProgress& progress) {
    const double step = progress.step;
    m_bce->addData(step, progress.bceLoss);
    m_kl->addData(step, progress.klLoss);
    m_costLoss->addData(step, progress.costLoss);
    m_expectedCost->addData(step, progress.expectedCost);
    m_allLossesPositive =
        m_allLossesPositive && progress.bceLoss > 0 && progress.klLoss > 0 && progress.costLoss > 0;
    if (m_bands.empty() || m_bands.back().scorePhase != progress.scorePhase) {
        addBand(progress.step, progress.scorePhase);
        return;
    }
    PhaseBand& band = m_bands.back();
    band.lastStep = progress.step;
    for (QCPItemRect* rect : {band.lossRect, band.costRect})
        rect->bottomRight->setCoords(band.lastStep + 0.5, 1);
}

void TrainingPlot::addBand(int step, bool scorePhase) {
    const QColor color = ChartPalette::phaseBand(scorePhase);
    PhaseBand band{step, step, scorePhase, makeBandRect(this, m_lossRect, color),
                   makeBandRect(this, m_costRect, color)};
    for (QCPItemRect* rect : {band.lossRect, band.costRect}) {
        rect->topLeft->setCoords(step - 0.5, 0);
        rect->bottomRight->setCoords(step + 0.5, 1);
    }
    m_bands.push_back(band);
}

void TrainingPlot::updateTitle() {
    const TrainingRun& run = m_session->trainingRun();
    if (run.history.empty() && !run.running) {
        m_title->setText(tr("EENet training"));
        return;
    }
    const QString unit =
        m_session->hasPredictions() ? QString::fromStdString(m_session->predictions()->costUnit) : QString();
    const QString state =
        !run.running ? (run.cancelled ? tr("cancelled") : tr("finished"))
        : run.history.empty()
            ? tr("running…")
            : tr("running… step %1 of %2").arg(run.history.back().step).arg(run.history.back().totalSteps);
    m_title->setText(tr("EENet training at budget %1 %2 (%3)").arg(run.budget, 0, 'g', 4).arg(unit, state));
}

void TrainingPlot::updateLossScale() {
    // Loss terms span orders of magnitude: log scale, unless a term touches zero.
    QCPAxis* axis = m_lossRect->axis(QCPAxis::atLeft);
    const auto wanted = m_allLossesPositive ? QCPAxis::stLogarithmic : QCPAxis::stLinear;
    if (axis->scaleType() == wanted)
        return;
    axis->setScaleType(wanted);
    if (wanted == QCPAxis::stLogarithmic)
        axis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    else
        axis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    axis->setLabel(wanted == QCPAxis::stLogarithmic ? tr("loss (log)") : tr("loss"));
}

void TrainingPlot::resetView() {
    const TrainingRun& run = m_session->trainingRun();
    if (run.history.empty()) {
        replot(rpQueuedReplot);
        return;
    }
    // While running, the step axis spans the whole planned run, so progress reads left to right; a finished
    // run (possibly stopped early) spans the steps it took.
    const TrainingProgress& last = run.history.back();
    const int lastStep = run.running ? std::max(last.step, last.totalSteps) : last.step;
    m_costRect->axis(QCPAxis::atBottom)->setRange(0.5, lastStep + 0.5);

    // From the loss graphs only: QCPAxis::rescale() would count the phase legend bars' zero base line.
    QCPAxis* losses = m_lossRect->axis(QCPAxis::atLeft);
    const bool log = losses->scaleType() == QCPAxis::stLogarithmic;
    QCPRange lossRange;
    bool anyLoss = false;
    for (QCPGraph* graph : {m_bce, m_kl, m_costLoss}) {
        bool found = false;
        const QCPRange range = graph->data()->valueRange(found, log ? QCP::sdPositive : QCP::sdBoth);
        if (found)
            lossRange = anyLoss ? QCPRange(std::min(lossRange.lower, range.lower),
                                           std::max(lossRange.upper, range.upper))
                                : range;
        anyLoss = anyLoss || found;
    }
    if (log)
        losses->setRange(lossRange.lower / 1.5, lossRange.upper * 1.5);
    else
        losses->setRange(lossRange.lower - 0.05 * lossRange.size(), lossRange.upper + 0.1 * lossRange.size());

    bool found = false;
    QCPRange costs = m_expectedCost->data()->valueRange(found);
    costs.expand(run.budget);
    const double margin = std::max(0.1 * costs.size(), 1e-3 * std::abs(run.budget) + 1e-9);
    m_costRect->axis(QCPAxis::atLeft)->setRange(costs.lower - margin, costs.upper + margin);
    replot(rpQueuedReplot);
}

ChartTable TrainingPlot::tableData() const {
    const QString unit =
        m_session->hasPredictions() ? QString::fromStdString(m_session->predictions()->costUnit) : QString();
    ChartTable table{{QStringLiteral("step"), QStringLiteral("phase"), QStringLiteral("BCE"),
                      QStringLiteral("KL"), QStringLiteral("cost loss"),
                      QStringLiteral("expected cost (%1)").arg(unit),
                      QStringLiteral("budget (%1)").arg(unit)},
                     {}};
    const TrainingRun& run = m_session->trainingRun();
    const size_t shown = std::min(m_shownSteps, run.history.size());
    for (size_t i = 0; i < shown; ++i) {
        const TrainingProgress& p = run.history[i];
        table.rows.push_back({QString::number(p.step),
                              p.scorePhase ? QStringLiteral("score") : QStringLiteral("assignment"),
                              csvNumber(p.bceLoss), csvNumber(p.klLoss), csvNumber(p.costLoss),
                              csvNumber(p.expectedCost), csvNumber(run.budget)});
    }
    return table;
}

void TrainingPlot::styleLabels() {
    const QColor text = ChartPalette::text(palette());
    m_budgetLine->setPen(QPen(text, 1.5, Qt::DashLine));
    m_budgetLabel->setColor(text);
    m_budgetLabel->setBrush(ChartPalette::labelFill(palette()));
    m_note->setColor(text);
}

void TrainingPlot::mouseMoveEvent(QMouseEvent* event) {
    InteractivePlot::mouseMoveEvent(event);
    const auto& history = m_session->trainingRun().history;
    const QPointF position = event->position();
    if (history.empty() || !(m_lossRect->rect().contains(position.toPoint()) ||
                             m_costRect->rect().contains(position.toPoint()))) {
        QToolTip::hideText();
        return;
    }
    const double step = m_costRect->axis(QCPAxis::atBottom)->pixelToCoord(position.x());
    const auto nearest = std::min_element(history.begin(), history.end(), [&](const auto& a, const auto& b) {
        return std::abs(a.step - step) < std::abs(b.step - step);
    });
    if (std::abs(nearest->step - step) > 0.5) {
        QToolTip::hideText();
        return;
    }
    const QString unit =
        QString::fromStdString(m_session->predictions() ? m_session->predictions()->costUnit : "");
    const QString text = tr("<b>step %1 of %2</b> (%3)<br>BCE: %4<br>KL: %5<br>cost loss: %6"
                            "<br>expected cost: %7 %8 (budget %9 %8)")
                             .arg(nearest->step)
                             .arg(nearest->totalSteps)
                             .arg(nearest->scorePhase ? tr("score phase") : tr("assignment phase"))
                             .arg(nearest->bceLoss, 0, 'g', 4)
                             .arg(nearest->klLoss, 0, 'g', 4)
                             .arg(nearest->costLoss, 0, 'g', 4)
                             .arg(nearest->expectedCost, 0, 'g', 5)
                             .arg(unit)
                             .arg(m_session->trainingRun().budget, 0, 'g', 5);
    QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void TrainingPlot::paletteChanged() {
    styleLabels();
}

} // namespace eenet
