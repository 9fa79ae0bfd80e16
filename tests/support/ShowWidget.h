#pragma once

#include <QSize>
#include <QTest>
#include <QWidget>

namespace eenet::test {

/// Shows `widget` at `size` and waits until the window system exposes it, so layouts, axis pixels and clicks
/// are real; false when it never is. Header-only: the support library does not link Qt Widgets.
inline bool showExposed(QWidget& widget, const QSize& size) {
    widget.resize(size);
    widget.show();
    return QTest::qWaitForWindowExposed(&widget);
}

} // namespace eenet::test
