#include "LoadProgress.h"

#include "LoadController.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

#include <cmath>

namespace eenet {

LoadProgress::LoadProgress(LoadController* loader, QLabel* statusLabel, QWidget* parent)
    : QWidget(parent)
    , m_bar(new QProgressBar(this))
    , m_cancel(new QToolButton(this)) {
    m_bar->setRange(0, 1000);
    m_bar->setTextVisible(false);
    m_bar->setFixedWidth(160);
    m_bar->setToolTip(tr("Reading and checking the predictions file"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop loading (the file opened before stays)"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    connect(m_cancel, &QToolButton::clicked, loader, &LoadController::cancel);
    connect(loader, &LoadController::loadStarted, this, [this] {
        m_bar->setValue(0);
        setVisible(true);
    });
    connect(loader, &LoadController::progressed, this,
            [this](double fraction) { m_bar->setValue(static_cast<int>(std::lround(fraction * 1000))); });
    connect(loader, &LoadController::loaded, this, &QWidget::hide);
    connect(loader, &LoadController::failed, this, &QWidget::hide);
    connect(loader, &LoadController::cancelled, this, [this, statusLabel](const QString& path) {
        hide();
        statusLabel->setText(tr("Loading cancelled: %1 was not opened").arg(QFileInfo(path).fileName()));
    });
    setVisible(false);
}

} // namespace eenet
