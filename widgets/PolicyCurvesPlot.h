#pragma once

#include "InteractivePlot.h"
#include "eval/CurveSweep.h"

#include <map>

namespace eenet {

class Session;

/// Accuracy against realised average cost for every policy of the session's curves and its trained EENet
/// schedulers (each exit alone as points), on the session's split, with the current budget as a vertical
/// line that follows the slider and the chosen method's current point marked. Hovering a point shows
/// budget, realised cost, accuracy, exit fractions and thresholds.
class PolicyCurvesPlot : public InteractivePlot {
    Q_OBJECT
public:
    explicit PolicyCurvesPlot(Session* session, QWidget* parent = nullptr);

    /// The plotted curve of `method` (nullptr when absent).
    QCPCurve* curve(const std::string& method) const;
    QCPItemStraightLine* budgetLine() const { return m_budgetLine; }
    /// The chosen method at the current budget (hidden without a snapshot).
    QCPGraph* currentPoint() const { return m_current; }
    void resetView() override;
    /// Every result of the session's curves and trained schedulers on both splits: method, split, budget,
    /// realised cost, accuracy, exit fractions and thresholds (static exits have no budget nor thresholds).
    ChartTable tableData() const override;

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void paletteChanged() override;

private:
    void rebuild();
    void moveBudgetLine(double budget);
    void moveCurrentPoint();
    const std::vector<MethodResult>& results(const Curve& curve) const;
    /// The trained schedulers' curves, then the heuristics'.
    std::vector<const Curve*> allCurves() const;

    Session* m_session;
    std::map<std::string, QCPCurve*> m_curves;
    QCPItemStraightLine* m_budgetLine;
    QCPGraph* m_current;
};

} // namespace eenet
