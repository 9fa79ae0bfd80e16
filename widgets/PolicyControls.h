#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;

namespace eenet {

class Session;
class BudgetControl;

/// What the linked views show: the budget slider, the method and the split. Writes to and follows the
/// session. While thresholds set by hand are shown (method "custom", which the method box lists but only a
/// dragged or typed threshold chooses), the slider stays at the budget that "Snap to budget" returns to, and
/// a label beside the method gives the custom policy's realised validation cost. "Calibrate exits" switches
/// every view to temperature-scaled probabilities (docs/method.md section 8).
class PolicyControls : public QWidget {
    Q_OBJECT
public:
    explicit PolicyControls(Session* session, QWidget* parent = nullptr);

    BudgetControl* budgetControl() const { return m_budget; }
    QComboBox* methodBox() const { return m_method; }
    QComboBox* splitBox() const { return m_split; }
    /// Returns from custom thresholds to the fitted policy of their base at the budget; enabled only then.
    QPushButton* snapButton() const { return m_snap; }
    /// The custom policy's realised validation cost; hidden without custom thresholds.
    QLabel* customCostLabel() const { return m_customCost; }
    /// "Calibrate exits": every policy, curve, EENet fit and export on temperature-scaled probabilities.
    /// Enabled once the temperatures are fitted; asks through calibrationRequested, shows
    /// Session::calibrated.
    QCheckBox* calibrateBox() const { return m_calibrate; }

Q_SIGNALS:
    /// The user ticked or cleared "Calibrate exits" (the window decides; the box follows the session).
    void calibrationRequested(bool on);

private:
    void showSessionState();
    void showCustomCost();
    void showCalibration();

    Session* m_session;
    BudgetControl* m_budget;
    QComboBox* m_method;
    QLabel* m_customCost;
    QPushButton* m_snap;
    QComboBox* m_split;
    QCheckBox* m_calibrate;
};

} // namespace eenet
