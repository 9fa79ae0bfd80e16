#pragma once

#include "ClassExitOrder.h"
#include "InteractivePlot.h"

#include <Eigen/Core>

#include <vector>

namespace eenet {

class Session;
struct SampleSelection;
struct SplitPolicy;

/// Heatmap of where each class leaves under the current policy on the session's split: one row per class,
/// one column per exit, cell = share of the class's samples leaving at that exit
/// (PolicyOutcome::perClassExitFractions). The rows are the first rowLimit() classes of an order(): with up
/// to kManyClasses classes every class in class order, with more (1000-class files) the kDefaultRows classes
/// that exit latest, said in the title; a new file resets the choice, a new policy or split re-sorts under
/// it. Values are printed in the cells up to 20 rows; class names label as many rows as fit, more as the
/// wheel zooms into the rows (dragging scrolls them). Hovering shows class, exit, share and count; clicking a
/// cell selects that class's samples leaving at that exit. Follows the snapshot and the split.
class ClassExitMap : public InteractivePlot {
    Q_OBJECT
public:
    /// Files with more classes than this open on the kDefaultRows classes that exit latest.
    static constexpr int kManyClasses = 40;
    static constexpr int kDefaultRows = 20;

    explicit ClassExitMap(Session* session, QWidget* parent = nullptr);

    /// The order of the rows; the first rowLimit() classes of it are shown.
    ClassOrder order() const { return m_order; }
    void setOrder(ClassOrder order);
    /// Rows shown at most; 0 shows every class.
    int rowLimit() const { return m_rowLimit; }
    void setRowLimit(int rows);
    /// Classes in the shown file (0 without a map).
    int classCount() const { return m_numClasses; }
    /// The class of each row, top to bottom (row r at y = r).
    std::vector<int> rowClasses() const;
    /// Which rows are shown, "20 of 1000 classes that exit latest"; empty when every class is, in class
    /// order.
    const QString& caption() const { return m_caption; }

    /// Key = exit (0-based), value = row; cell (k, r) holds the share of class rowClasses()[r] leaving at k.
    QCPColorMap* colorMap() const { return m_map; }
    QCPColorScale* colorScale() const { return m_scale; }
    /// The printed value of every cell, row-major (empty when there are more than 20 rows; hidden while the
    /// rows are too thin for them).
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
    /// One row per class and exit (class-major, every class in order()): the share of the class leaving
    /// there and how many samples that is. Empty without a map.
    ChartTable tableData() const override;

Q_SIGNALS:
    /// The rows were rebuilt: a new policy, split or file, or another order or row limit.
    void rowsChanged();

protected:
    void clickedAt(const QPointF& position) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void paletteChanged() override;

private:
    void rebuild();
    /// Outlines the cell whose samples are the session's selection, if this chart made it.
    void showSelectedCell();
    /// Class names on as many rows of the visible range as fit without overlapping; the printed values
    /// shown only while every visible row has room for a line of them.
    void updateClassTicks();
    /// Keeps the rows scrolled within the map.
    void boundRows(const QCPRange& range);
    int rowOf(int cls) const;
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
    /// Share per (class, exit) on the shown split, [C x K]: the map holds the shown rows only.
    Eigen::MatrixXd m_fractions;
    /// Every class in m_order; the first m_rows are drawn.
    std::vector<int> m_ordered;
    int m_rows = 0;
    ClassOrder m_order = ClassOrder::ClassIndex;
    int m_rowLimit = 0;
    /// Set by a new file: the next map picks the order and row limit that suit its class count.
    bool m_pickDefaults = true;
    QString m_caption;
    int m_numExits = 0;
    int m_numClasses = 0;
};

} // namespace eenet
