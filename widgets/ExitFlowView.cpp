#include "ExitFlowView.h"
#include "DeferredRefresh.h"
#include "FlowCanvas.h"
#include "GalleryText.h"
#include "SampleThumbnails.h"
#include "SplitText.h"

#include "session/Session.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace eenet {
namespace {

/// About 30 frames a second: smooth enough for dots drifting a few pixels a frame, light on two cores.
constexpr int kFrameMs = 33;
/// A frame that comes late (a busy GUI thread) moves the samples at most this far, so nothing jumps.
constexpr double kMaxFrameSeconds = 0.1;

} // namespace

ExitFlowView::ExitFlowView(Session* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_canvas(new FlowCanvas(this))
    , m_play(new QToolButton(this))
    , m_step(new QToolButton(this))
    , m_speed(new QComboBox(this))
    , m_story(new QLabel(this))
    , m_refresh(new DeferredRefresh(this)) {
    m_play->setCheckable(true);
    m_step->setText(tr("Step"));
    m_step->setToolTip(tr("Pause and send the next sample through: where does it leave?"));
    for (const auto& [label, factor] : {std::pair{QStringLiteral("¼×"), 0.25},
                                        {QStringLiteral("½×"), 0.5},
                                        {QStringLiteral("1×"), 1.0},
                                        {QStringLiteral("2×"), 2.0},
                                        {QStringLiteral("4×"), 4.0}})
        m_speed->addItem(label, factor);
    m_speed->setToolTip(tr("Animation speed"));
    m_story->setWordWrap(true);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_play);
    controls->addWidget(m_step);
    controls->addWidget(new QLabel(tr("Speed"), this));
    controls->addWidget(m_speed);
    controls->addWidget(m_story, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addLayout(controls);
    layout->addWidget(m_canvas, 1);
    setMinimumSize(560, 280);

    m_canvas->setAnimation(&m_animation);
    m_timer.setInterval(kFrameMs);
    connect(&m_timer, &QTimer::timeout, this, &ExitFlowView::tick);
    connect(m_play, &QAbstractButton::toggled, this, &ExitFlowView::setPlaying);
    connect(m_step, &QAbstractButton::clicked, this, &ExitFlowView::step);
    connect(m_speed, &QComboBox::currentIndexChanged, this,
            [this] { setSpeedFactor(m_speed->currentData().toDouble()); });
    const auto refresh = [this] { m_refresh->request([this] { rebuild(); }); };
    connect(m_session, &Session::snapshotChanged, this, refresh);
    connect(m_session, &Session::splitChanged, this, refresh);
    connect(m_session, &Session::predictionsLoaded, this, refresh);

    // The story runs without a click: most viewers never touch the controls.
    setSpeedFactor(1.0);
    m_animation.setPlaying(true);
    rebuild();
}

QAbstractButton* ExitFlowView::playButton() const {
    return m_play;
}

QAbstractButton* ExitFlowView::stepButton() const {
    return m_step;
}

QString ExitFlowView::message() const {
    return m_canvas->message();
}

QString ExitFlowView::story() const {
    return m_story->text();
}

double ExitFlowView::speedFactor() const {
    return m_animation.speed() / kStagesPerSecond;
}

void ExitFlowView::setPlaying(bool playing) {
    m_animation.setPlaying(playing);
    updateTimer();
    updateControls();
}

void ExitFlowView::step() {
    if (m_flow.isEmpty())
        return;
    m_animation.step();
    updateTimer();
    updateControls();
    m_canvas->update();
}

void ExitFlowView::setSpeedFactor(double factor) {
    m_animation.setSpeed(kStagesPerSecond * factor);
    const int index = m_speed->findData(factor);
    if (index >= 0)
        m_speed->setCurrentIndex(index);
}

void ExitFlowView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    updateTimer();
}

void ExitFlowView::hideEvent(QHideEvent* event) {
    QWidget::hideEvent(event);
    updateTimer();
}

void ExitFlowView::showNothing(const QString& message) {
    m_flow = {};
    m_titles.clear();
    m_caption.clear();
    m_thumbnails.reset();
    m_canvas->setThumbnails(nullptr);
    m_animation.setExits({});
    m_shownPredictions = nullptr;
    m_canvas->showMessage(message);
    updateTimer();
    updateControls();
}

