#pragma once

#include <QObject>
#include <QWidget>

#include <vector>

class QAction;
class QDockWidget;
class QMainWindow;

namespace eenet {

/// View ▸ Presentation (F11), for a lecture: the window full screen, fonts 1.5x in every view and chart,
/// thicker chart lines, and only the docks a demo needs (the others and the status bar hidden). Leaving
/// restores the layout, the fonts and the window's state exactly.
class PresentationMode : public QObject {
    Q_OBJECT
public:
    static constexpr double kScale = 1.5;

    /// `kept` stay shown; every other dock of `window` hides while presenting.
    PresentationMode(QMainWindow* window, std::vector<QDockWidget*> kept);

    /// Checkable, F11.
    QAction* action() const { return m_action; }
    bool isOn() const { return m_on; }
    void setOn(bool on);

private:
    QMainWindow* m_window;
    std::vector<QDockWidget*> m_kept;
    QAction* m_action;
    bool m_on = false;
    QByteArray m_savedLayout;
    Qt::WindowStates m_savedWindowState;
    bool m_statusBarShown = true;
};

} // namespace eenet
