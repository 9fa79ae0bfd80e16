#pragma once

#include "ChartExport.h"

#include <qcustomplot.h>

#include <functional>

namespace eenet {

class DeferredRefresh;

/// Base of every chart in the studio: the wheel zooms, dragging pans, a double click or the context menu's
/// "Reset view" fits the data again, and the colours follow the widget palette (light or dark). The context
/// menu also exports the chart as an image (PNG, PDF, SVG) and the numbers it draws as CSV (tableData()).
/// Subclasses call applyPalette() at the end of their constructor, once their axes and titles exist.
class InteractivePlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit InteractivePlot(QWidget* parent = nullptr);

    /// Fits the axes to the data (default: every axis rect's axes with a 5 % margin) and queues a replot.
    virtual void resetView();

    /// Background, axes, ticks, grid and legend in the current palette's colours; called on palette changes.
    void applyPalette();

    /// The numbers the chart draws, one row per drawn value, for "Export Data as CSV…". The default lists
    /// every one-dimensional plottable's points (series, x, y); charts override it with named columns.
    virtual ChartTable tableData() const;

protected:
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    /// A left click in place (a drag pans instead) at `position` in widget pixels; charts whose bars, bins
    /// or cells select samples override it.
    virtual void clickedAt(const QPointF& position);
    void contextMenuEvent(QContextMenuEvent* event) override;
    void changeEvent(QEvent* event) override;
    /// Runs `refresh` now, unless the chart sits hidden in a shown window (a dock tabbed away): then at its
    /// next show, so charts nobody looks at cost nothing while the slider moves.
    void refreshWhenShown(std::function<void()> refresh);
    /// Entries a chart adds to its context menu (before the export entries and "Reset view").
    virtual void addContextActions(QMenu& menu);
    /// After applyPalette() on a palette change (light/dark theme): charts restyle what applyPalette() does
    /// not reach (their own items, labels and extra axes).
    virtual void paletteChanged();
    /// Axis line, ticks, tick labels and label in `color`: for axes outside the layout's axis rects too
    /// (a colour scale's).
    static void styleAxis(QCPAxis* axis, const QColor& color);
    /// A centred message over the chart (no data, nothing trained yet), placed by `anchor` ratio
    /// (the axis rect or the whole viewport) so it shows even while the axes are hidden.
    QCPItemText* addMessage(QCPItemPosition::PositionType anchor, int pointSize);
    /// Moves the legend (out of the axis rect, or wherever it is) into `row` of the plot layout, centred
    /// between two empty cells that take the spare width.
    QCPLayoutGrid* putLegendInRow(int row);
    /// Sets `title` to two lines fitted to its width (call it at every layout, afterLayout): `headline`
    /// elided, then the first of `details` (longest wording first) that fits, else the last one elided.
    /// So a title is never clipped at either end.
    static void fitTitle(QCPTextElement* title, const QString& headline, const QStringList& details);
    /// What an empty chart says before any file is open: how to open one.
    static QString openFileHint();
    /// Shows or hides the main axis rect's axes and their grids: before a file is open a chart shows
    /// openFileHint() instead of axes without units.
    void setAxesShown(bool shown);
    /// Keeps bar `index` of `bars` outlined in the text colour (its fill unchanged), or no bar when `index`
    /// is negative: the clicked bar or bin stays marked while its samples are the session's selection.
    void highlightBar(QCPBars* bars, int index) const;

private:
    /// The dialogs behind the context menu's export entries.
    void exportImage();
    void exportData();
    /// A file name to suggest, from the class name: "ExitDistributionPlot" gives "exit-distribution-plot".
    QString exportBaseName() const;

    DeferredRefresh* m_refresh;
    QPointF m_pressPosition;
};

} // namespace eenet
