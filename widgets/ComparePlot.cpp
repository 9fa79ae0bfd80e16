#include "ComparePlot.h"
#include "ChartPalette.h"

#include <algorithm>

namespace eenet {

ComparePlot::ComparePlot(QWidget* parent)
    : InteractivePlot(parent)
    , m_deltas(addGraph())
    , m_errors(new QCPErrorBars(xAxis, yAxis))
    , m_zero(new QCPItemStraightLine(this))
    , m_meanBand(new QCPItemRect(this))
    , m_message(addMessage(QCPItemPosition::ptAxisRectRatio, 10)) {
    m_deltas->setLineStyle(QCPGraph::lsNone);
    m_deltas->setName(tr("A − B at A's budget"));
    m_errors->setDataPlottable(m_deltas);
    m_errors->setName(tr("± 2 standard errors"));
    m_meanBand->setLayer(QStringLiteral("grid"));
    m_meanBand->topLeft->setTypeX(QCPItemPosition::ptAxisRectRatio);
    m_meanBand->bottomRight->setTypeX(QCPItemPosition::ptAxisRectRatio);
    m_zero->point1->setCoords(0, 0);
    m_zero->point2->setCoords(1, 0);
    yAxis->setLabel(tr("A − B accuracy (pp)"));
    // No legend over the points: the view's caption says what dots, bars and band are.
    legend->setVisible(false);
    setMinimumSize(260, 140);
    applyPalette();
    paletteChanged();
    show(nullptr, QString(), QString());
}

void ComparePlot::show(const PairedComparison* comparison, const QString& costUnit, const QString& message) {
    m_shown = comparison ? std::optional<PairedComparison>(*comparison) : std::nullopt;
    QVector<double> costs, deltas, errors;
    if (comparison)
        for (const BudgetDifference& d : comparison->perBudget) {
            costs << d.aCost;
            deltas << d.deltaPp;
            errors << 2 * d.sePp;
        }
    m_deltas->setData(costs, deltas);
    m_errors->setData(errors);
    const bool showing = comparison != nullptr;
    setAxesShown(showing);
    m_zero->setVisible(showing);
    m_meanBand->setVisible(showing);
    m_message->setVisible(!showing);
    m_message->setText(message);
    if (comparison) {
        xAxis->setLabel(tr("A's realised average cost (%1)").arg(costUnit));
        m_meanBand->topLeft->setCoords(0, comparison->meanDeltaPp + 2 * comparison->sePp);
        m_meanBand->bottomRight->setCoords(1, comparison->meanDeltaPp - 2 * comparison->sePp);
    }
    resetView();
}

void ComparePlot::resetView() {
    double lo = -0.1, hi = 0.1;
    if (m_shown)
        for (const BudgetDifference& d : m_shown->perBudget) {
            lo = std::min(lo, d.deltaPp - 2 * d.sePp);
            hi = std::max(hi, d.deltaPp + 2 * d.sePp);
        }
    const double margin = 0.08 * (hi - lo);
    yAxis->setRange(lo - margin, hi + margin);
    if (m_shown && !m_shown->perBudget.empty()) {
        const auto [first, last] = std::minmax_element(
            m_shown->perBudget.begin(), m_shown->perBudget.end(),
            [](const BudgetDifference& a, const BudgetDifference& b) { return a.aCost < b.aCost; });
        const double span = std::max(last->aCost - first->aCost, 1e-9);
        xAxis->setRange(first->aCost - 0.05 * span, last->aCost + 0.05 * span);
    }
    replot(rpQueuedReplot);
}

void ComparePlot::paletteChanged() {
    const QColor text = ChartPalette::text(palette());
    m_deltas->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, text, text, 5));
    m_errors->setPen(QPen(text, 1));
    m_zero->setPen(QPen(ChartPalette::mutedText(palette()), 1, Qt::DashLine));
    QColor band = ChartPalette::budgetMarker();
    band.setAlpha(40);
    m_meanBand->setPen(Qt::NoPen);
    m_meanBand->setBrush(band);
    m_message->setColor(ChartPalette::mutedText(palette()));
    replot(rpQueuedReplot);
}

ChartTable ComparePlot::tableData() const {
    ChartTable table{{QStringLiteral("budget"), QStringLiteral("A realised cost"),
                      QStringLiteral("A accuracy (%)"), QStringLiteral("B accuracy at A's cost (%)"),
                      QStringLiteral("A - B (pp)"), QStringLiteral("SE (pp)")},
                     {}};
    if (m_shown)
        for (const BudgetDifference& d : m_shown->perBudget)
            table.rows.push_back({csvNumber(d.budget), csvNumber(d.aCost), csvNumber(d.aAccuracyPercent),
                                  csvNumber(d.bAccuracyPercent), csvNumber(d.deltaPp), csvNumber(d.sePp)});
    return table;
}

} // namespace eenet
