#pragma once

#include <QWidget>

class QComboBox;

namespace eenet {

class Session;
class BudgetControl;
class PolicyCurvesPlot;

/// The budget slider above the accuracy-budget curves, with the split to show.
class PoliciesView : public QWidget {
    Q_OBJECT
public:
    explicit PoliciesView(Session* session, QWidget* parent = nullptr);

    BudgetControl* budgetControl() const { return m_budget; }
    PolicyCurvesPlot* curvesPlot() const { return m_curves; }
    QComboBox* splitBox() const { return m_split; }

private:
    BudgetControl* m_budget;
    PolicyCurvesPlot* m_curves;
    QComboBox* m_split;
};

} // namespace eenet
