#include "ClassExitMap.h"
#include "ChartPalette.h"
#include "FittedText.h"
#include "ShownSplit.h"
#include "SplitText.h"

#include "session/Session.h"

#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace eenet {
namespace {

constexpr int kMaxClassesWithText = 20;
constexpr int kClassLabelPx = 13;

/// The smallest of 1, 2, 5, 10, 20, 50, ... that is at least `minimum`.
int niceStep(double minimum) {
    for (int decade = 1;; decade *= 10)
        for (int m : {1, 2, 5})
            if (m * decade >= minimum)
                return m * decade;
}

/// SelectionOrigin::view of the selections this chart makes.
constexpr char kSelectionView[] = "class exit map";

} // namespace

ClassExitMap::ClassExitMap(Session* session, QWidget* parent)
    : InteractivePlot(parent)
    , m_session(session)
    , m_map(new QCPColorMap(xAxis, yAxis))
    , m_scale(new QCPColorScale(this))
    , m_title(new QCPTextElement(this, QString(), QFont(font().family(), 10, QFont::Bold)))
    , m_note(addMessage(QCPItemPosition::ptViewportRatio, 10))
    , m_selectedCell(new QCPItemRect(this)) {
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, m_title);
    plotLayout()->addElement(1, 1, m_scale);
    plotLayout()->setRowStretchFactor(0, 0.001);
    // The title shares its column with the map, which is narrower than the widget: it takes the column's
    // width whatever its text, and fitTitle() fits the text to it once the layout is known.
    m_title->setMinimumSize(1, 0);
    connect(this, &QCustomPlot::afterLayout, this, &ClassExitMap::fitTitle);
    // The colour scale spans exactly the map's height.
    auto* margins = new QCPMarginGroup(this);
    axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_scale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_scale->setType(QCPAxis::atRight);
    m_scale->setBarWidth(12);
    m_scale->setDataRange(QCPRange(0, 1));
    m_scale->setGradient(ChartPalette::heatMap());
    m_scale->axis()->setLabel(tr("share of the class leaving here"));
    m_map->setColorScale(m_scale);
    m_map->setInterpolate(false);
    m_map->setTightBoundary(false);

    const QFont small(font().family(), 8);
    yAxis->setRangeReversed(true);
    for (QCPAxis* axis : {xAxis, yAxis}) {
        axis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
        axis->setTickLabelFont(small);
        axis->setSubTicks(false);
        axis->grid()->setVisible(false);
    }
    xAxis->setLabel(tr("exit"));
    yAxis->setLabel(tr("class"));

    setMinimumSize(280, 200);
    connect(m_session, &Session::snapshotChanged, this, [this] { refreshWhenShown([this] { rebuild(); }); });
    connect(m_session, &Session::splitChanged, this, [this] { refreshWhenShown([this] { rebuild(); }); });
    connect(m_session, &Session::selectionChanged, this, &ClassExitMap::showSelectedCell);
    m_selectedCell->setBrush(Qt::NoBrush);
    m_selectedCell->setVisible(false);
    applyPalette();
    rebuild();
}

