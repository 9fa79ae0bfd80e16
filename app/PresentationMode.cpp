#include "PresentationMode.h"

#include "PresentationScale.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QMainWindow>
#include <QStatusBar>

#include <algorithm>

namespace eenet {
namespace {

/// saveState()'s version tag for the layout kept while presenting (never written to settings).
constexpr int kPresentationLayoutVersion = 0x7072;

} // namespace

PresentationMode::PresentationMode(QMainWindow* window, std::vector<QDockWidget*> kept)
    : QObject(window)
    , m_window(window)
    , m_kept(std::move(kept))
    , m_action(new QAction(tr("&Presentation"), this)) {
    m_action->setCheckable(true);
    m_action->setShortcut(QKeySequence(Qt::Key_F11));
    m_action->setToolTip(tr("Full screen, large fonts and thick lines, for a lecture (F11)"));
    // On the window, so F11 works while the menu bar's action is not reachable (full screen).
    window->addAction(m_action);
    connect(m_action, &QAction::toggled, this, &PresentationMode::setOn);
}

void PresentationMode::setOn(bool on) {
    if (on == m_on)
        return;
    m_on = on;
    m_action->setChecked(on);
    if (on) {
        m_savedLayout = m_window->saveState(kPresentationLayoutVersion);
        m_savedWindowState = m_window->windowState();
        for (QDockWidget* dock : m_window->findChildren<QDockWidget*>())
            if (std::find(m_kept.begin(), m_kept.end(), dock) == m_kept.end())
                dock->hide();
        QFont large = QApplication::font();
        large.setPointSizeF(large.pointSizeF() * kScale);
        m_window->setFont(large);
        PresentationScale::set(kScale);
        m_window->setWindowState(m_savedWindowState | Qt::WindowFullScreen);
        // The centre's views get most of the width; the status bar's long hints would only be clipped.
        m_statusBarShown = m_window->statusBar()->isVisible();
        m_window->statusBar()->hide();
        const QList<QDockWidget*> kept(m_kept.begin(), m_kept.end());
        m_window->resizeDocks(kept, QList<int>(kept.size(), m_window->width() / 3), Qt::Horizontal);
    } else {
        // An empty font inherits the application's again.
        m_window->setFont(QFont());
        PresentationScale::set(1.0);
        m_window->setWindowState(m_savedWindowState);
        m_window->statusBar()->setVisible(m_statusBarShown);
        m_window->restoreState(m_savedLayout, kPresentationLayoutVersion);
    }
}

} // namespace eenet
