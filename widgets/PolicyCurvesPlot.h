#pragma once

#include "ChosenCurveExtras.h"
#include "InteractivePlot.h"
#include "eval/BootstrapBands.h"
#include "eval/CurveSweep.h"

#include <map>
#include <set>

namespace eenet {

class Session;

/// Accuracy against realised average cost for every policy of the session's curves and its trained EENet
/// schedulers (each exit alone as points), on the session's split, with the current budget as a vertical
/// line that follows the slider and the chosen method's current point marked (a star for thresholds set by
/// hand, which are not fitted to the budget). Hovering a point shows budget, realised cost, accuracy, exit
/// fractions and thresholds.
///
/// The legend sits in a column right of the data, and clicking an entry hides or shows its curve (the
/// chosen method always shows). The chosen method is drawn on top, thicker; each method has its own marker
/// shape and the "-opt" variants and agreement their own dash pattern, so coinciding curves stay visible.
/// The oracle bound continues flat at its best accuracy to the right end of the cost axis (its ceiling). The
/// emphasised method's curve is shaded with its 90 % bootstrap band once computed; hovering a point gives it.
/// Once the curves of the other probabilities exist (the "Calibrate exits" switch), the emphasised method's
/// curve on them is drawn dotted beside it: before calibration, or after it.
class PolicyCurvesPlot : public InteractivePlot {
    Q_OBJECT
public:
    explicit PolicyCurvesPlot(Session* session, QWidget* parent = nullptr);

    /// The plotted curve of `method` (nullptr when absent).
    QCPCurve* curve(const std::string& method) const;
    QCPItemStraightLine* budgetLine() const { return m_budgetLine; }
    /// The chosen method at the current budget (hidden without a snapshot); a star named "custom" for
    /// thresholds set by hand.
    QCPGraph* currentPoint() const { return m_current; }
    /// The oracle's best accuracy continued from its last point to the right end of the cost axis
    /// (hidden without an oracle curve).
    QCPItemLine* oracleCeiling() const { return m_ceiling; }
    /// The emphasised method's 90 % bootstrap band (Session::bands), shaded between its low and high
    /// accuracy; both empty while the session has none for it.
    QCPGraph* bandLow() const { return m_extras.bandLow(); }
    QCPGraph* bandHigh() const { return m_extras.bandHigh(); }
    /// The emphasised method's curve on the other probabilities (Session::parkedCurveResults), dotted;
    /// empty while there is none.
    QCPCurve* otherCalibrationCurve() const { return m_extras.otherCalibration(); }
    QCPTextElement* title() const { return m_title; }
    /// How to open a file; shown, in place of the axes, while none is open.
    QCPItemText* emptyHint() const { return m_emptyHint; }
    /// Hides or shows the curve of `method` ("static" for each exit alone) as its legend entry does; the
    /// chosen method cannot be hidden. Kept across data updates.
    void setMethodHidden(const std::string& method, bool hidden);
    bool isMethodHidden(const std::string& method) const { return m_hidden.count(method) > 0; }
    void resetView() override;
    /// Every result of the session's curves and trained schedulers on both splits: method, split, budget,
    /// realised cost, accuracy, exit fractions and thresholds (static exits have no budget nor thresholds).
    ChartTable tableData() const override;

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void paletteChanged() override;

private:
    void rebuild();
    /// Places the budget line at the session's budget and the chosen method's point at the shown
    /// snapshot's; returns whether the point's legend entry changed (its name or marker).
    bool placeBudgetMarks();
    /// After a slider move or a new snapshot: the marks placed and redrawn.
    void moveBudgetMarks();
    void moveOracleCeiling();
    /// Draws the emphasised method's band and its curve on the other probabilities when the session has them.
    void placeExtras();
    /// Pens, markers, layers and legend entries from the chosen method and the hidden ones.
    void restyle();
    /// The method whose curve is drawn on top, thicker: the chosen one, or the base of custom thresholds.
    std::string emphasisedMethod() const;
    /// The band of a point of one of the session's curves (by identity), or nullptr.
    const Band* bandOf(const MethodResult& r) const;
    /// Method, split, budget, realised cost, accuracy, exit fractions and thresholds of a point.
    QString pointTooltip(const MethodResult& r) const;
    void legendClicked(QCPAbstractLegendItem* item);
    /// The method a legend entry stands for ("" for the current point's entry).
    std::string methodOfLegendItem(QCPAbstractLegendItem* item) const;
    const std::vector<MethodResult>& results(const Curve& curve) const;
    /// The trained schedulers' curves, then the heuristics'.
    std::vector<const Curve*> allCurves() const;

    Session* m_session;
    std::map<std::string, QCPCurve*> m_curves;
    QCPItemStraightLine* m_budgetLine;
    QCPGraph* m_current;
    bool m_currentIsCustom = false;
    QCPTextElement* m_title;
    QCPItemLine* m_ceiling;
    ChosenCurveExtras m_extras;
    /// How to open a file, in place of axes without units while none is open.
    QCPItemText* m_emptyHint;
    /// Draws nothing: the ceiling's legend entry (an item has none), recreated after the oracle's.
    QCPGraph* m_ceilingEntry = nullptr;
    std::set<std::string> m_hidden;
};

} // namespace eenet