void ClassExitMap::rebuild() {
    for (QCPItemText* text : m_cellTexts)
        removeItem(text);
    m_cellTexts.clear();
    styleColorScale();
    const auto& snapshot = m_session->snapshot();
    const SplitPolicy* shown = shownSplit(*m_session);
    const bool showing = shown != nullptr;
    // Hiding the axis rect would hide the note too (items belong to it): hide its contents instead.
    xAxis->setVisible(showing);
    yAxis->setVisible(showing);
    m_map->setVisible(showing);
    m_scale->setVisible(showing);
    m_note->setVisible(!showing);
    m_note->setColor(ChartPalette::text(palette()));
    if (!shown) {
        m_numExits = m_numClasses = 0;
        m_counts.clear();
        m_headline = tr("Where each class leaves");
        m_details.clear();
        m_title->setText(m_headline);
        if (!m_session->hasPredictions())
            m_note->setText(tr("Open a predictions file to see where each class leaves"));
        else if (!snapshot)
            m_note->setText(tr("No policy computed yet"));
        else
            m_note->setText(QString::fromStdString(snapshot->note));
        showSelectedCell();
        return;
    }

    const Predictions& predictions = *m_session->predictions();
    const ExitData& data = *shown->data;
    const Eigen::MatrixXd& fractions = shown->outcome.perClassExitFractions;
    m_numExits = data.numExits;
    m_numClasses = data.numClasses;
    const QString method = QString::fromStdString(snapshot->method);
    const QString budget = QString::number(snapshot->budget, 'g', 4);
    const QString unit = QString::fromStdString(predictions.costUnit);
    m_headline = tr("Where each class leaves");
    m_details = {tr("%1 at budget %2 %3 (%4)").arg(method, budget, unit, splitText(shown->split)),
                 tr("%1 at %2 %3, %4")
                     .arg(method, budget, unit, shown->split == Split::Test ? tr("test") : tr("validation"))};
    m_title->setText(m_headline + QLatin1Char('\n') + m_details.front());

    m_counts.assign(static_cast<size_t>(m_numClasses * m_numExits), 0);
    for (int n = 0; n < data.numSamples; ++n)
        ++m_counts[static_cast<size_t>(data.labels[size_t(n)] * m_numExits +
                                       shown->outcome.exitOf[size_t(n)])];

    m_map->data()->setSize(m_numExits, m_numClasses);
    // Cell centres on integer coordinates: exit k at x = k, class c at y = c.
    m_map->data()->setRange(QCPRange(0, m_numExits - 1), QCPRange(0, m_numClasses - 1));
    for (int c = 0; c < m_numClasses; ++c)
        for (int k = 0; k < m_numExits; ++k)
            m_map->data()->setCell(k, c, fractions(c, k));

    auto exitTicker = qSharedPointerCast<QCPAxisTickerText>(xAxis->ticker());
    exitTicker->clear();
    for (int k = 0; k < m_numExits; ++k)
        exitTicker->addTick(k, breakNearMiddle(QString::fromStdString(predictions.exitNames[size_t(k)])));
    updateClassTicks();

    if (m_numClasses <= kMaxClassesWithText) {
        QCPColorGradient gradient = m_scale->gradient();
        const QFont small(font().family(), 8);
        for (int c = 0; c < m_numClasses; ++c) {
            for (int k = 0; k < m_numExits; ++k) {
                auto* text = new QCPItemText(this);
                text->position->setCoords(k, c);
                text->setText(QString::number(fractions(c, k), 'f', 2));
                text->setFont(small);
                const QColor cell = QColor::fromRgb(gradient.color(fractions(c, k), QCPRange(0, 1)));
                text->setColor(ChartPalette::textOn(cell));
                m_cellTexts.push_back(text);
            }
        }
    }
    showSelectedCell();
    resetView();
}

void ClassExitMap::updateClassTicks() {
    auto classTicker = qSharedPointerCast<QCPAxisTickerText>(yAxis->ticker());
    classTicker->clear();
    if (m_numClasses == 0)
        return;
    // The axis rect's height is known after the first layout pass; before it, estimate it from the widget.
    const int heightPx = axisRect()->height() > 0 ? axisRect()->height() : std::max(60, height() - 90);
    const int step = niceStep(double(m_numClasses) * kClassLabelPx / heightPx);
    const auto& names = m_session->predictions()->classNames;
    for (int c = 0; c < m_numClasses; c += step)
        classTicker->addTick(c, QString::fromStdString(names[size_t(c)]));
}

void ClassExitMap::resetView() {
    xAxis->setRange(-0.5, std::max(m_numExits, 1) - 0.5);
    yAxis->setRange(-0.5, std::max(m_numClasses, 1) - 0.5);
    replot(rpQueuedReplot);
}

ChartTable ClassExitMap::tableData() const {
    ChartTable table{{QStringLiteral("class"), QStringLiteral("exit"), QStringLiteral("fraction"),
                      QStringLiteral("count")},
                     {}};
    if (m_numClasses == 0)
        return table;
    const Predictions& predictions = *m_session->predictions();
    for (int c = 0; c < m_numClasses; ++c)
        for (int k = 0; k < m_numExits; ++k)
            table.rows.push_back({QString::fromStdString(predictions.classNames.at(size_t(c))),
                                  QString::fromStdString(predictions.exitNames.at(size_t(k))),
                                  csvNumber(m_map->data()->cell(k, c)),
                                  QString::number(m_counts[size_t(c * m_numExits + k)])});
    return table;
}

