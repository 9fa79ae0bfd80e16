#pragma once

#include <QObject>

#include <functional>

class QWidget;

namespace eenet {

/// Runs a view's refresh now, unless the view sits hidden in a shown window (a dock tabbed away): then once,
/// at its next show, and only the latest request. So views nobody looks at cost nothing while the slider
/// moves. (InteractivePlot::refreshWhenShown does the same for the charts.)
class DeferredRefresh : public QObject {
    Q_OBJECT
public:
    /// Watches `view`'s show events; owned by `view`.
    explicit DeferredRefresh(QWidget* view);

    void request(std::function<void()> refresh);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* m_view;
    std::function<void()> m_pending;
};

} // namespace eenet
