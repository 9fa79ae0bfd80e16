#include "DeferredRefresh.h"

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
    if (m_view->window()->isVisible() && !m_view->isVisible()) {
        m_pending = std::move(refresh);
        return;
    }
    m_pending = nullptr;
    refresh();
}

bool DeferredRefresh::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_view && event->type() == QEvent::Show && m_pending)
        std::exchange(m_pending, nullptr)();
    return QObject::eventFilter(watched, event);
}

} // namespace eenet
