#pragma once

#include "InteractivePlot.h"

#include <optional>
#include <vector>

namespace eenet {

class Session;
class ThresholdEditor;
struct SampleSelection;
struct SplitPolicy;

/// Small multiples, one per exit 1..K-1 (the last exit takes everyone left and has no threshold): the
/// scores at exit k of the samples of the session's split that reach exit k, stacked correct / wrong at
/// that exit, with the threshold T_k as a vertical line. Samples right of the line leave at exit k. Bins
/// are aligned so that T_k falls on a bin edge: a bin holds either leaving or continuing samples, never
/// both. Clicking a bar selects its samples in the session and keeps the bar outlined while they are
/// selected. Follows the snapshot and the split.
///
/// The threshold lines can be set by hand (the What-If move): drag a line, or double-click it (or its label,
/// or choose "Set threshold…" in a panel's context menu) and type a value. The session's method then
/// becomes "custom", on the scores shown (Session::setThresholdByHand), and every linked view follows while
/// the line moves; the axes keep still until the drag ends.
class ThresholdHistograms : public InteractivePlot {
    Q_OBJECT
public:
    /// One exit's histogram. Bins are counted from `origin` (T_k when the scores straddle it, else their
    /// minimum), which is the lower edge of bin `originBin`.
    struct Panel {
        int exit = 0;
        QCPAxisRect* rect = nullptr;
        /// Stacked bars, one data point per bin (empty bins included): keys are bin centres.
        QCPBars* correct = nullptr;
        QCPBars* wrong = nullptr;
        /// Hidden when T_k is not finite.
        QCPItemStraightLine* threshold = nullptr;
        /// "T = 0.912", or "nobody leaves here" when T_k = +inf. Placed at every layout so that it lies
        /// inside the axis rect: right of the line, else left of it, else pushed inward.
        QCPItemText* thresholdLabel = nullptr;
        /// T_k as drawn: the session's snapshot may be newer while the chart is out of sight.
        double thresholdValue = 0;
        double origin = 0;
        int originBin = 0;
        double binWidth = 1;
        int binCount = 0;
        /// Samples of the split reaching this exit (exitOf >= exit), ascending.
        std::vector<int> reaching;

        double binLower(int bin) const { return origin + (bin - originBin) * binWidth; }
    };

    explicit ThresholdHistograms(Session* session, QWidget* parent = nullptr);
    /// Disconnects the editor first: hiding it while the widgets go away must not reach destroyed panels.
    ~ThresholdHistograms() override;

    /// A threshold as the labels print it: at least 3 significant digits, and as many more (up to 6) as
    /// it takes to tell the value and its distance to 1 apart, so 0.99963 never prints as "1".
    static QString thresholdText(double threshold);

    int panelCount() const { return static_cast<int>(m_panels.size()); }
    const Panel& panel(int index) const { return m_panels.at(static_cast<size_t>(index)); }
    /// The bin of `score` in panel `index` (clamped to the first and last bin).
    int binOf(int index, double score) const;
    /// The samples reaching the panel's exit whose score is in `bin` and whose prediction there is
    /// correct (or wrong), with a description; what a click on that bar selects.
    SampleSelection binSelection(int index, int bin, bool correct) const;
    /// Sets binSelection(index, bin, correct) as the session's selection.
    void selectBin(int index, int bin, bool correct);
    /// The panel whose threshold line or label is within grabbing distance of `position` (widget pixels);
    /// -1 when none.
    int thresholdAt(const QPointF& position) const;
    /// Opens the inline editor on panel `index`'s threshold; Enter sets the typed value by hand.
    void editThreshold(int index);
    ThresholdEditor* thresholdEditor() const { return m_editor; }
    /// The centred message shown instead of panels (oracle, no snapshot); hidden while panels show.
    QCPTextElement* note() const { return m_note; }
    QCPTextElement* title() const { return m_title; }

    void resetView() override;
    /// One row per panel and bin as drawn: exit, bin edges, correct and wrong counts, and the exit's
    /// threshold. Empty without panels.
    ChartTable tableData() const override;

protected:
    void clickedAt(const QPointF& position) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void addContextActions(QMenu& menu) override;
    void paletteChanged() override;

private:
    struct Hit {
        int panel;
        int bin;
        bool correct;
    };

    /// A count with grouped digits ("3,210"), whatever the system locale.
    static QString grouped(int n);
    void rebuild();
    /// Outlines the bin whose samples are the session's selection, if this chart made it.
    void showSelectedBin();
    void setPanelCount(int count);
    void fillPanel(Panel& panel, const SplitPolicy& shown, double threshold);
    void placeThresholdLabels();
    void showNote(const QString& text);
    void hideNote();
    std::optional<Hit> hitAt(const QPointF& position) const;
    QString binRange(const Panel& panel, int bin) const;
    /// Explains the bar under the mouse in a tooltip.
    void explainBarAt(QMouseEvent* event);
    /// The panel whose axis rect holds `position`; -1 when none.
    int panelAt(const QPointF& position) const;
    /// Sets the dragged panel's threshold where the mouse is (kept inside the panel).
    void dragThresholdTo(const QPointF& position);

    Session* m_session;
    QCPTextElement* m_title;
    QCPLayoutGrid* m_grid;
    QCPMarginGroup* m_margins;
    QCPTextElement* m_note;
    std::vector<Panel> m_panels;
    ThresholdEditor* m_editor;
    /// The panel whose threshold line is being dragged (-1: none) and the line's pixel offset from the
    /// mouse, so the line does not jump to the pointer when grabbed a few pixels beside it.
    int m_draggedPanel = -1;
    double m_grabOffsetPx = 0;
    /// The panel whose threshold the editor is editing.
    int m_editedPanel = -1;
    /// Where the context menu was asked for, for its "Set threshold…" entry.
    QPointF m_contextPosition;
};

} // namespace eenet
