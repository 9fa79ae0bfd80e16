#pragma once

#include <qcustomplot.h>

#include <functional>

namespace eenet {

/// Base of every chart in the studio: the wheel zooms, dragging pans, a double click or the context menu's
/// "Reset view" fits the data again, and the colours follow the widget palette (light or dark).
/// Subclasses call applyPalette() at the end of their constructor, once their axes and titles exist.
class InteractivePlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit InteractivePlot(QWidget* parent = nullptr);

    /// Fits the axes to the data (default: every axis rect's axes with a 5 % margin) and queues a replot.
    virtual void resetView();

    /// Background, axes, ticks, grid and legend in the current palette's colours; called on palette changes.
    void applyPalette();

protected:
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;
    /// Runs `refresh` now, unless the chart sits hidden in a shown window (a dock tabbed away): then at its
    /// next show, so charts nobody looks at cost nothing while the slider moves.
    void refreshWhenShown(std::function<void()> refresh);
    /// Entries a chart adds to its context menu (before "Reset view").
    virtual void addContextActions(QMenu& menu);

private:
    std::function<void()> m_pendingRefresh;
};

} // namespace eenet
