#include "PolicyCurvesPlot.h"
#include "ChartPalette.h"
#include "PlotFit.h"
#include "ShownSplit.h"

#include "session/Session.h"

#include <QToolTip>

#include <cmath>
#include <numeric>

namespace eenet {
namespace {

constexpr double kHoverRadiusPx = 10.0;

/// "Each exit alone": diamonds outlined in the text colour, so they read on either theme.
QCPScatterStyle singleExitStyle(const QPalette& palette) {
    return QCPScatterStyle(QCPScatterStyle::ssDiamond, ChartPalette::text(palette),
                           ChartPalette::singleExit(), 10);
}

QString joined(const std::vector<double>& values, int decimals) {
    QStringList parts;
    for (double v : values)
        parts << (std::isinf(v) ? (v > 0 ? QStringLiteral("∞") : QStringLiteral("−∞"))
                                : QString::number(v, 'f', decimals));
    return parts.join(QStringLiteral(", "));
}

} // namespace

PolicyCurvesPlot::PolicyCurvesPlot(Session* session, QWidget* parent)
    : InteractivePlot(parent)
    , m_session(session)
    , m_budgetLine(new QCPItemStraightLine(this))
    , m_current(addGraph()) {
    xAxis->setLabel(tr("realised average cost"));
    yAxis->setLabel(tr("accuracy (%)"));
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    m_budgetLine->setPen(QPen(ChartPalette::budgetMarker(), 1.5, Qt::DashLine));
    m_budgetLine->setVisible(false);
    m_current->setLineStyle(QCPGraph::lsNone);
    m_current->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(ChartPalette::budgetMarker(), 2.5), Qt::NoBrush, 13));
    m_current->setName(tr("chosen method at the budget"));
    m_current->setLayer(QStringLiteral("overlay"));
    setMinimumSize(360, 260);
    connect(m_session, &Session::curvesChanged, this, &PolicyCurvesPlot::rebuild);
    connect(m_session, &Session::schedulersChanged, this, &PolicyCurvesPlot::rebuild);
    connect(m_session, &Session::splitChanged, this, &PolicyCurvesPlot::rebuild);
    connect(m_session, &Session::budgetChanged, this, &PolicyCurvesPlot::moveBudgetLine);
    connect(m_session, &Session::snapshotChanged, this, &PolicyCurvesPlot::moveCurrentPoint);
    applyPalette();
    rebuild();
}

const std::vector<MethodResult>& PolicyCurvesPlot::results(const Curve& curve) const {
    return m_session->split() == Split::Test && !curve.test.empty() ? curve.test : curve.val;
}

std::vector<const Curve*> PolicyCurvesPlot::allCurves() const {
    std::vector<const Curve*> curves;
    for (const auto* list : {&m_session->schedulerCurves(), &m_session->curves()})
        for (const Curve& curve : *list)
            curves.push_back(&curve);
    return curves;
}

QCPCurve* PolicyCurvesPlot::curve(const std::string& method) const {
    const auto found = m_curves.find(method);
    return found != m_curves.end() ? found->second : nullptr;
}

void PolicyCurvesPlot::rebuild() {
    for (auto& entry : m_curves)
        removePlottable(entry.second);
    m_curves.clear();
    QVector<double> exitCosts, exitAccuracies;
    for (const Curve* curve : allCurves()) {
        const auto& points = results(*curve);
        if (points.empty())
            continue;
        if (curve->method.rfind("exit-", 0) == 0) {
            exitCosts << points.front().outcome.cost;
            exitAccuracies << points.front().outcome.accuracyPercent;
            continue;
        }
        auto* plotted = new QCPCurve(xAxis, yAxis);
        plotted->setName(QString::fromStdString(curve->method));
        const QColor color = ChartPalette::method(curve->method);
        plotted->setPen(QPen(color, curve->method == "oracle" ? 1.5 : 2,
                             curve->method.find("-opt") != std::string::npos ? Qt::DashLine : Qt::SolidLine));
        plotted->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, color, 4));
        for (size_t i = 0; i < points.size(); ++i)
            plotted->addData(static_cast<double>(i), points[i].outcome.cost,
                             points[i].outcome.accuracyPercent);
        m_curves[curve->method] = plotted;
    }
    if (!exitCosts.isEmpty()) {
        auto* exits = new QCPCurve(xAxis, yAxis);
        exits->setName(tr("each exit alone"));
        exits->setLineStyle(QCPCurve::lsNone);
        exits->setScatterStyle(singleExitStyle(palette()));
        QVector<double> t(exitCosts.size());
        std::iota(t.begin(), t.end(), 0.0);
        exits->setData(t, exitCosts, exitAccuracies);
        m_curves["static"] = exits;
    }
    if (m_session->hasPredictions())
        xAxis->setLabel(tr("realised average cost (%1), %2 split")
                            .arg(QString::fromStdString(m_session->predictions()->costUnit),
                                 m_session->split() == Split::Test ? tr("test") : tr("validation")));
    moveBudgetLine(m_session->budget());
    moveCurrentPoint();
    resetView();
}

