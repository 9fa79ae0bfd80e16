#include "PolicyCurvesPlot.h"
#include "ChartPalette.h"
#include "CurveStyle.h"
#include "PlotFit.h"
#include "ShownSplit.h"

#include "session/Session.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

namespace eenet {
namespace {

/// The chosen method's point at the budget: a ring in the budget line's colour.
QCPScatterStyle budgetPointStyle() {
    return QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(ChartPalette::budgetMarker(), 2.5), Qt::NoBrush,
                           13);
}

constexpr double kChosenWidth = 3.0;
constexpr double kOtherWidth = 1.5;
/// The curves other than the chosen method's are drawn a little lighter.
constexpr int kOtherAlpha = 170;
const char* const kChosenLayer = "chosen";
/// The budget line and the chosen method's point: a buffered layer of their own, so that a slider move
/// redraws two marks instead of every curve.
const char* const kBudgetLayer = "budget";

} // namespace

PolicyCurvesPlot::PolicyCurvesPlot(Session* session, QWidget* parent)
    : InteractivePlot(parent)
    , m_session(session)
    , m_budgetLine(new QCPItemStraightLine(this))
    , m_current(addGraph())
    , m_title(new QCPTextElement(this, QString(), QFont(font().family(), 10, QFont::Bold)))
    , m_ceiling(new QCPItemLine(this))
    , m_extras(this)
    , m_emptyHint(addMessage(QCPItemPosition::ptAxisRectRatio, 11)) {
    xAxis->setLabel(tr("realised average cost"));
    yAxis->setLabel(tr("accuracy (%)"));
    addLayer(QString::fromLatin1(kChosenLayer), layer(QStringLiteral("main")), QCustomPlot::limAbove);
    addLayer(QString::fromLatin1(kBudgetLayer), layer(QString::fromLatin1(kChosenLayer)),
             QCustomPlot::limAbove);
    layer(QString::fromLatin1(kBudgetLayer))->setMode(QCPLayer::lmBuffered);

    // Title on top; under it the axes and, right of them, the legend in its own column, so no curve ever
    // hides behind it. The axis rect moves into a row grid: the title spans both columns.
    QCPAxisRect* rect = axisRect();
    plotLayout()->take(rect);
    auto* body = new QCPLayoutGrid;
    plotLayout()->addElement(0, 0, body);
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, m_title);
    body->addElement(0, 0, rect);
    axisRect()->insetLayout()->take(legend);
    auto* legendColumn = new QCPLayoutGrid;
    body->addElement(0, 1, legendColumn);
    body->setColumnStretchFactors({1, 0.001});
    legendColumn->addElement(0, 0, legend);
    legendColumn->expandTo(2, 1);
    legendColumn->setRowStretchFactors({0.001, 1});
    legendColumn->setMargins(QMargins(0, 6, 4, 0));
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    legend->setIconSize(22, 13);
    legend->setRowSpacing(0);
    legend->setMargins(QMargins(5, 3, 5, 3));
    legend->setSelectableParts(QCPLegend::spNone);
    connect(this, &QCustomPlot::legendClick, this,
            [this](QCPLegend*, QCPAbstractLegendItem* item, QMouseEvent*) { legendClicked(item); });

    m_budgetLine->setPen(QPen(ChartPalette::budgetMarker(), 1.5, Qt::DashLine));
    m_budgetLine->setVisible(false);
    m_budgetLine->setLayer(QString::fromLatin1(kBudgetLayer));
    // Flat from the oracle's last point to the right edge of the axis rect, wherever the view is.
    m_ceiling->start->setType(QCPItemPosition::ptPlotCoords);
    m_ceiling->end->setAxisRect(axisRect());
    m_ceiling->end->setTypeX(QCPItemPosition::ptAxisRectRatio);
    m_ceiling->end->setTypeY(QCPItemPosition::ptPlotCoords);
    m_ceiling->setVisible(false);
    m_current->setLineStyle(QCPGraph::lsNone);
    m_current->setScatterStyle(budgetPointStyle());
    m_current->setName(tr("at the budget"));
    m_current->setLayer(QString::fromLatin1(kBudgetLayer));
    setMinimumSize(360, 260);
    connect(m_session, &Session::curvesChanged, this, &PolicyCurvesPlot::rebuild);
    connect(m_session, &Session::schedulersChanged, this, &PolicyCurvesPlot::rebuild);
    connect(m_session, &Session::splitChanged, this, &PolicyCurvesPlot::rebuild);
    connect(m_session, &Session::budgetChanged, this,
            [this] { refreshWhenShown([this] { moveBudgetMarks(); }); });
    connect(m_session, &Session::snapshotChanged, this,
            [this] { refreshWhenShown([this] { moveBudgetMarks(); }); });
    connect(m_session, &Session::methodChanged, this, [this] {
        // The chosen method always shows, even when its curve was hidden from the legend.
        m_hidden.erase(emphasisedMethod());
        restyle();
        placeExtras();
        replot(QCustomPlot::rpQueuedReplot);
    });
    connect(m_session, &Session::bandsChanged, this, [this] {
        placeExtras();
        replot(QCustomPlot::rpQueuedReplot);
    });
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
    if (m_ceilingEntry)
        removePlottable(std::exchange(m_ceilingEntry, nullptr));
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
        for (size_t i = 0; i < points.size(); ++i)
            plotted->addData(static_cast<double>(i), points[i].outcome.cost,
                             points[i].outcome.accuracyPercent);
        m_curves[curve->method] = plotted;
        if (curve->method == "oracle") {
            // Its legend entry right under the oracle's; no data, so fitting the view ignores it.
            m_ceilingEntry = addGraph();
            m_ceilingEntry->setName(tr("oracle ceiling"));
        }
    }
    if (!exitCosts.isEmpty()) {
        auto* exits = new QCPCurve(xAxis, yAxis);
        exits->setName(tr("each exit alone"));
        exits->setLineStyle(QCPCurve::lsNone);
        QVector<double> t(exitCosts.size());
        std::iota(t.begin(), t.end(), 0.0);
        exits->setData(t, exitCosts, exitAccuracies);
        m_curves["static"] = exits;
    }
    const bool empty = !m_session->hasPredictions();
    setAxesShown(!empty);
    legend->setVisible(!empty);
    m_emptyHint->setText(openFileHint());
    m_emptyHint->setColor(ChartPalette::mutedText(palette()));
    m_emptyHint->setVisible(empty);
    const QString split = m_session->split() == Split::Test ? tr("test") : tr("validation");
    m_title->setText(tr("Accuracy against realised cost (%1 split)").arg(split));
    if (m_session->hasPredictions()) {
        const auto& serving = m_session->budgetRule().serving;
        const QString unit = QString::fromStdString(m_session->budgetUnit());
        xAxis->setLabel(serving ? tr("realised cost per sample in %1 batches (%2)")
                                      .arg(QString::fromStdString(servingModeName(*serving)), unit)
                                : tr("realised average cost (%1)").arg(unit));
    }
    moveOracleCeiling();
    restyle();
    placeExtras();
    placeBudgetMarks();
    resetView();
}

