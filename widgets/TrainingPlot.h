#pragma once

#include "InteractivePlot.h"
#include "policy/EENetTrainer.h"

#include <vector>

namespace eenet {

class Session;

/// Live history of the session's latest EENet training run: the loss terms (BCE, KL, cost) on top and the
/// assignment head's expected cost per step below, with the run's budget as a horizontal line; both share
/// the step axis. Background bands show the score phase and the assignment phase. Progress steps are
/// appended to the graphs in place, so a run of hundreds of steps stays cheap.
class TrainingPlot : public InteractivePlot {
    Q_OBJECT
public:
    /// A run of consecutive steps in the same phase, shaded in both panels.
    struct PhaseBand {
        int firstStep = 0;
        int lastStep = 0;
        bool scorePhase = true;
        /// Top and bottom panel's rectangles, from firstStep - 0.5 to lastStep + 0.5.
        QCPItemRect* lossRect = nullptr;
        QCPItemRect* costRect = nullptr;
    };

    explicit TrainingPlot(Session* session, QWidget* parent = nullptr);

    QCPGraph* bceGraph() const { return m_bce; }
    QCPGraph* klGraph() const { return m_kl; }
    QCPGraph* costLossGraph() const { return m_costLoss; }
    QCPGraph* expectedCostGraph() const { return m_expectedCost; }
    QCPItemStraightLine* budgetLine() const { return m_budgetLine; }
    const std::vector<PhaseBand>& phaseBands() const { return m_bands; }
    QCPAxisRect* lossRect() const { return m_lossRect; }
    QCPAxisRect* costRect() const { return m_costRect; }
    QCPTextElement* title() const { return m_title; }
    /// "No training yet: ..." while the run is empty; hidden otherwise.
    QCPItemText* note() const { return m_note; }

    void resetView() override;
    /// One row per plotted step of the run: phase, the loss terms, the expected cost and the run's budget.
    ChartTable tableData() const override;

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void paletteChanged() override;

private:
    void followRun();
    void startOver();
    void append(const TrainingProgress& progress);
    void addBand(int step, bool scorePhase);
    void updateTitle();
    void updateLossScale();
    void styleLabels();

    Session* m_session;
    QCPTextElement* m_title;
    QCPAxisRect* m_lossRect;
    QCPAxisRect* m_costRect;
    QCPGraph* m_bce;
    QCPGraph* m_kl;
    QCPGraph* m_costLoss;
    QCPGraph* m_expectedCost;
    QCPItemStraightLine* m_budgetLine;
    QCPItemText* m_budgetLabel;
    QCPItemText* m_note;
    std::vector<PhaseBand> m_bands;
    /// How many history points the graphs hold, and for which run.
    size_t m_shownSteps = 0;
    double m_shownBudget = 0;
    bool m_allLossesPositive = true;
};

} // namespace eenet
