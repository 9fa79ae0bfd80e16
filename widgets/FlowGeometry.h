#pragma once

#include <QPainterPath>
#include <QPointF>
#include <QRectF>

#include <vector>

namespace eenet {

class ExitFlow;
struct Flight;

/// Widths in pixels of the flow view's texts, known from the view's size and the number of exits alone, so
/// the canvas can fit its texts before it lays out the drawing around their heights.
struct FlowTextWidths {
    /// The title and the caption span the view.
    double line = 0;
    double stageText = 0;
    double gateText = 0;
    double trayText = 0;
};

/// Heights in pixels of the texts the flow view reserves room for, measured by the canvas in its fonts.
struct FlowTextHeights {
    double title = 0;
    /// Heading each column: the exit's name and cost.
    double stageText = 0;
    /// Under the heading, right of the stage box and above the band: the gate's rule.
    double gateText = 0;
    /// Under an exit's tray: how many leave there, correct and wrong.
    double trayText = 0;
    double caption = 0;
};

/// Where the flow view draws everything, in widget pixels, for one size and one ExitFlow; computed again on
/// a resize or a new snapshot, read by painting, tooltips and the animation.
///
/// Each exit has a column: a heading (name and cost), its stage box around the band, then a turn zone
/// under the gate's rule where the samples leaving at its gate bend down to its tray. The main band is
/// top-aligned and its thickness is proportional to the samples still computing, so the samples leaving at
/// exit k occupy the same slice of it from the start: the band's bottom part that peels off at gate k. Within
/// that slice the correct ones sit on the inner side of the bend, the wrong ones on the outer side.
class FlowGeometry {
public:
    struct Stage {
        /// The exit's whole column, from the top of its heading to the bottom of its tray text.
        QRectF column;
        QRectF box;
        QRectF stageText;
        QRectF gateText;
        QRectF trayText;
        /// Where samples enter this stage (the previous gate, or the band's start) and the gate's x.
        double entryX = 0;
        double gateX = 0;
        /// y of the inner (lower) edge of the slice leaving here, and the thickness of its correct and
        /// wrong parts.
        double sliceBottom = 0;
        double correctPx = 0;
        double wrongPx = 0;
    };

    FlowGeometry() = default;
    FlowGeometry(const QRectF& area, const ExitFlow& flow, const FlowTextHeights& heights);

    static FlowTextWidths textWidths(const QRectF& area, int numExits);

    const std::vector<Stage>& stages() const { return m_stages; }
    QRectF title() const { return m_title; }
    QRectF caption() const { return m_caption; }
    double bandTop() const { return m_bandTop; }
    /// Thickness of the band at the entrance, where every sample is still computing.
    double bandHeight() const { return m_bandHeight; }
    double trayY() const { return m_trayY; }
    /// Side of a sample's thumbnail (or diameter of its dot) in flight.
    double markerPx() const { return m_markerPx; }

    /// The band of samples still computing, from the entrance to the last gate.
    QPainterPath computingBand() const;
    /// The correct (or wrong) leavers of `exit`, from its gate down to its tray.
    QPainterPath leavingBand(int exit, bool correct) const;
    /// Where `flight` is drawn; `lane` in [0, 1] spreads samples across their part of the slice.
    QPointF pointOf(const Flight& flight, bool correct, double lane) const;
    /// The exit whose column holds `point`, or -1.
    int exitAt(const QPointF& point) const;

private:
    /// Distance from the slice's inner edge of a sample in `lane` of the correct or wrong part.
    double laneOffset(const Stage& stage, bool correct, double lane) const;

    std::vector<Stage> m_stages;
    QRectF m_title;
    QRectF m_caption;
    double m_bandTop = 0;
    double m_bandHeight = 0;
    double m_turnRadius = 0;
    double m_trayY = 0;
    double m_markerPx = 0;
};

} // namespace eenet
