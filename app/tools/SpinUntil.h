#pragma once

#include <QCoreApplication>
#include <QElapsedTimer>

namespace eenet {

/// Runs the event loop until `done` holds or `timeoutMs` pass, for tools that drive the real window
/// (a hung redraw must not hang them). Returns whether `done` held.
template <typename Condition> bool spinUntil(Condition done, qint64 timeoutMs) {
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

} // namespace eenet
