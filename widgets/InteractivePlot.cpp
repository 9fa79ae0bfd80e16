#include "InteractivePlot.h"
#include "ChartPalette.h"
#include "DeferredRefresh.h"
#include "PresentationScale.h"

#include <QContextMenuEvent>
#include <QFontMetrics>
#include <QMenu>
#include <QRegularExpression>

#include <algorithm>

namespace eenet {

InteractivePlot::InteractivePlot(QWidget* parent)
    : QCustomPlot(parent)
    , m_refresh(new DeferredRefresh(this)) {
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    setMouseTracking(true);
    setContextMenuPolicy(Qt::DefaultContextMenu);
    // Presentation mode scales whatever the chart drew last, just before the layout of each replot.
    connect(this, &QCustomPlot::beforeReplot, this, [this] { PresentationScale::apply(*this); });
    applyPalette();
}

void InteractivePlot::resetView() {
    for (QCPAxisRect* rect : axisRects()) {
        for (QCPAxis* axis : rect->axes()) {
            if (!axis->visible())
                continue;
            axis->rescale(true);
            const QCPRange range = axis->range();
            const double margin = std::max(range.size() * 0.05, 1e-9);
            axis->setRange(range.lower - margin, range.upper + margin);
        }
    }
    replot(rpQueuedReplot);
}

void InteractivePlot::fitTitle(QCPTextElement* title, const QString& headline, const QStringList& details) {
    const int room = title->rect().width();
    const QFontMetrics metrics(title->font());
    QStringList lines{metrics.elidedText(headline, Qt::ElideRight, room)};
    if (!details.isEmpty()) {
        const auto fits = std::find_if(details.begin(), details.end(), [&](const QString& line) {
            return metrics.horizontalAdvance(line) <= room;
        });
        lines << (fits != details.end() ? *fits : metrics.elidedText(details.back(), Qt::ElideRight, room));
    }
    title->setText(lines.join(QLatin1Char('\n')));
}

QString InteractivePlot::openFileHint() {
    return tr("Open a predictions file:\nFile ▸ Open… (Ctrl+O), File ▸ Open Sample, or drop a file here");
}

void InteractivePlot::setAxesShown(bool shown) {
    // A grid's parent layerable is its axis: hiding the axis hides the grid too.
    for (QCPAxis* axis : {xAxis, yAxis})
        axis->setVisible(shown);
}

void InteractivePlot::highlightBar(QCPBars* bars, int index) const {
    // QCustomPlot's own data selection draws the outline; the plot's interactions never include
    // selecting plottables, so only this call changes it.
    bars->setSelectable(QCP::stSingleData);
    bars->selectionDecorator()->setPen(QPen(ChartPalette::text(palette()), 2.5));
    bars->selectionDecorator()->setBrush(bars->brush());
    bars->setSelection(index < 0 ? QCPDataSelection() : QCPDataSelection(QCPDataRange(index, index + 1)));
}

void InteractivePlot::applyPalette() {
    const QPalette p = palette();
    const QColor text = ChartPalette::text(p);
    setBackground(p.brush(QPalette::Base));
    for (QCPAxisRect* rect : axisRects()) {
        for (QCPAxis* axis : rect->axes()) {
            styleAxis(axis, text);
            axis->grid()->setPen(QPen(ChartPalette::grid(p), 1, Qt::DotLine));
            axis->grid()->setZeroLinePen(Qt::NoPen);
        }
    }
    for (int i = 0; i < plotLayout()->elementCount(); ++i)
        if (auto* title = qobject_cast<QCPTextElement*>(plotLayout()->elementAt(i)))
            title->setTextColor(text);
    if (legend) {
        legend->setBrush(ChartPalette::legendFill(p));
        legend->setBorderPen(QPen(ChartPalette::legendBorder(p), 1));
        legend->setTextColor(text);
    }
    replot(rpQueuedReplot);
}

void InteractivePlot::styleAxis(QCPAxis* axis, const QColor& color) {
    axis->setBasePen(QPen(color, 1));
    axis->setTickPen(QPen(color, 1));
    axis->setSubTickPen(QPen(color, 1));
    axis->setTickLabelColor(color);
    axis->setLabelColor(color);
}

QCPItemText* InteractivePlot::addMessage(QCPItemPosition::PositionType anchor, int pointSize) {
    auto* message = new QCPItemText(this);
    message->setClipToAxisRect(false);
    message->position->setType(anchor);
    message->position->setCoords(0.5, 0.5);
    message->setPositionAlignment(Qt::AlignCenter);
    message->setTextAlignment(Qt::AlignCenter);
    message->setFont(QFont(font().family(), pointSize));
    return message;
}

QCPLayoutGrid* InteractivePlot::putLegendInRow(int row) {
    if (QCPLayout* current = legend->layout())
        current->take(legend);
    // In the plot before it gets its empty cells: adopting a grid walks its cells, and empty ones are null.
    auto* grid = new QCPLayoutGrid;
    plotLayout()->addElement(row, 0, grid);
    grid->addElement(0, 1, legend);
    grid->expandTo(1, 3);
    legend->setLayer(QStringLiteral("legend"));
    // setLayer() puts the legend last in its layer: entries made before would sit under its translucent
    // fill, washed out. Move them back on top.
    for (int i = 0; i < legend->itemCount(); ++i)
        legend->item(i)->setLayer(legend->layer());
    legend->setSizeConstraintRect(QCPLayoutElement::scrOuterRect);
    legend->setFillOrder(QCPLegend::foColumnsFirst);
    legend->setFont(QFont(font().family(), 8));
    return grid;
}

void InteractivePlot::mouseDoubleClickEvent(QMouseEvent* event) {
    QCustomPlot::mouseDoubleClickEvent(event);
    resetView();
}

void InteractivePlot::mousePressEvent(QMouseEvent* event) {
    m_pressPosition = event->position();
    QCustomPlot::mousePressEvent(event);
}

void InteractivePlot::mouseReleaseEvent(QMouseEvent* event) {
    QCustomPlot::mouseReleaseEvent(event);
    // Within a few pixels of where it was pressed it is a click; further, the press dragged the view.
    constexpr double kClickSlopPx = 4.0;
    if (event->button() == Qt::LeftButton &&
        QLineF(m_pressPosition, event->position()).length() <= kClickSlopPx)
        clickedAt(event->position());
}

void InteractivePlot::clickedAt(const QPointF& /*position*/) {}

void InteractivePlot::addContextActions(QMenu& /*menu*/) {}

void InteractivePlot::paletteChanged() {}

void InteractivePlot::contextMenuEvent(QContextMenuEvent* event) {
    QMenu menu(this);
    addContextActions(menu);
    if (!menu.isEmpty())
        menu.addSeparator();
    menu.addAction(tr("Export Image…"), this, &InteractivePlot::exportImage);
    menu.addAction(tr("Image Export Size…"), this, [this] { askImageExportSize(this); });
    menu.addAction(tr("Export Data as CSV…"), this, &InteractivePlot::exportData);
    menu.addSeparator();
    menu.addAction(tr("Reset view"), this, &InteractivePlot::resetView);
    menu.exec(event->globalPos());
}

ChartTable InteractivePlot::tableData() const {
    ChartTable table{{QStringLiteral("series"), QStringLiteral("x"), QStringLiteral("y")}, {}};
    for (const QCPAxisRect* rect : axisRects()) {
        for (QCPAbstractPlottable* plottable : rect->plottables()) {
            QCPPlottableInterface1D* points = plottable->interface1D();
            if (!points || !plottable->visible())
                continue;
            for (int i = 0; i < points->dataCount(); ++i)
                table.rows.push_back({plottable->name(), csvNumber(points->dataMainKey(i)),
                                      csvNumber(points->dataMainValue(i))});
        }
    }
    return table;
}

QString InteractivePlot::exportBaseName() const {
    QString name = QString::fromLatin1(metaObject()->className()).section(QStringLiteral("::"), -1);
    name.replace(QRegularExpression(QStringLiteral("([a-z0-9])([A-Z])")), QStringLiteral("\\1-\\2"));
    return name.toLower();
}

void InteractivePlot::exportImage() {
    exportImageInteractively(*this, exportBaseName());
}

void InteractivePlot::exportData() {
    exportCsvInteractively(this, exportBaseName(), [this](const QString& path) {
        const ChartTable table = tableData();
        writeCsv(path, table.header, table.rows);
    });
}

void InteractivePlot::refreshWhenShown(std::function<void()> refresh) {
    m_refresh->request(std::move(refresh));
}

void InteractivePlot::changeEvent(QEvent* event) {
    QCustomPlot::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyPalette();
        paletteChanged();
    }
}

} // namespace eenet
