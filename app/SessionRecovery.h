#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

class QWidget;

namespace eenet {

class Session;
class SessionController;
class UnsavedWork;

/// Crash recovery. While the session holds unsaved work, it is written every kAutosaveMs and after each
/// newly trained scheduler to a recovery file of this process in the application's data folder; the file is
/// removed once nothing is unsaved (the session was saved, or the window closed normally). A recovery file
/// whose process is gone was left by a crash: the next start offers to restore it.
class SessionRecovery : public QObject {
    Q_OBJECT
public:
    static constexpr int kAutosaveMs = 30000;

    SessionRecovery(Session* session, SessionController* sessions, UnsavedWork* unsaved, QWidget* window);

    /// This process's recovery file.
    static QString ownPath();
    static bool isRecoveryFile(const QString& path);
    /// The newest recovery file a crashed process left behind; empty when there is none.
    static QString leftoverPath();

    /// Writes the recovery file now when there is unsaved work, removes it when there is none.
    void update();
    /// Removes this process's recovery file (the window closes normally).
    void discard();
    /// When a crash left a recovery file, asks (a window-modal box named "recoveryBox") whether to restore
    /// it and returns true; Restore opens it as a session, Discard deletes it and runs `otherwise`. Returns
    /// false, without running `otherwise`, when there is nothing to offer.
    bool offerLeftover(std::function<void()> otherwise);

private:
    Session* m_session;
    SessionController* m_sessions;
    UnsavedWork* m_unsaved;
    QWidget* m_window;
    QTimer m_timer;
};

} // namespace eenet
