#pragma once

#include <QWidget>

class QComboBox;

namespace eenet {

class Session;
class BudgetControl;

/// What the linked views show: the budget slider, the method and the split. Writes to and follows the
/// session.
class PolicyControls : public QWidget {
    Q_OBJECT
public:
    explicit PolicyControls(Session* session, QWidget* parent = nullptr);

    BudgetControl* budgetControl() const { return m_budget; }
    QComboBox* methodBox() const { return m_method; }
    QComboBox* splitBox() const { return m_split; }

private:
    void showSessionState();

    Session* m_session;
    BudgetControl* m_budget;
    QComboBox* m_method;
    QComboBox* m_split;
};

} // namespace eenet
