#include "DeferredRefresh.h"

#include <QDockWidget>
#include <QEvent>
#include <QWidget>

#include <utility>

namespace eenet {

DeferredRefresh::DeferredRefresh(QWidget* view)
    : QObject(view)
    , m_view(view) {
    view->installEventFilter(this);
}

void DeferredRefresh::request(std::function<void()> refresh) {
    if (isOutOfSight()) {
        m_pending = std::move(refresh);
        watchEnclosingDock();
        return;
    }
    m_pending = nullptr;
    refresh();
}

bool DeferredRefresh::isOutOfSight() const {
    // Before its window shows, a view refreshes at once: tests, exports and reports draw it offscreen.
    if (!m_view->window()->isVisible())
        return false;
    return !m_view->isVisible() || m_view->visibleRegion().isEmpty();
}

void DeferredRefresh::watchEnclosingDock() {
    QWidget* ancestor = m_view->parentWidget();
    while (ancestor && !qobject_cast<QDockWidget*>(ancestor))
        ancestor = ancestor->parentWidget();
    auto* dock = qobject_cast<QDockWidget*>(ancestor);
    if (!dock || dock == m_watchedDock)
        return;
    if (m_watchedDock)
        disconnect(m_watchedDock, nullptr, this, nullptr);
    m_watchedDock = dock;
    connect(dock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible)
            runPending();
    });
}

void DeferredRefresh::runPending() {
    if (m_pending)
        std::exchange(m_pending, nullptr)();
}

bool DeferredRefresh::eventFilter(QObject* watched, QEvent* event) {
    // A view shown, or given room again (a splitter opened), comes into sight.
    if (watched == m_view && (event->type() == QEvent::Show || event->type() == QEvent::Resize) &&
        m_pending && !isOutOfSight())
        runPending();
    return QObject::eventFilter(watched, event);
}

} // namespace eenet
