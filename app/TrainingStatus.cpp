#include "TrainingStatus.h"

#include "TrainingController.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

#include <cmath>

namespace eenet {
namespace {

QString durationText(double seconds) {
    if (seconds < 0)
        return QObject::tr("estimating…");
    if (seconds < 60)
        return QObject::tr("%1 s left").arg(std::ceil(seconds));
    return QObject::tr("%1 min %2 s left")
        .arg(std::floor(seconds / 60))
        .arg(std::fmod(std::ceil(seconds), 60.0));
}

} // namespace

TrainingStatus::TrainingStatus(TrainingController* controller, QWidget* parent)
    : QWidget(parent)
    , m_text(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_eta(new QLabel(this))
    , m_cancel(new QToolButton(this)) {
    m_bar->setRange(0, 1000);
    m_bar->setTextVisible(false);
    m_bar->setFixedWidth(160);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop training (the schedulers already trained stay)"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text);
    layout->addWidget(m_bar);
    layout->addWidget(m_eta);
    layout->addWidget(m_cancel);
    connect(m_cancel, &QToolButton::clicked, controller, &TrainingController::cancel);
    connect(controller, &TrainingController::progressed, this, &TrainingStatus::showProgress);
    connect(controller, &TrainingController::runningChanged, this, [this](bool running) {
        setVisible(running);
        if (running)
            showProgress(0, -1, tr("Training EENet…"));
    });
    setVisible(false);
}

void TrainingStatus::showProgress(double fraction, double secondsLeft, const QString& text) {
    m_text->setText(text);
    m_bar->setValue(static_cast<int>(std::lround(fraction * 1000)));
    m_eta->setText(durationText(secondsLeft));
}

} // namespace eenet
