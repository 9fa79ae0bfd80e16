#pragma once

#include <QWidget>

class QDoubleSpinBox;
class QLabel;
class QSlider;

namespace eenet {

class Session;

/// The budget: a slider over [c_1, c_K] in the file's cost unit (arrow keys step it by 0.1 % of the range),
/// an exact-value box, and the budget as a share of the full cost c_K. Writes to and follows the session.
class BudgetControl : public QWidget {
    Q_OBJECT
public:
    static constexpr int kSliderSteps = 1000;

    explicit BudgetControl(Session* session, QWidget* parent = nullptr);

    QSlider* slider() const { return m_slider; }
    QDoubleSpinBox* valueBox() const { return m_value; }
    QLabel* shareLabel() const { return m_share; }

Q_SIGNALS:
    /// The user let go of the slider or confirmed a typed value: the moment to start expensive work.
    void settled(double budget);

protected:
    void changeEvent(QEvent* event) override;

private:
    void fitShareLabel();
    void onPredictionsLoaded();
    void showBudget(double budget);

    Session* m_session;
    QSlider* m_slider;
    QDoubleSpinBox* m_value;
    QLabel* m_share;
};

} // namespace eenet
