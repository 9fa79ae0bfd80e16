#pragma once

#include "InteractivePlot.h"
#include "eval/ServingProfile.h"

namespace eenet {

/// One of the serving view's two charts, against the batch size (log scale): the policy's cost per sample
/// in sync and compact batches next to the full model's, or its speed-up over the full model served the same
/// way. One sample at a time is a dashed level line; the chosen batch size is marked.
class ServingPlot : public InteractivePlot {
    Q_OBJECT
public:
    enum class Quantity { CostPerSample, Speedup };

    explicit ServingPlot(Quantity quantity, QWidget* parent = nullptr);

    /// Draws `profile` and marks `chosenBatch` (no mark when it is not one of the profile's sizes).
    void setProfile(const ServingProfile& profile, int chosenBatch);
    /// Nothing to draw: `message` instead of axes.
    void clearProfile(const QString& message);
    void resetView() override;
    ChartTable tableData() const override;

    QCPGraph* syncGraph() const { return m_sync; }
    QCPGraph* compactGraph() const { return m_compact; }
    /// The full model's cost (CostPerSample only; empty for Speedup).
    QCPGraph* fullModelGraph() const { return m_full; }
    /// The label of the one-at-a-time level.
    QCPItemText* sampleLabel() const { return m_sampleLabel; }

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void paletteChanged() override;

private:
    double valueOf(const ServingProfilePoint& point, RunMode mode) const;
    double sampleLevel() const;
    QString pointTooltip(int index) const;
    /// Puts the level line's label where no curve passes (right or left end, above or below the line), at
    /// every layout: the curves cross the level at sizes that depend on the file.
    void placeSampleLabel();
    /// How many of the curves' drawn points (sampled along their segments) fall inside `rect`, in pixels.
    int curvePointsInside(const QRectF& rect) const;

    Quantity m_quantity;
    ServingProfile m_profile;
    QCPGraph* m_sync;
    QCPGraph* m_compact;
    QCPGraph* m_full = nullptr;
    QCPItemStraightLine* m_sampleLine;
    QCPItemStraightLine* m_chosenLine;
    QCPItemText* m_sampleLabel;
    QCPItemText* m_message;
};

} // namespace eenet
