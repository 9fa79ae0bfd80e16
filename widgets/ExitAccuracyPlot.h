#pragma once

#include "data/DatasetSummary.h"

#include <qcustomplot.h>

namespace eenet {

/// Standalone accuracy of every exit against its cumulative cost, validation and test.
/// Drag pans, the wheel zooms, a double click resets the view; hovering a point shows its numbers.
class ExitAccuracyPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit ExitAccuracyPlot(QWidget* parent = nullptr);

    void setSummary(const DatasetSummary& summary);
    /// Fits the axes to the data with a margin.
    void resetView();

    QCPGraph* valGraph() const { return m_val; }
    QCPGraph* testGraph() const { return m_test; }

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    QString pointTooltip(int exit) const;

    DatasetSummary m_summary;
    QCPGraph* m_val = nullptr;
    QCPGraph* m_test = nullptr;
    QList<QCPItemText*> m_labels;
};

} // namespace eenet
