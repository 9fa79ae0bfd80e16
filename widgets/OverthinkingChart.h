#pragma once

#include "InteractivePlot.h"

#include "eval/Overthinking.h"

#include <QStringList>

#include <vector>

namespace eenet {

/// Per exit but the last, two bars against the last exit: the samples this exit gets right and the last
/// exit wrong (stopping here helps, solid), and the reverse (stopping here hurts, hatched). Hovering a bar
/// gives its count and how many of those samples the current policy actually stops there; clicking it emits
/// barClicked. Plain data in, a signal out: OverthinkingView feeds it.
class OverthinkingChart : public InteractivePlot {
    Q_OBJECT
public:
    explicit OverthinkingChart(QWidget* parent = nullptr);

    /// `all`: per exit over every sample; `leaving`: per exit among the samples `policy` sends there (empty
    /// without a policy). `exitNames` has one name per exit.
    void setComparison(const std::vector<ExitVsLast>& all, const std::vector<ExitVsLast>& leaving,
                       const QStringList& exitNames, const QString& policy);
    /// No bars, `message` in their place.
    void showMessage(const QString& message);
    /// Outlines the bar of `exit` (helps or hurts), or none when `exit` is negative.
    void highlight(int exit, bool helps);

    /// One bar per exit but the last: exit k's helps bar at k + 1 − 0.2, its hurts bar at k + 1 + 0.2.
    QCPBars* helpsBars() const { return m_helps; }
    QCPBars* hurtsBars() const { return m_hurts; }
    QCPItemText* message() const { return m_message; }
    /// The bar under a widget position: false when there is none.
    bool barAt(const QPointF& position, int* exit, bool* helps) const;

    void resetView() override;
    /// One row per exit but the last: helps and hurts over all samples and among those the policy stops
    /// there.
    ChartTable tableData() const override;

Q_SIGNALS:
    void barClicked(int exit, bool helps);

protected:
    void clickedAt(const QPointF& position) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void paletteChanged() override;

private:
    struct Counts {
        int helps = 0;
        int hurts = 0;
        int helpsLeaving = 0;
        int hurtsLeaving = 0;
    };

    void styleBars();
    void clearBars();

    QCPBars* m_helps;
    QCPBars* m_hurts;
    QCPItemText* m_message;
    /// The count printed above each bar.
    std::vector<QCPItemText*> m_countLabels;
    std::vector<Counts> m_counts;
    QStringList m_exitNames;
    QString m_policy;
};

} // namespace eenet
