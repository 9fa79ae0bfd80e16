// ThresholdHistograms, the part that sets thresholds by hand: dragging a threshold line, typing a value in
// the inline editor, and the context menu's entries for both and for snapping back to the fitted policy.
#include "ThresholdEditor.h"
#include "ThresholdHistograms.h"

#include "session/Session.h"

#include <QContextMenuEvent>
#include <QMenu>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace eenet {
namespace {

/// How far beside a threshold line the mouse still grabs it.
constexpr double kGrabDistancePx = 5.0;

} // namespace

ThresholdHistograms::~ThresholdHistograms() {
    m_editor->disconnect(this);
}

int ThresholdHistograms::panelAt(const QPointF& position) const {
    for (int i = 0; i < panelCount(); ++i)
        if (panel(i).rect->rect().contains(position.toPoint()))
            return i;
    return -1;
}

int ThresholdHistograms::thresholdAt(const QPointF& position) const {
    for (int i = 0; i < panelCount(); ++i) {
        const Panel& p = panel(i);
        const QCPItemText* label = p.thresholdLabel;
        if (label->visible() &&
            QRectF(label->topLeft->pixelPosition(), label->bottomRight->pixelPosition()).contains(position))
            return i;
        const QRect inside = p.rect->rect();
        if (!p.threshold->visible() || position.y() < inside.top() || position.y() > inside.bottom())
            continue;
        const double line = p.threshold->point1->pixelPosition().x();
        if (std::abs(position.x() - line) <= kGrabDistancePx)
            return i;
    }
    return -1;
}

void ThresholdHistograms::mousePressEvent(QMouseEvent* event) {
    const int grabbed = event->button() == Qt::LeftButton ? thresholdAt(event->position()) : -1;
    if (grabbed < 0) {
        InteractivePlot::mousePressEvent(event);
        return;
    }
    // Not passed on: the press would start panning the axes under the line.
    const Panel& p = panel(grabbed);
    m_draggedPanel = grabbed;
    m_grabOffsetPx =
        p.threshold->visible() ? p.threshold->point1->pixelPosition().x() - event->position().x() : 0;
    setCursor(Qt::SplitHCursor);
    event->accept();
}

void ThresholdHistograms::mouseMoveEvent(QMouseEvent* event) {
    if (m_draggedPanel >= 0) {
        dragThresholdTo(event->position());
        return;
    }
    InteractivePlot::mouseMoveEvent(event);
    const int near = thresholdAt(event->position());
    if (near < 0) {
        unsetCursor();
        explainBarAt(event);
        return;
    }
    setCursor(Qt::SplitHCursor);
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("Drag to set this threshold by hand, double-click to type it"), this);
}

void ThresholdHistograms::mouseReleaseEvent(QMouseEvent* event) {
    if (m_draggedPanel < 0) {
        InteractivePlot::mouseReleaseEvent(event);
        return;
    }
    // A press and release without a move leaves the threshold as it was (a click on the line sets nothing).
    m_draggedPanel = -1;
    unsetCursor();
    resetView();
    event->accept();
}

void ThresholdHistograms::dragThresholdTo(const QPointF& position) {
    const Panel& p = panel(m_draggedPanel);
    const QRect inside = p.rect->rect();
    const double x = std::clamp(position.x() + m_grabOffsetPx, double(inside.left()), double(inside.right()));
    m_session->setThresholdByHand(p.exit, p.rect->axis(QCPAxis::atBottom)->pixelToCoord(x));
}

void ThresholdHistograms::mouseDoubleClickEvent(QMouseEvent* event) {
    const int index = thresholdAt(event->position());
    if (index < 0) {
        InteractivePlot::mouseDoubleClickEvent(event); // resets the view
        return;
    }
    editThreshold(index);
    event->accept();
}

void ThresholdHistograms::editThreshold(int index) {
    if (index < 0 || index >= panelCount())
        return;
    const Panel& p = panel(index);
    m_editedPanel = index;
    const double threshold = p.thresholdValue;
    QCPItemText* label = p.thresholdLabel;
    // In the label's place, hidden while the editor is open.
    m_editor->open(thresholdText(threshold),
                   QRectF(label->topLeft->pixelPosition(), label->bottomRight->pixelPosition()).toRect());
    label->setVisible(false);
    replot(rpQueuedReplot);
}

void ThresholdHistograms::contextMenuEvent(QContextMenuEvent* event) {
    m_contextPosition = event->pos();
    InteractivePlot::contextMenuEvent(event);
}

void ThresholdHistograms::addContextActions(QMenu& menu) {
    const int index = panelAt(m_contextPosition);
    if (index >= 0) {
        const QString exitName = QString::fromStdString(
            m_session->predictions()->exitNames.at(static_cast<size_t>(panel(index).exit)));
        menu.addAction(tr("Set Threshold of %1…").arg(exitName), this,
                       [this, index] { editThreshold(index); });
    }
    if (const auto& custom = m_session->customPolicy())
        menu.addAction(
            tr("Snap to Budget (%1's fitted thresholds)").arg(QString::fromStdString(custom->base.name())),
            m_session, &Session::snapToBudget);
}

} // namespace eenet