void PolicyCurvesPlot::moveOracleCeiling() {
    const QCPCurve* oracle = curve("oracle");
    m_ceiling->setVisible(oracle && !isMethodHidden("oracle"));
    if (!oracle || oracle->dataCount() == 0)
        return;
    double lastCost = -std::numeric_limits<double>::infinity();
    double best = -std::numeric_limits<double>::infinity();
    for (auto it = oracle->data()->constBegin(); it != oracle->data()->constEnd(); ++it) {
        lastCost = std::max(lastCost, it->key);
        best = std::max(best, it->value);
    }
    m_ceiling->start->setCoords(lastCost, best);
    m_ceiling->end->setCoords(1.0, best);
}

std::string PolicyCurvesPlot::emphasisedMethod() const {
    const auto& custom = m_session->customPolicy();
    return custom ? custom->base.name() : m_session->method().name();
}

void PolicyCurvesPlot::placeExtras() {
    ChosenCurveExtras::Chosen chosen;
    chosen.method = emphasisedMethod();
    const Split split = m_session->split();
    if (!isMethodHidden(chosen.method)) {
        for (const Curve* curve : allCurves())
            if (curve->method == chosen.method)
                chosen.points = &results(*curve);
        chosen.bands = m_session->bands(chosen.method, split);
        chosen.otherPoints = m_session->parkedCurveResults(chosen.method, split);
    }
    chosen.calibrated = m_session->calibrated();
    m_extras.place(chosen);
}

