#pragma once

#include "InteractivePlot.h"
#include "data/DatasetSummary.h"

namespace eenet {

/// Standalone accuracy of every exit against its cumulative cost, validation and test.
/// Hovering a point shows its numbers.
class ExitAccuracyPlot : public InteractivePlot {
    Q_OBJECT
public:
    explicit ExitAccuracyPlot(QWidget* parent = nullptr);

    void setSummary(const DatasetSummary& summary);
    /// Fits the axes to the data with a margin.
    void resetView() override;
    /// One row per exit: its cumulative cost and standalone validation and test accuracy (empty without a
    /// test split).
    ChartTable tableData() const override;

    QCPGraph* valGraph() const { return m_val; }
    QCPGraph* testGraph() const { return m_test; }

protected:
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    QString pointTooltip(int exit) const;

    DatasetSummary m_summary;
    QCPGraph* m_val = nullptr;
    QCPGraph* m_test = nullptr;
    QList<QCPItemText*> m_labels;
};

} // namespace eenet
