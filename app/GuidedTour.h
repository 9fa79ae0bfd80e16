#pragma once

#include "TourSteps.h"

#include <QObject>
#include <QPointer>

class QFrame;
class QLabel;
class QPushButton;
class QShortcut;

namespace eenet {

class MainWindow;
class TourHighlight;

/// Help ▸ Guided Tour: short steps (Next / Back / Esc), each putting the studio into a state and pointing at
/// the view that shows it, in a panel inside the window (so it works full screen too). Steps that need the
/// file's inputs are skipped when it has none. Ends in the sandbox: the studio as the tour left it.
class GuidedTour : public QObject {
    Q_OBJECT
public:
    explicit GuidedTour(MainWindow* window);
    ~GuidedTour() override;

    /// Starts at the first step; does nothing without an open file (the steps speak about it).
    void start();
    void next();
    void back();
    void stop();

    bool isRunning() const { return m_current >= 0; }
    /// Index into steps() of the step shown; -1 when the tour is not running.
    int current() const { return m_current; }
    const std::vector<TourStep>& steps() const { return m_steps; }
    /// The steps this file gets (those needing inputs left out when it has none), as indices into steps().
    std::vector<int> stepsShown() const;

    /// The panel's parts, for tests and screenshots.
    QFrame* panel() const { return m_panel; }
    QLabel* titleLabel() const { return m_title; }
    QLabel* textLabel() const { return m_text; }
    QPushButton* nextButton() const { return m_next; }
    QPushButton* backButton() const { return m_back; }
    /// The widget the current step points at (nullptr: the whole window).
    QWidget* target() const { return m_target; }

Q_SIGNALS:
    void stepShown(int step);
    void finished();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void show(int step);
    /// Beside the target where there is room, else over its bottom-right corner; always inside the window.
    void placePanel();

    MainWindow* m_window;
    std::vector<TourStep> m_steps;
    int m_current = -1;
    QPointer<QWidget> m_target;
    QFrame* m_panel;
    QLabel* m_progress;
    QLabel* m_title;
    QLabel* m_text;
    QPushButton* m_back;
    QPushButton* m_next;
    QShortcut* m_escape;
    TourHighlight* m_highlight;
};

} // namespace eenet