void ExitFlowView::rebuild() {
    const auto& predictions = m_session->predictions();
    const auto& snapshot = m_session->snapshot();
    const SplitPolicy* shown = shownPolicy(*m_session);
    if (!shown) {
        const bool explained = snapshot && !snapshot->available && !snapshot->note.empty();
        return showNothing(!predictions ? tr("No data")
                           : explained  ? QString::fromStdString(snapshot->note)
                                        : tr("No policy computed yet."));
    }

    const Split split = m_session->split();
    m_flow = ExitFlow(*predictions, snapshot, split);
    m_animation.setExits(shown->outcome.exitOf);
    if (predictions.get() != m_shownPredictions || split != m_shownSplit) {
        // The samples in flight belong to another split or file.
        m_animation.reset();
        m_shownPredictions = predictions.get();
        m_shownSplit = split;
        const auto inputs = shownInputs(*m_session);
        m_thumbnails = inputs ? std::make_shared<SampleThumbnails>(inputs) : nullptr;
        m_canvas->setThumbnails(m_thumbnails);
    }
    m_caption = tr("compute saved vs running every sample to the last exit: %1 % (realised cost %2 of %3)")
                    .arg(100.0 * m_flow.savedFraction(), 0, 'f', 1)
                    .arg(m_flow.costText(m_flow.realisedCost()), m_flow.costText(m_flow.costs().back()));
    m_titles = titleWordings();
    m_canvas->showFlow(m_flow, m_titles, m_caption);
    updateTimer();
    updateControls();
}

QStringList ExitFlowView::titleWordings() const {
    const PolicySnapshot& snapshot = m_flow.snapshot();
    const QString policy =
        m_flow.isOracle()
            ? tr("oracle: knows the right exit, at budget %1").arg(m_flow.costText(snapshot.budget))
            : policyText(snapshot, *m_session->predictions());
    const QString split = splitText(m_flow.split());
    const QString full = tr("%1 · %2 · %3 samples").arg(policy, split).arg(m_flow.numSamples());
    QStringList wordings;
    if (!snapshot.note.empty())
        wordings << full + QStringLiteral(" — ") + QString::fromStdString(snapshot.note);
    wordings << full << tr("%1 · %2").arg(policy, split) << policy;
    return wordings;
}

void ExitFlowView::tick() {
    const double seconds = std::min(m_clock.restart() / 1000.0, kMaxFrameSeconds);
    m_animation.advance(seconds);
    m_canvas->update();
    updateTimer();
    updateStory();
}

void ExitFlowView::updateTimer() {
    const bool run = isVisible() && !m_flow.isEmpty() && m_animation.active();
    if (run && !m_timer.isActive()) {
        m_clock.start();
        m_timer.start();
    } else if (!run) {
        m_timer.stop();
    }
}

void ExitFlowView::updateControls() {
    m_play->setChecked(m_animation.playing());
    m_play->setText(m_animation.playing() ? tr("Pause") : tr("Play"));
    m_play->setToolTip(m_animation.playing() ? tr("Stop the stream of samples")
                                             : tr("Stream samples through the network"));
    m_step->setEnabled(!m_flow.isEmpty());
    m_play->setEnabled(!m_flow.isEmpty());
    updateStory();
}

void ExitFlowView::updateStory() {
    const QString story = storyText();
    if (story != m_story->text())
        m_story->setText(story);
}

QString ExitFlowView::storyText() const {
    if (m_flow.isEmpty())
        return {};
    if (m_animation.playing())
        return tr("Samples of the %1, each leaving where the policy sends it. Step follows one.")
            .arg(splitText(m_flow.split()));
    const int sample = m_animation.lastStepped();
    if (sample < 0)
        return tr("Paused. Step sends the next sample through.");
    const Predictions& predictions = *m_session->predictions();
    const ExitData& data = *m_flow.policy().data;
    const Flight* flight = m_animation.flightOf(sample);
    const int exit = flight ? flight->exit : m_flow.exitOf(sample);
    return sampleHeadline(predictions, data, sample) + QStringLiteral(" → ") +
           (flight && !flight->landed() ? tr("on its way…")
                                        : predictionLine(predictions, data, exit, sample));
}

} // namespace eenet