void PolicyCurvesPlot::restyle() {
    const std::string chosen = emphasisedMethod();
    const QColor text = ChartPalette::text(palette());
    const QColor muted = ChartPalette::mutedText(palette());
    const QColor background = palette().color(QPalette::Base);
    const auto styleEntry = [&](QCPAbstractPlottable* plottable, bool hidden, bool emphasised) {
        QCPPlottableLegendItem* item = legend->itemWithPlottable(plottable);
        if (!item)
            return;
        item->setTextColor(hidden ? muted : text);
        QFont font = legend->font();
        font.setBold(emphasised);
        font.setItalic(hidden);
        item->setFont(font);
    };
    for (auto& [method, plotted] : m_curves) {
        const bool hidden = isMethodHidden(method);
        plotted->setVisible(!hidden);
        if (method == "static") {
            plotted->setScatterStyle(hidden
                                         ? QCPScatterStyle(QCPScatterStyle::ssDiamond, muted, Qt::NoBrush, 10)
                                         : curveStyle::singleExit(palette()));
            styleEntry(plotted, hidden, false);
            continue;
        }
        const bool emphasised = method == chosen;
        QColor color = hidden ? muted : ChartPalette::method(method);
        if (!emphasised && !hidden)
            color.setAlpha(kOtherAlpha);
        QPen pen(color, emphasised ? kChosenWidth : kOtherWidth);
        curveStyle::setDashes(pen, method);
        plotted->setPen(pen);
        // Searched variants get hollow markers (filled with the background) of their family's shape.
        plotted->setScatterStyle(QCPScatterStyle(curveStyle::markerShape(method), QPen(color, 1.2),
                                                 curveStyle::isSearched(method) ? background : color,
                                                 emphasised ? 7 : 5));
        const QString layerName = QString::fromLatin1(emphasised ? kChosenLayer : "main");
        if (plotted->layer()->name() != layerName)
            plotted->setLayer(layerName);
        styleEntry(plotted, hidden, emphasised);
    }
    const bool oracleHidden = isMethodHidden("oracle");
    const bool oracleChosen = chosen == "oracle";
    QColor ceilingColor = oracleHidden ? muted : ChartPalette::method("oracle");
    if (!oracleChosen && !oracleHidden)
        ceilingColor.setAlpha(kOtherAlpha);
    const QPen ceilingPen(ceilingColor, oracleChosen ? kChosenWidth : kOtherWidth, Qt::DashLine);
    m_ceiling->setPen(ceilingPen);
    m_ceiling->setLayer(QString::fromLatin1(oracleChosen ? kChosenLayer : "main"));
    m_ceiling->setVisible(curve("oracle") && !oracleHidden);
    if (m_ceilingEntry) {
        m_ceilingEntry->setPen(ceilingPen);
        styleEntry(m_ceilingEntry, oracleHidden, oracleChosen);
    }
}

std::string PolicyCurvesPlot::methodOfLegendItem(QCPAbstractLegendItem* item) const {
    auto* entry = qobject_cast<QCPPlottableLegendItem*>(item);
    if (!entry)
        return {};
    if (entry->plottable() == m_ceilingEntry)
        return "oracle";
    for (const auto& [method, plotted] : m_curves)
        if (entry->plottable() == plotted)
            return method;
    return {};
}

void PolicyCurvesPlot::legendClicked(QCPAbstractLegendItem* item) {
    const std::string method = methodOfLegendItem(item);
    if (!method.empty())
        setMethodHidden(method, !isMethodHidden(method));
}

void PolicyCurvesPlot::setMethodHidden(const std::string& method, bool hidden) {
    if (hidden == isMethodHidden(method) || (hidden && method == emphasisedMethod()))
        return;
    if (hidden)
        m_hidden.insert(method);
    else
        m_hidden.erase(method);
    restyle();
    replot(QCustomPlot::rpQueuedReplot);
}

bool PolicyCurvesPlot::placeBudgetMarks() {
    m_budgetLine->setVisible(m_session->hasPredictions());
    m_budgetLine->point1->setCoords(m_session->budget(), 0);
    m_budgetLine->point2->setCoords(m_session->budget(), 1);
    const auto& snapshot = m_session->snapshot();
    const SplitPolicy* shown = shownSplit(*m_session);
    m_current->data()->clear();
    if (shown)
        m_current->addData(shown->outcome.cost, shown->outcome.accuracyPercent);
    // Thresholds set by hand are not fitted to the budget: their point is marked apart, named for what it is.
    const bool custom = shown && snapshot->isCustom();
    const QString name = custom  ? QString::fromStdString(snapshot->method)
                         : shown ? tr("%1 at budget").arg(QString::fromStdString(snapshot->method))
                                 : tr("at the budget");
    const bool restyled = custom != m_currentIsCustom || name != m_current->name();
    m_currentIsCustom = custom;
    m_current->setScatterStyle(custom ? curveStyle::customPoint(palette()) : budgetPointStyle());
    m_current->setName(name);
    return restyled;
}

void PolicyCurvesPlot::moveBudgetMarks() {
    // The legend names the point: when that changes, everything is redrawn; else only the marks' layer.
    if (placeBudgetMarks())
        replot(QCustomPlot::rpQueuedReplot);
    else
        layer(QString::fromLatin1(kBudgetLayer))->replot();
}

void PolicyCurvesPlot::resetView() {
    fitAxesToData(*this, {0.04, 0, 0.05, 0.5});
}

void PolicyCurvesPlot::paletteChanged() {
    m_emptyHint->setColor(ChartPalette::mutedText(palette()));
    restyle();
    placeBudgetMarks();
    replot(QCustomPlot::rpQueuedReplot);
}

} // namespace eenet
