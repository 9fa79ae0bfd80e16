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
/// Class names wider than this are elided, so the map keeps its width.
constexpr int kClassLabelMaxPx = 130;

/// The rows shown, for the title: empty when every class is, in class order.
QString rowsCaption(ClassOrder order, int rows, int classes) {
    if (rows < classes) {
        const char* which[] = {QT_TRANSLATE_NOOP("ClassExitMap", "in class order"),
                               QT_TRANSLATE_NOOP("ClassExitMap", "that exit latest"),
                               QT_TRANSLATE_NOOP("ClassExitMap", "that exit earliest"),
                               QT_TRANSLATE_NOOP("ClassExitMap", "that lose the most accuracy")};
        return ClassExitMap::tr("%1 of %2 classes %3")
            .arg(rows)
            .arg(classes)
            .arg(ClassExitMap::tr(which[static_cast<int>(order)]));
    }
    const char* sorted[] = {"", QT_TRANSLATE_NOOP("ClassExitMap", "latest exit first"),
                            QT_TRANSLATE_NOOP("ClassExitMap", "earliest exit first"),
                            QT_TRANSLATE_NOOP("ClassExitMap", "largest loss first")};
    return order == ClassOrder::ClassIndex ? QString()
                                           : ClassExitMap::tr("all %1 classes, %2")
                                                 .arg(classes)
                                                 .arg(ClassExitMap::tr(sorted[int(order)]));
}

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
    // The exits always fit; the wheel and dragging zoom and scroll the rows (1000 classes).
    axisRect()->setRangeZoom(Qt::Vertical);
    axisRect()->setRangeDrag(Qt::Vertical);
    connect(yAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, &ClassExitMap::boundRows);

    setMinimumSize(280, 200);
    connect(m_session, &Session::predictionsLoaded, this, [this] { m_pickDefaults = true; });
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
        m_numExits = m_numClasses = m_rows = 0;
        m_counts.clear();
        m_ordered.clear();
        m_caption.clear();
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
        Q_EMIT rowsChanged();
        return;
    }

    const Predictions& predictions = *m_session->predictions();
    const ExitData& data = *shown->data;
    m_fractions = shown->outcome.perClassExitFractions;
    m_numExits = data.numExits;
    m_numClasses = data.numClasses;
    if (m_pickDefaults) {
        m_pickDefaults = false;
        const bool many = m_numClasses > kManyClasses;
        m_order = many ? ClassOrder::ExitLatest : ClassOrder::ClassIndex;
        m_rowLimit = many ? kDefaultRows : 0;
    }
    m_ordered = orderedClasses(m_order, data, shown->outcome.exitOf);
    m_rows = m_rowLimit > 0 ? std::min(m_rowLimit, m_numClasses) : m_numClasses;
    m_caption = rowsCaption(m_order, m_rows, m_numClasses);
    const QString method = QString::fromStdString(snapshot->method);
    const QString budget = QString::number(snapshot->budget, 'g', 4);
    const QString unit = QString::fromStdString(m_session->budgetUnit());
    m_headline = tr("Where each class leaves");
    m_details = {tr("%1 at budget %2 %3 (%4)").arg(method, budget, unit, splitText(shown->split)),
                 tr("%1 at %2 %3, %4")
                     .arg(method, budget, unit, shown->split == Split::Test ? tr("test") : tr("validation"))};
    // What is shown comes first: it survives when the title must be shortened.
    if (!m_caption.isEmpty())
        m_details = QStringList{m_caption + QStringLiteral(": ") + m_details[0],
                                m_caption + QStringLiteral(": ") + m_details[1], m_caption};
    m_title->setText(m_headline + QLatin1Char('\n') + m_details.front());

    m_counts.assign(static_cast<size_t>(m_numClasses * m_numExits), 0);
    for (int n = 0; n < data.numSamples; ++n)
        ++m_counts[static_cast<size_t>(data.labels[size_t(n)] * m_numExits +
                                       shown->outcome.exitOf[size_t(n)])];

    m_map->data()->setSize(m_numExits, m_rows);
    // Cell centres on integer coordinates: exit k at x = k, row r at y = r.
    m_map->data()->setRange(QCPRange(0, m_numExits - 1), QCPRange(0, m_rows - 1));
    for (int r = 0; r < m_rows; ++r)
        for (int k = 0; k < m_numExits; ++k)
            m_map->data()->setCell(k, r, m_fractions(m_ordered[size_t(r)], k));

    auto exitTicker = qSharedPointerCast<QCPAxisTickerText>(xAxis->ticker());
    exitTicker->clear();
    for (int k = 0; k < m_numExits; ++k)
        exitTicker->addTick(k, breakNearMiddle(QString::fromStdString(predictions.exitNames[size_t(k)])));

    if (m_rows <= kMaxClassesWithText) {
        QCPColorGradient gradient = m_scale->gradient();
        const QFont small(font().family(), 8);
        for (int r = 0; r < m_rows; ++r) {
            for (int k = 0; k < m_numExits; ++k) {
                const double share = m_map->data()->cell(k, r);
                auto* text = new QCPItemText(this);
                text->position->setCoords(k, r);
                text->setText(QString::number(share, 'f', 2));
                text->setFont(small);
                const QColor cell = QColor::fromRgb(gradient.color(share, QCPRange(0, 1)));
                text->setColor(ChartPalette::textOn(cell));
                m_cellTexts.push_back(text);
            }
        }
    }
    showSelectedCell();
    resetView();
    Q_EMIT rowsChanged();
}

