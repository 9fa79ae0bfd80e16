#pragma once

#include "eval/ServingMode.h"
#include "eval/Split.h"

#include <QObject>
#include <QString>

#include <functional>
#include <optional>
#include <string>
#include <vector>

class QWidget;

namespace eenet {

class Session;
class SessionController;

/// Knows whether the session holds work the user made and has not saved: trained EENet schedulers, thresholds
/// set by hand, an attached model, or a budget, method, split, cost model, serving rule or calibration other
/// than when the file was loaded or the session last saved or restored. Before
/// that work would be lost (quitting, opening another file or session) it asks Save / Discard / Cancel.
class UnsavedWork : public QObject {
    Q_OBJECT
public:
    UnsavedWork(Session* session, SessionController* sessions, QWidget* window);

    bool isModified() const;
    /// Runs `proceed` now when nothing would be lost; otherwise asks (a window-modal box, named
    /// "unsavedWorkBox") and runs it after Discard, or once Save has written the session. Cancel drops it.
    /// `action` completes "Save the session before …?", e.g. "quitting".
    void askThen(const QString& action, std::function<void()> proceed);

private:
    struct State {
        double budget = 0;
        std::string method;
        Split split = Split::Val;
        std::vector<double> schedulerBudgets;
        /// The thresholds set by hand while the method is "custom"; empty otherwise.
        std::vector<double> customThresholds;
        /// What the session file keeps beside them (SessionFile: cost_model, serving, guarantee, model).
        std::string costModel;
        std::optional<ServingMode> serving;
        double guarantee = 0;
        bool calibrated = false;
        QString modelPath;
        bool operator==(const State& other) const;
    };
    State current() const;
    void markSaved();
    QString describeChanges() const;
    void save(std::function<void()> proceed);

    Session* m_session;
    SessionController* m_sessions;
    QWidget* m_window;
    State m_saved;
    /// Where the session was last saved or opened from: Save writes there again without asking.
    QString m_sessionPath;
};

} // namespace eenet
