#pragma once

#include "ExitFlow.h"
#include "FlowAnimation.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <memory>
#include <vector>

class QAbstractButton;
class QComboBox;
class QLabel;
class QToolButton;

namespace eenet {

class DeferredRefresh;
class FlowCanvas;
class SampleThumbnails;
class Session;

/// The network as a flow, for teaching: the K stages left to right with their cumulative cost, a gate
/// after each with its threshold, and bands as thick as the samples they carry (Sankey-like): the band
/// still computing thins at every gate by those leaving there, split into correct and wrong. The caption
/// says how much compute the policy saves against running every sample to the last exit.
///
/// Play streams real samples of the shown split through it (their thumbnails when the file has image
/// inputs, dots otherwise), each leaving at the gate the policy sends it to; Step follows one sample and
/// tells its story. Follows the session's snapshot and split; a new snapshot only recounts the exits
/// (O(N)) and repaints. The animation's timer runs only while the view is shown and something moves.
class ExitFlowView : public QWidget {
    Q_OBJECT
public:
    /// Stages per second at speed 1x: a sample leaving at the last of 4 exits lands after about 4 s.
    static constexpr double kStagesPerSecond = 1.2;

    explicit ExitFlowView(Session* session, QWidget* parent = nullptr);

    /// Per exit, as drawn: the samples going on past its gate, and those leaving there correct and wrong.
    std::vector<FlowBand> bands() const { return m_flow.bands(); }
    /// "maxprob at budget 0.2 ms · test split · 10000 samples" (the longest wording; the drawing may
    /// shorten it to fit). Empty without a flow.
    QString title() const { return m_titles.value(0); }
    /// "compute saved vs running every sample to the last exit: X % (realised cost c of c_K)".
    QString caption() const { return m_caption; }
    /// What is drawn instead of the flow ("No data", or why the method cannot be shown); empty otherwise.
    QString message() const;
    /// The samples in flight and the launch order.
    const FlowAnimation& animation() const { return m_animation; }
    /// The last stepped sample's story, or how to follow one while the stream plays.
    QString story() const;
    bool playing() const { return m_animation.playing(); }
    /// The animation timer runs: something moves and the view is shown.
    bool animating() const { return m_timer.isActive(); }
    /// The speed factor (1 = kStagesPerSecond).
    double speedFactor() const;

    FlowCanvas* canvas() const { return m_canvas; }
    QAbstractButton* playButton() const;
    QAbstractButton* stepButton() const;
    QComboBox* speedBox() const { return m_speed; }

public Q_SLOTS:
    void setPlaying(bool playing);
    /// Pauses the stream and sends the next sample through alone.
    void step();
    void setSpeedFactor(double factor);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void rebuild();
    void showNothing(const QString& message);
    void tick();
    /// Starts the timer when something moves and the view is shown, stops it otherwise.
    void updateTimer();
    /// The buttons after a change of state (play, pause, step, a new flow), then the story.
    void updateControls();
    /// The story line, every frame: cheap, it only sets text that changed.
    void updateStory();
    QString storyText() const;
    QStringList titleWordings() const;

    Session* m_session;
    ExitFlow m_flow;
    FlowAnimation m_animation;
    std::shared_ptr<SampleThumbnails> m_thumbnails;
    /// What the flights' sample indices refer to: a new file or split restarts the stream.
    const Predictions* m_shownPredictions = nullptr;
    Split m_shownSplit = Split::Val;
    QStringList m_titles;
    QString m_caption;

    FlowCanvas* m_canvas;
    QToolButton* m_play;
    QToolButton* m_step;
    QComboBox* m_speed;
    QLabel* m_story;
    DeferredRefresh* m_refresh;
    QTimer m_timer;
    QElapsedTimer m_clock;
};

} // namespace eenet
