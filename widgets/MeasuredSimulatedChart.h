#pragma once

#include "InteractivePlot.h"

#include <optional>
#include <vector>

namespace eenet {

/// Measured against simulated, side by side in each group: the speed-up of each serving mode, or the
/// latency of each exit ("Run on model"). The solid bar is what ran on this machine, the pale one what the
/// file's costs predict; the value stands above each bar and hovering a bar gives the exact numbers.
class MeasuredSimulatedChart : public InteractivePlot {
    Q_OBJECT
public:
    struct Group {
        /// The tick label ("sample", "exit 2").
        QString label;
        QColor color;
        /// NaN draws no bar (no sample left at that exit).
        double measured = 0;
        double simulated = 0;
        /// Rich text shown when either bar is hovered.
        QString tooltip;
    };
    struct Axis {
        QString label;
        /// Appended to the values above the bars ("×"); empty for none.
        QString valueSuffix;
        int decimals = 2;
        /// A dashed horizontal reference, e.g. 1× (the full model); none when unset.
        std::optional<double> reference;
    };

    explicit MeasuredSimulatedChart(QWidget* parent = nullptr);
    /// What the chart says before a file is open, for the view to pass as its message.
    using InteractivePlot::openFileHint;

    /// Draws `groups` under `title`, or `message` instead when there are none.
    void show(const QString& title, const std::vector<Group>& groups, const Axis& axis,
              const QString& message);

    /// Shows the key (solid "measured", pale "simulated") beside the title; on by default. Charts side by
    /// side need it once.
    void setKeyShown(bool shown);

    const std::vector<Group>& groups() const { return m_groups; }
    /// The title as drawn (fitted to the width), the message shown instead of data, the labels above bars.
    QString titleText() const;
    QString messageText() const;
    QStringList valueLabels() const;

    void resetView() override;
    ChartTable tableData() const override;

protected:
    void paletteChanged() override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    void clearBars();
    /// The group under `position` (widget pixels), -1 for none.
    int groupAt(const QPointF& position) const;

    /// The row above the axes: the title, and the key at its right.
    QCPLayoutGrid* m_header;
    QCPTextElement* m_title;
    QString m_titleText;
    QCPItemText* m_message;
    QCPItemStraightLine* m_reference;
    /// Grey stand-ins that only label the legend: measured (solid) and simulated (pale).
    QCPBars* m_legendMeasured;
    QCPBars* m_legendSimulated;
    std::vector<QCPBars*> m_bars;
    std::vector<QCPItemText*> m_values;
    std::vector<Group> m_groups;
    Axis m_axis;
    bool m_keyShown = true;
};

} // namespace eenet
