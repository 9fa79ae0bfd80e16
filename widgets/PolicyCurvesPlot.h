#pragma once

#include "eval/CurveSweep.h"

#include <qcustomplot.h>

#include <map>

namespace eenet {

class Session;

/// Accuracy against realised average cost for every policy of the session's curves (each exit alone as
/// points), on the validation or test split, with the current budget as a vertical line that follows the
/// slider. Hovering a point shows budget, realised cost, accuracy, exit fractions and thresholds.
class PolicyCurvesPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit PolicyCurvesPlot(Session* session, QWidget* parent = nullptr);

    void setSplit(Split split);
    Split split() const { return m_split; }
    /// The plotted curve of `method` (nullptr when absent).
    QCPCurve* curve(const std::string& method) const;
    QCPItemStraightLine* budgetLine() const { return m_budgetLine; }
    void resetView();

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    void rebuild();
    void moveBudgetLine(double budget);
    const std::vector<MethodResult>& results(const Curve& curve) const;

    Session* m_session;
    Split m_split = Split::Test;
    std::map<std::string, QCPCurve*> m_curves;
    QCPItemStraightLine* m_budgetLine;
};

} // namespace eenet
