#pragma once

#include "InteractivePlot.h"
#include "eval/Evaluator.h"

#include <optional>
#include <vector>

namespace eenet {

class Session;
struct PolicySnapshot;

/// Where the session's snapshot sends the samples: per exit, the percentage of each split leaving there,
/// correct (solid) with wrong stacked on top (hatched), validation and test side by side. The title names
/// method and budget and says how far the realised cost is from the budget on each split. Hovering a bar
/// shows its counts; clicking it puts exactly its samples into the session's selection and keeps it outlined
/// while they are.
class ExitDistributionPlot : public InteractivePlot {
    Q_OBJECT
public:
    explicit ExitDistributionPlot(Session* session, QWidget* parent = nullptr);

    /// The bars of one split and correctness; keys are 1-based exit positions (shifted per split).
    QCPBars* bars(Split split, bool correct) const;
    /// The centred message shown instead of bars ("No data", or why the method cannot be shown yet).
    QCPItemText* message() const { return m_message; }
    QString title() const;
    QString subtitle() const;

    /// What a click on that bar does: selects that split's samples leaving at `exit` (0-based) that are
    /// correct (or wrong) there. Does nothing without an available snapshot that has the split.
    void selectBar(Split split, int exit, bool correct);
    void resetView() override;
    /// One row per split and exit as drawn: correct and wrong counts, and their percentages of the split
    /// (the bar heights). Empty without bars.
    ChartTable tableData() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void clickedAt(const QPointF& position) override;
    void paletteChanged() override;

private:
    struct BarHit {
        Split split;
        int exit;
        bool correct;
    };

    void rebuild();
    /// Outlines the bar whose samples are the session's selection, if this chart made it.
    void showSelectedBar();
    void showMessage(const QString& text);
    /// Realised costs and note, broken into lines that fit the current width.
    void updateSubtitle();
    std::optional<BarHit> barAt(const QPointF& pixel) const;
    QString barTooltip(const BarHit& hit) const;
    QString costText(double cost) const;

    Session* m_session;
    QCPTextElement* m_title;
    QCPTextElement* m_subtitle;
    QCPItemText* m_message;
    /// [split][correct]: val = 0, test = 1; wrong = 0, correct = 1.
    QCPBars* m_bars[2][2];
    /// Samples behind each bar, [split][correct][exit], as counted at the last rebuild.
    std::vector<int> m_counts[2][2];
    /// "realised cost: val ... (...)", "test ... (...)": the subtitle's pieces before line breaking.
    QStringList m_realisedCosts;
    QString m_note;
};

} // namespace eenet