void PolicyCurvesPlot::moveCurrentPoint() {
    const auto& snapshot = m_session->snapshot();
    const SplitPolicy* shown = shownSplit(*m_session);
    m_current->data()->clear();
    if (shown)
        m_current->addData(shown->outcome.cost, shown->outcome.accuracyPercent);
    m_current->setName(shown ? tr("%1 at the budget").arg(QString::fromStdString(snapshot->method))
                             : tr("chosen method at the budget"));
    replot(QCustomPlot::rpQueuedReplot);
}

void PolicyCurvesPlot::moveBudgetLine(double budget) {
    m_budgetLine->setVisible(m_session->hasPredictions());
    m_budgetLine->point1->setCoords(budget, 0);
    m_budgetLine->point2->setCoords(budget, 1);
    // Queued: many slider steps between two frames cost one repaint.
    replot(QCustomPlot::rpQueuedReplot);
}

void PolicyCurvesPlot::resetView() {
    fitAxesToData(*this, {0.04, 0, 0.05, 0.5});
}

ChartTable PolicyCurvesPlot::tableData() const {
    const auto& predictions = m_session->predictions();
    const int exits = predictions ? predictions->numExits : 0;
    const QString unit = predictions ? QString::fromStdString(predictions->costUnit) : QString();
    ChartTable table;
    table.header << QStringLiteral("method") << QStringLiteral("split")
                 << QStringLiteral("budget (%1)").arg(unit) << QStringLiteral("realised cost (%1)").arg(unit)
                 << QStringLiteral("accuracy (%)");
    for (int k = 0; k < exits; ++k)
        table.header << QStringLiteral("exit %1 fraction").arg(k + 1);
    // T_K is -inf by definition: only the thresholds that decide something.
    for (int k = 0; k + 1 < exits; ++k)
        table.header << QStringLiteral("T_%1").arg(k + 1);
    for (const Curve* curve : allCurves()) {
        for (const auto* split : {&curve->val, &curve->test}) {
            for (const MethodResult& r : *split) {
                QStringList row{QString::fromStdString(r.method), QString::fromStdString(splitName(r.split)),
                                r.budget ? csvNumber(*r.budget) : QString(), csvNumber(r.outcome.cost),
                                csvNumber(r.outcome.accuracyPercent)};
                for (size_t k = 0; k < static_cast<size_t>(exits); ++k)
                    row << (k < r.outcome.exitFractions.size() ? csvNumber(r.outcome.exitFractions[k])
                                                               : QString());
                for (size_t k = 0; k + 1 < static_cast<size_t>(exits); ++k)
                    row << (k < r.thresholds.size() ? csvNumber(r.thresholds[k]) : QString());
                table.rows.push_back(row);
            }
        }
    }
    return table;
}

void PolicyCurvesPlot::paletteChanged() {
    if (QCPCurve* exits = curve("static"))
        exits->setScatterStyle(singleExitStyle(palette()));
}

void PolicyCurvesPlot::mouseMoveEvent(QMouseEvent* event) {
    QCustomPlot::mouseMoveEvent(event);
    const QPointF position = event->position();
    for (const Curve* curve : allCurves()) {
        for (const MethodResult& r : results(*curve)) {
            const QPointF pixel(xAxis->coordToPixel(r.outcome.cost),
                                yAxis->coordToPixel(r.outcome.accuracyPercent));
            if (QLineF(pixel, position).length() > kHoverRadiusPx)
                continue;
            const QString unit = QString::fromStdString(m_session->predictions()->costUnit);
            QString text =
                tr("<b>%1</b> (%2)")
                    .arg(QString::fromStdString(r.method), QString::fromStdString(splitName(r.split)));
            if (r.budget)
                text += tr("<br>budget: %1 %2").arg(*r.budget, 0, 'g', 5).arg(unit);
            text += tr("<br>realised cost: %1 %2<br>accuracy: %3 %<br>exit fractions: %4")
                        .arg(r.outcome.cost, 0, 'g', 5)
                        .arg(unit)
                        .arg(r.outcome.accuracyPercent, 0, 'f', 2)
                        .arg(joined(r.outcome.exitFractions, 3));
            if (!r.thresholds.empty())
                text += tr("<br>thresholds: %1").arg(joined(r.thresholds, 4));
            QToolTip::showText(event->globalPosition().toPoint(), text, this);
            return;
        }
    }
    QToolTip::hideText();
}

} // namespace eenet
