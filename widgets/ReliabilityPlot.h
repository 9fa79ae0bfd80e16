#pragma once

#include "InteractivePlot.h"

#include <vector>

namespace eenet {

class Session;

/// Reliability diagrams, one small panel per exit, on the session's split: for each of the 15 confidence
/// bins (the max probability), the share of its samples the exit gets right, as bars, against the diagonal
/// a calibrated exit would follow; the same after temperature scaling as a line; each panel titled with the
/// exit's ECE before → after and its temperature. Bars under the diagonal are overconfidence. Follows the
/// session's calibration and split.
class ReliabilityPlot : public InteractivePlot {
    Q_OBJECT
public:
    explicit ReliabilityPlot(Session* session, QWidget* parent = nullptr);

    struct Panel {
        QCPAxisRect* rect = nullptr;
        QCPTextElement* title = nullptr;
        /// Accuracy per bin before scaling, keyed by bin centre (empty bins left out).
        QCPBars* before = nullptr;
        /// (mean confidence, accuracy) per non-empty bin after scaling.
        QCPGraph* after = nullptr;
        QCPGraph* diagonal = nullptr;
    };
    int panelCount() const { return static_cast<int>(m_panels.size()); }
    const Panel& panel(int exit) const { return m_panels.at(static_cast<size_t>(exit)); }
    /// The centred message shown instead of the panels (no file, still computing).
    QCPTextElement* note() const { return m_note; }

    void resetView() override;
    /// Per exit and bin, before and after: bin bounds, count, mean confidence and accuracy.
    ChartTable tableData() const override;

private:
    void rebuild();
    void setPanelCount(int count);

    Session* m_session;
    QCPLayoutGrid* m_grid;
    QCPTextElement* m_note;
    std::vector<Panel> m_panels;
};

} // namespace eenet
