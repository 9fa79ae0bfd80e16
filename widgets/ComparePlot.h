#pragma once

#include "InteractivePlot.h"
#include "eval/PairedComparison.h"

namespace eenet {

/// A minus B in accuracy (pp) at each of A's realised costs, with ±2 standard-error bars and the mean over
/// budgets as a horizontal band: bars that cross zero are differences the samples cannot tell from none.
class ComparePlot : public InteractivePlot {
    Q_OBJECT
public:
    explicit ComparePlot(QWidget* parent = nullptr);

    /// Draws `comparison`, or a message instead (`message` when there is no comparison).
    void show(const PairedComparison* comparison, const QString& costUnit, const QString& message);
    QCPGraph* deltas() const { return m_deltas; }
    QCPErrorBars* errors() const { return m_errors; }
    QCPItemText* message() const { return m_message; }

    void resetView() override;
    ChartTable tableData() const override;

protected:
    void paletteChanged() override;

private:
    QCPGraph* m_deltas;
    QCPErrorBars* m_errors;
    QCPItemStraightLine* m_zero;
    QCPItemRect* m_meanBand;
    QCPItemText* m_message;
    std::optional<PairedComparison> m_shown;
};

} // namespace eenet
