#pragma once

#include "eval/BootstrapBands.h"
#include "eval/Evaluator.h"

#include <qcustomplot.h>

#include <string>
#include <vector>

namespace eenet {

/// What the curves view draws around the chosen method's curve: its 90 % bootstrap band, shaded, and its
/// curve on the other probabilities (before calibration while calibrated ones are shown, after it
/// otherwise), dotted, so a user sees what calibration changes and what it does not. Owned by the plot.
class ChosenCurveExtras {
public:
    explicit ChosenCurveExtras(QCustomPlot* plot);

    QCPGraph* bandLow() const { return m_bandLow; }
    QCPGraph* bandHigh() const { return m_bandHigh; }
    /// Empty while there is no such curve.
    QCPCurve* otherCalibration() const { return m_other; }

    struct Chosen {
        std::string method;
        /// The chosen curve's points on the shown split; nullptr when it has no curve, or is hidden.
        const std::vector<MethodResult>* points = nullptr;
        /// One per point, or nullptr.
        const std::vector<Band>* bands = nullptr;
        /// The same method's points on the other probabilities, or nullptr.
        const std::vector<MethodResult>* otherPoints = nullptr;
        /// Whether the shown points are of calibrated probabilities.
        bool calibrated = false;
    };
    /// Redraws both for `chosen`, in the method's colour; draws nothing of what is missing.
    void place(const Chosen& chosen);

private:
    QCPGraph* m_bandLow;
    QCPGraph* m_bandHigh;
    QCPCurve* m_other;
};

} // namespace eenet
