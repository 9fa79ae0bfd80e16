#pragma once

#include "InteractivePlot.h"

#include <vector>

namespace eenet {

class Session;
struct SampleSelection;
struct SplitPolicy;

/// Heatmap of where each class leaves under the current policy on the session's split: one row per class
/// (in class order, top to bottom), one column per exit, cell = share of the class's samples leaving at
/// that exit (PolicyOutcome::perClassExitFractions). Values are printed in the cells up to 20 classes;
/// beyond that only every n-th class name is a tick label. Hovering shows class, exit, share and count;
/// clicking a cell selects that class's samples leaving at that exit. Follows the snapshot and the split.
class ClassExitMap : public InteractivePlot {
    Q_OBJECT
public:
    explicit ClassExitMap(Session* session, QWidget* parent = nullptr);

    /// Key = exit (0-based), value = class; cell (k, c) holds the share of class c leaving at exit k.
    QCPColorMap* colorMap() const { return m_map; }
    QCPColorScale* colorScale() const { return m_scale; }
    /// The printed value of every cell, row-major by class (empty when there are more than 20 classes).
    const std::vector<QCPItemText*>& cellTexts() const { return m_cellTexts; }
    /// The centred message shown instead of the map (nothing loaded, no snapshot, snapshot unavailable).
    QCPItemText* note() const { return m_note; }
    /// The outline around the clicked cell; hidden while the selection comes from elsewhere.
    QCPItemRect* selectedCell() const { return m_selectedCell; }

    /// The samples of class `cls` that leave at exit `exit` on the shown split, with a description.
    SampleSelection cellSelection(int cls, int exit) const;
    /// Sets cellSelection(cls, exit) as the session's selection.
    void selectCell(int cls, int exit);
    /// The cell under a widget position: false outside the map.
    bool cellAt(const QPointF& position, int* cls, int* exit) const;

    /// Two lines, "Where each class leaves" and what is shown; fitted to its width at every layout (a
    /// shorter wording, then elided), never clipped at either end.
    QCPTextElement* title() const { return m_title; }

    void resetView() override;
    /// One row per class and exit (class-major, as the cells): the share of the class leaving there and how
    /// many samples that is. Empty without a map.
    ChartTable tableData() const override;

protected:
    void clickedAt(const QPointF& position) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void paletteChanged() override;

private:
    void rebuild();
    /// Outlines the cell whose samples are the session's selection, if this chart made it.
    void showSelectedCell();
    void updateClassTicks();
    void styleColorScale();
    void fitTitle();

    Session* m_session;
    QCPColorMap* m_map;
    QCPColorScale* m_scale;
    QCPTextElement* m_title;
    QString m_headline;
    /// The title's second line, longest wording first; empty without a map.
    QStringList m_details;
    QCPItemText* m_note;
    QCPItemRect* m_selectedCell;
    std::vector<QCPItemText*> m_cellTexts;
    /// Samples per (class, exit) on the shown split, [C * K], row-major by class; for tooltips.
    std::vector<int> m_counts;
    int m_numExits = 0;
    int m_numClasses = 0;
};

} // namespace eenet
