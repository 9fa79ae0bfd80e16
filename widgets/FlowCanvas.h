#pragma once

#include "FlowGeometry.h"
#include "FlowTexts.h"

#include <QColor>
#include <QFont>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <vector>

namespace eenet {

class ExitFlow;
class FlowAnimation;
class SampleThumbnails;

/// A text the flow view draws in `font`, fitted to `rect` (never wider, never taller).
struct FlowLabel {
    QRectF rect;
    FlowText text;
    QFont font;
    /// Centred as a block (lines left-aligned inside it), or flush left.
    bool centred = true;
};

/// The flow view's drawing: the stages, their gates, the band of samples still computing, the correct and
/// wrong leavers of each exit with their counts, the caption and the samples in flight. Paints what
/// ExitFlowView gives it; fits its texts and lays the drawing out again only on a resize or a new flow, so
/// an animation frame only paints.
class FlowCanvas : public QWidget {
    Q_OBJECT
public:
    explicit FlowCanvas(QWidget* parent = nullptr);

    /// Draws `flow`, which the view owns and keeps alive while shown. `titles`: wordings of the title line,
    /// longest first; `caption`: one sentence, wrapped to two lines at most.
    void showFlow(const ExitFlow& flow, const QStringList& titles, const QString& caption);
    /// Draws only `message`, centred (nothing loaded, a method that cannot be shown yet).
    void showMessage(const QString& message);
    /// The samples in flight, and where their pictures come from (nullptr: dots).
    void setAnimation(const FlowAnimation* animation);
    void setThumbnails(std::shared_ptr<SampleThumbnails> thumbnails);

    const FlowGeometry& flowGeometry() const { return m_geometry; }
    /// Every text drawn with the flow, as fitted at the last layout; empty while a message shows.
    const std::vector<FlowLabel>& labels() const { return m_labels; }
    QString message() const { return m_message; }
    /// The hover text at `point`: an exit's numbers in its column, the snapshot's note on the title.
    QString toolTipAt(const QPointF& point) const;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    bool event(QEvent* event) override;

private:
    void relayout();
    void paintBands(QPainter& painter) const;
    void paintLabels(QPainter& painter) const;
    void paintFlights(QPainter& painter) const;
    QString exitToolTip(int exit) const;

    const ExitFlow* m_flow = nullptr;
    const FlowAnimation* m_animation = nullptr;
    std::shared_ptr<SampleThumbnails> m_thumbnails;
    QStringList m_titles;
    QString m_caption;
    QString m_message;
    FlowGeometry m_geometry;
    std::vector<FlowLabel> m_labels;
};

} // namespace eenet