bool ClassExitMap::cellAt(const QPointF& position, int* cls, int* exit) const {
    if (m_numClasses == 0 || !axisRect()->rect().contains(position.toPoint()))
        return false;
    const int k = static_cast<int>(std::lround(xAxis->pixelToCoord(position.x())));
    const int c = static_cast<int>(std::lround(yAxis->pixelToCoord(position.y())));
    if (k < 0 || k >= m_numExits || c < 0 || c >= m_numClasses)
        return false;
    *cls = c;
    *exit = k;
    return true;
}

SampleSelection ClassExitMap::cellSelection(int cls, int exit) const {
    const SplitPolicy& shown = *shownSplit(*m_session);
    SampleSelection selection;
    selection.split = shown.split;
    for (int n = 0; n < shown.data->numSamples; ++n)
        if (shown.data->labels[size_t(n)] == cls && shown.outcome.exitOf[size_t(n)] == exit)
            selection.indices.push_back(n);
    const Predictions& predictions = *m_session->predictions();
    selection.origin = {QLatin1String(kSelectionView), exit, cls, false,
                        std::numeric_limits<double>::quiet_NaN()};
    selection.description =
        tr("class %1 · leaving at %2 · %3")
            .arg(QString::fromStdString(predictions.classNames.at(size_t(cls))),
                 QString::fromStdString(predictions.exitNames.at(size_t(exit))), splitText(shown.split));
    return selection;
}

void ClassExitMap::showSelectedCell() {
    const SampleSelection& selection = m_session->selection();
    const SelectionOrigin& origin = selection.origin;
    const bool shown = origin.view == QLatin1String(kSelectionView) &&
                       selection.split == m_session->split() && origin.exit < m_numExits &&
                       origin.cls < m_numClasses;
    m_selectedCell->setVisible(shown);
    if (shown) {
        m_selectedCell->setPen(QPen(ChartPalette::text(palette()), 2.5));
        m_selectedCell->topLeft->setCoords(origin.exit - 0.5, origin.cls - 0.5);
        m_selectedCell->bottomRight->setCoords(origin.exit + 0.5, origin.cls + 0.5);
    }
    replot(rpQueuedReplot);
}

void ClassExitMap::selectCell(int cls, int exit) {
    m_session->setSelection(cellSelection(cls, exit));
}

void ClassExitMap::clickedAt(const QPointF& position) {
    int cls = 0, exit = 0;
    if (cellAt(position, &cls, &exit))
        selectCell(cls, exit);
}

void ClassExitMap::mouseMoveEvent(QMouseEvent* event) {
    InteractivePlot::mouseMoveEvent(event);
    int cls = 0, exit = 0;
    if (!cellAt(event->position(), &cls, &exit)) {
        QToolTip::hideText();
        return;
    }
    const Predictions& predictions = *m_session->predictions();
    const auto first = m_counts.begin() + cls * m_numExits;
    const int classSize = std::accumulate(first, first + m_numExits, 0);
    const int here = m_counts[size_t(cls * m_numExits + exit)];
    const QString text = tr("<b>%1</b> at <b>%2</b><br>%3 % of the class leaves here (%4 of %5 samples)"
                            "<br><i>click to inspect them</i>")
                             .arg(QString::fromStdString(predictions.classNames[size_t(cls)]),
                                  QString::fromStdString(predictions.exitNames[size_t(exit)]))
                             .arg(m_map->data()->cell(exit, cls) * 100, 0, 'f', 1)
                             .arg(here)
                             .arg(classSize);
    QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void ClassExitMap::resizeEvent(QResizeEvent* event) {
    InteractivePlot::resizeEvent(event);
    updateClassTicks();
}

void ClassExitMap::fitTitle() {
    InteractivePlot::fitTitle(m_title, m_headline, m_details);
}

void ClassExitMap::styleColorScale() {
    // applyPalette() styles the axis rects of the layout only; the colour scale's axis is its own.
    styleAxis(m_scale->axis(), ChartPalette::text(palette()));
}

void ClassExitMap::paletteChanged() {
    rebuild();
}

} // namespace eenet
