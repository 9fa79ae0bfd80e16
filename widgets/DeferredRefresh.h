#pragma once

#include <QObject>
#include <QPointer>

#include <functional>

class QDockWidget;
class QWidget;

namespace eenet {

/// Runs a view's refresh now, unless the view is out of sight in a shown window: hidden (a centre tab
/// behind another) or with nothing of it on screen (a dock tabbed behind another, which Qt keeps "visible"
/// but moves out of its window). Then it runs once, when the view comes into sight, and only the latest
/// request. So views nobody looks at cost nothing while the slider moves. Every chart has one
/// (InteractivePlot::refreshWhenShown).
class DeferredRefresh : public QObject {
    Q_OBJECT
public:
    /// Watches `view`'s show and resize events; owned by `view`.
    explicit DeferredRefresh(QWidget* view);

    void request(std::function<void()> refresh);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    bool isOutOfSight() const;
    /// A dock's tab brought to the front shows nothing new to the view: the dock says so instead.
    void watchEnclosingDock();
    void runPending();

    QWidget* m_view;
    QPointer<QDockWidget> m_watchedDock;
    std::function<void()> m_pending;
};

} // namespace eenet
