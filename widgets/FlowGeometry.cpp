#include "FlowGeometry.h"
#include "ExitFlow.h"
#include "FlowAnimation.h"

#include <algorithm>
#include <cmath>

namespace eenet {
namespace {

constexpr double kMarginPx = 6;
/// The band runs this far before the first stage box, so samples are seen entering it.
constexpr double kEntryPx = 30;
constexpr double kGapPx = 4;
/// Share of a column taken by the stage box; the rest is the turn zone where leavers bend down, as wide
/// as the band may be thick.
constexpr double kBoxShare = 0.36;
/// The stage box stands this far above and below the band.
constexpr double kBoxPaddingPx = 4;
constexpr double kMinDropPx = 16;
/// Neighbouring trays' texts stay this far from their column's edges, so they never read as one line.
constexpr double kTrayMarginPx = 7;
constexpr double kMinBandPx = 12;
/// Thicker than this, the band would dwarf the texts on a tall view without showing anything more.
constexpr double kMaxBandPx = 150;
constexpr double kPi = 3.14159265358979323846;

double columnWidth(const QRectF& area, int numExits) {
    return (area.width() - 2 * kMarginPx - kEntryPx) / std::max(numExits, 1);
}

} // namespace

FlowTextWidths FlowGeometry::textWidths(const QRectF& area, int numExits) {
    const double column = columnWidth(area, numExits);
    const double box = kBoxShare * column;
    return {area.width() - 2 * kMarginPx, column - 4, column - box - 2 * kGapPx, column - 2 * kTrayMarginPx};
}

FlowGeometry::FlowGeometry(const QRectF& area, const ExitFlow& flow, const FlowTextHeights& heights) {
    const double column = columnWidth(area, flow.numExits());
    const double boxWidth = kBoxShare * column;
    const double turnWidth = column - boxWidth;
    const FlowTextWidths widths = textWidths(area, flow.numExits());
    const double left = area.left() + kMarginPx;
    m_turnRadius = std::clamp(0.12 * turnWidth, 4.0, 12.0);
    m_title = QRectF(left, area.top() + kGapPx, widths.line, heights.title);
    m_caption = QRectF(left, area.bottom() - kGapPx - heights.caption, widths.line, heights.caption);

    const double stageTextTop = m_title.bottom() + kGapPx;
    const double gateTextTop = stageTextTop + heights.stageText + kGapPx;
    m_bandTop = gateTextTop + heights.gateText + kGapPx + kBoxPaddingPx;
    const double trayTextTop = m_caption.top() - kGapPx - heights.trayText;
    m_trayY = trayTextTop - kGapPx;
    // Every leaving slice, the widest being the whole band, must bend inside its turn zone and still have
    // a visible drop to its tray.
    const double widthLimit = turnWidth - m_turnRadius - kGapPx;
    const double heightLimit = m_trayY - kMinDropPx - m_turnRadius - m_bandTop;
    m_bandHeight = std::max(std::min({widthLimit, heightLimit, kMaxBandPx}), kMinBandPx);
    m_markerPx = std::clamp(0.3 * m_bandHeight, 10.0, 28.0);

    const double pxPerSample = m_bandHeight / std::max(flow.numSamples(), 1);
    for (int k = 0; k < flow.numExits(); ++k) {
        const FlowBand& band = flow.bands()[static_cast<size_t>(k)];
        const double columnLeft = left + kEntryPx + k * column;
        Stage stage;
        stage.entryX = k == 0 ? left : m_stages.back().gateX;
        stage.gateX = columnLeft + boxWidth;
        stage.box = QRectF(columnLeft, m_bandTop - kBoxPaddingPx, boxWidth, m_bandHeight + 2 * kBoxPaddingPx);
        stage.stageText = QRectF(columnLeft + 2, stageTextTop, widths.stageText, heights.stageText);
        stage.gateText = QRectF(stage.gateX + kGapPx, gateTextTop, widths.gateText, heights.gateText);
        stage.trayText = QRectF(columnLeft + kTrayMarginPx, trayTextTop, widths.trayText, heights.trayText);
        stage.column = QRectF(columnLeft, stageTextTop, column, stage.trayText.bottom() - stageTextTop);
        stage.sliceBottom = m_bandTop + band.entering() * pxPerSample;
        stage.correctPx = band.leftCorrect * pxPerSample;
        stage.wrongPx = band.leftWrong * pxPerSample;
        m_stages.push_back(stage);
    }
}

QPainterPath FlowGeometry::computingBand() const {
    QPainterPath path;
    if (m_stages.empty())
        return path;
    path.moveTo(m_stages.front().entryX, m_bandTop);
    path.lineTo(m_stages.back().gateX, m_bandTop);
    // The lower edge steps up at every gate by the slice that leaves there.
    for (auto stage = m_stages.rbegin(); stage != m_stages.rend(); ++stage) {
        path.lineTo(stage->gateX, stage->sliceBottom);
        path.lineTo(stage->entryX, stage->sliceBottom);
    }
    path.closeSubpath();
    return path;
}

QPainterPath FlowGeometry::leavingBand(int exit, bool correct) const {
    const Stage& stage = m_stages[static_cast<size_t>(exit)];
    const double inner = correct ? 0.0 : stage.correctPx;
    const double outer = inner + (correct ? stage.correctPx : stage.wrongPx);
    QPainterPath path;
    if (outer <= inner)
        return path;
    // Concentric quarter circles around the bend's centre keep the part's thickness constant.
    const QPointF centre(stage.gateX, stage.sliceBottom + m_turnRadius);
    const double r0 = m_turnRadius + inner;
    const double r1 = m_turnRadius + outer;
    path.moveTo(centre.x(), centre.y() - r1);
    path.arcTo(QRectF(centre.x() - r1, centre.y() - r1, 2 * r1, 2 * r1), 90, -90);
    path.lineTo(centre.x() + r1, m_trayY);
    path.lineTo(centre.x() + r0, m_trayY);
    path.lineTo(centre.x() + r0, centre.y());
    path.arcTo(QRectF(centre.x() - r0, centre.y() - r0, 2 * r0, 2 * r0), 0, 90);
    path.closeSubpath();
    return path;
}

double FlowGeometry::laneOffset(const Stage& stage, bool correct, double lane) const {
    const double from = correct ? 0.0 : stage.correctPx;
    const double thickness = correct ? stage.correctPx : stage.wrongPx;
    return from + (0.15 + 0.7 * std::clamp(lane, 0.0, 1.0)) * thickness;
}

QPointF FlowGeometry::pointOf(const Flight& flight, bool correct, double lane) const {
    const Stage& exitStage = m_stages[static_cast<size_t>(flight.exit)];
    // A sample riding a thin slice at the band's top edge rides a little lower, clear of the gate texts
    // above, and bends on the radius of where it rides so its path stays continuous.
    const double topmost = exitStage.sliceBottom - m_bandTop - 0.5 * m_markerPx - 1;
    const double offset =
        std::max(std::min(laneOffset(exitStage, correct, lane), topmost), -0.5 * m_turnRadius);
    if (!flight.leaving()) {
        const int passing = std::clamp(static_cast<int>(flight.progress), 0, flight.exit);
        const Stage& stage = m_stages[static_cast<size_t>(passing)];
        const double along = std::clamp(flight.progress - passing, 0.0, 1.0);
        return {stage.entryX + along * (stage.gateX - stage.entryX), exitStage.sliceBottom - offset};
    }
    // Down the bend at the sample's radius, then straight down to rest just above the tray's text.
    const double radius = m_turnRadius + offset;
    const QPointF centre(exitStage.gateX, exitStage.sliceBottom + m_turnRadius);
    const double arcLength = 0.5 * kPi * radius;
    const double drop = std::max(m_trayY - 0.5 * m_markerPx - 2 - centre.y(), 0.0);
    const double travelled = std::clamp(flight.progress - flight.exit - 1, 0.0, 1.0) * (arcLength + drop);
    if (travelled < arcLength) {
        const double angle = travelled / radius;
        return {centre.x() + radius * std::sin(angle), centre.y() - radius * std::cos(angle)};
    }
    return {centre.x() + radius, centre.y() + travelled - arcLength};
}

int FlowGeometry::exitAt(const QPointF& point) const {
    for (size_t k = 0; k < m_stages.size(); ++k)
        if (m_stages[k].column.contains(point))
            return static_cast<int>(k);
    return -1;
}

} // namespace eenet