void ClassExitMap::setOrder(ClassOrder order) {
    if (order == m_order)
        return;
    m_order = order;
    rebuild();
}

void ClassExitMap::setRowLimit(int rows) {
    if (rows == m_rowLimit)
        return;
    m_rowLimit = rows;
    rebuild();
}

std::vector<int> ClassExitMap::rowClasses() const {
    return {m_ordered.begin(), m_ordered.begin() + m_rows};
}

int ClassExitMap::rowOf(int cls) const {
    const auto end = m_ordered.begin() + m_rows;
    const auto found = std::find(m_ordered.begin(), end, cls);
    return found == end ? -1 : static_cast<int>(found - m_ordered.begin());
}

void ClassExitMap::boundRows(const QCPRange& range) {
    if (m_rows == 0)
        return;
    const QCPRange bounded = range.bounded(-0.5, m_rows - 0.5);
    if (bounded != range)
        yAxis->setRange(bounded); // emits rangeChanged again, with a range already in bounds
    updateClassTicks();
}

void ClassExitMap::updateClassTicks() {
    auto classTicker = qSharedPointerCast<QCPAxisTickerText>(yAxis->ticker());
    classTicker->clear();
    if (m_rows == 0)
        return;
    // The axis rect's height is known after the first layout pass; before it, estimate it from the widget.
    const int heightPx = axisRect()->height() > 0 ? axisRect()->height() : std::max(60, height() - 90);
    const QFontMetrics metrics(yAxis->tickLabelFont());
    const double labelPx = std::max(kClassLabelPx, metrics.height());
    // A label every `step` rows of the visible range, so that labels never overlap.
    const QCPRange visible = yAxis->range();
    const int step = niceStep(visible.size() * labelPx / heightPx);
    const int first = std::max(0, static_cast<int>(std::ceil(visible.lower / step)) * step);
    const int last = std::min(m_rows - 1, static_cast<int>(std::floor(visible.upper)));
    const auto& names = m_session->predictions()->classNames;
    // Printed values only in rows tall enough for a line of them, or they would run into each other.
    const int valuePx = m_cellTexts.empty() ? 0 : QFontMetrics(m_cellTexts.front()->font()).height();
    for (QCPItemText* text : m_cellTexts)
        text->setVisible(heightPx >= valuePx * visible.size());
    for (int r = first; r <= last; r += step)
        classTicker->addTick(r,
                             metrics.elidedText(QString::fromStdString(names[size_t(m_ordered[size_t(r)])]),
                                                Qt::ElideRight, kClassLabelMaxPx));
}

void ClassExitMap::resetView() {
    xAxis->setRange(-0.5, std::max(m_numExits, 1) - 0.5);
    yAxis->setRange(-0.5, std::max(m_rows, 1) - 0.5);
    updateClassTicks();
    replot(rpQueuedReplot);
}

ChartTable ClassExitMap::tableData() const {
    ChartTable table{{QStringLiteral("class"), QStringLiteral("exit"), QStringLiteral("fraction"),
                      QStringLiteral("count")},
                     {}};
    if (m_numClasses == 0)
        return table;
    const Predictions& predictions = *m_session->predictions();
    for (int c : m_ordered)
        for (int k = 0; k < m_numExits; ++k)
            table.rows.push_back({QString::fromStdString(predictions.classNames.at(size_t(c))),
                                  QString::fromStdString(predictions.exitNames.at(size_t(k))),
                                  csvNumber(m_fractions(c, k)),
                                  QString::number(m_counts[size_t(c * m_numExits + k)])});
    return table;
}

bool ClassExitMap::cellAt(const QPointF& position, int* cls, int* exit) const {
    if (m_rows == 0 || !axisRect()->rect().contains(position.toPoint()))
        return false;
    const int k = static_cast<int>(std::lround(xAxis->pixelToCoord(position.x())));
    const int r = static_cast<int>(std::lround(yAxis->pixelToCoord(position.y())));
    if (k < 0 || k >= m_numExits || r < 0 || r >= m_rows)
        return false;
    *cls = m_ordered[size_t(r)];
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
    // The class may be outside the rows shown (another order): then nothing is outlined.
    const int row = origin.view == QLatin1String(kSelectionView) ? rowOf(origin.cls) : -1;
    const bool shown = row >= 0 && selection.split == m_session->split() && origin.exit < m_numExits;
    m_selectedCell->setVisible(shown);
    if (shown) {
        m_selectedCell->setPen(QPen(ChartPalette::text(palette()), 2.5));
        m_selectedCell->topLeft->setCoords(origin.exit - 0.5, row - 0.5);
        m_selectedCell->bottomRight->setCoords(origin.exit + 0.5, row + 0.5);
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
                             .arg(QString::fromStdString(predictions.classNames[size_t(cls)]).toHtmlEscaped(),
                                  QString::fromStdString(predictions.exitNames[size_t(exit)]).toHtmlEscaped())
                             .arg(m_fractions(cls, exit) * 100, 0, 'f', 1)
                             .arg(here)
                             .arg(classSize);
    QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void ClassExitMap::resizeEvent(QResizeEvent* event) {
    InteractivePlot::resizeEvent(event);
    // The resize laid the plot out and drew it with the labels of the old height: draw it again.
    updateClassTicks();
    replot(rpQueuedReplot);
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
