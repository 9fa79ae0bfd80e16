#pragma once

#include <QObject>

class QAction;

namespace eenet {

class Session;
class TrainingController;

/// The training commands of menus and toolbar: train EENet at the current budget, train a curve, cancel,
/// and the "train when the slider is released" option (remembered). Enabled only when they can act.
class TrainingActions : public QObject {
    Q_OBJECT
public:
    TrainingActions(Session* session, TrainingController* controller, int curveBudgets,
                    QObject* parent = nullptr);

    QAction* trainAction() const { return m_train; }
    QAction* trainCurveAction() const { return m_trainCurve; }
    QAction* cancelAction() const { return m_cancel; }
    QAction* trainOnReleaseAction() const { return m_trainOnRelease; }

    /// The budget slider was released or a value typed: trains there when the option is on and the chosen
    /// method is learned.
    void onBudgetSettled(double budget);

private:
    /// The per-sample budget EENet trains at for `budget` of the session's rule (the same under the default
    /// rule).
    double trainingBudget(double budget) const;
    void updateEnabled();

    Session* m_session;
    TrainingController* m_controller;
    QAction* m_train;
    QAction* m_trainCurve;
    QAction* m_cancel;
    QAction* m_trainOnRelease;
};

} // namespace eenet
