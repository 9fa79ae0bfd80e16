#pragma once

#include "InteractivePlot.h"
#include "eval/ClassAccuracyChange.h"

#include <vector>

namespace eenet {

class Session;

/// Who pays for the savings: per class, the accuracy under the session's policy minus the accuracy of the
/// last exit, on the session's split, as horizontal bars sorted with the largest loss on top (losses in the
/// wrong colour, gains in the right one). Shows the kMaxRows classes that lose most when there are more
/// (1000-class files), and says so; the CSV export lists every class. Hovering a bar gives the class, its
/// samples and both accuracies. Follows the snapshot and the split.
class ClassAccuracyChart : public InteractivePlot {
    Q_OBJECT
public:
    /// Rows drawn at most: the classes that lose most.
    static constexpr int kMaxRows = 15;

    explicit ClassAccuracyChart(Session* session, QWidget* parent = nullptr);

    /// Every class of the shown split, largest loss first (empty without a policy).
    const std::vector<ClassAccuracyChange>& changes() const { return m_changes; }
    /// The bars drawn: losses (negative values) and gains, keyed by row (0 = top).
    QCPBars* losses() const { return m_losses; }
    QCPBars* gains() const { return m_gains; }
    QCPTextElement* title() const { return m_title; }
    /// The centred message shown instead of the bars (nothing loaded, no policy, the oracle's labels).
    QCPItemText* note() const { return m_note; }

    void resetView() override;
    /// One row per class, largest loss first: samples, both accuracies and their difference.
    ChartTable tableData() const override;

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void paletteChanged() override;

private:
    void rebuild();
    int rowCount() const;

    Session* m_session;
    QCPTextElement* m_title;
    QCPBars* m_losses;
    QCPBars* m_gains;
    QCPItemStraightLine* m_zero;
    QCPItemText* m_note;
    /// The title's first line, and its second line from the longest wording to the shortest.
    QString m_headline;
    QStringList m_details;
    std::vector<ClassAccuracyChange> m_changes;
};

} // namespace eenet
