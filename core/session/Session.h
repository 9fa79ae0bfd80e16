#pragma once

#include "data/DatasetSummary.h"
#include "data/Predictions.h"
#include "eval/CurveSweep.h"

#include <QObject>
#include <QString>

#include <memory>

namespace eenet {

/// The studio's central document: owns the loaded predictions (immutable, shared with worker threads) and,
/// as the studio grows, the budget, the chosen policies and the trained schedulers. Views hold a pointer to
/// it and listen to its specific signals. Lives on the GUI thread.
class Session : public QObject {
    Q_OBJECT
public:
    explicit Session(QObject* parent = nullptr);

    const std::shared_ptr<const Predictions>& predictions() const { return m_predictions; }
    /// Summary of the loaded predictions (computed once per load); empty before the first load.
    const DatasetSummary& summary() const { return m_summary; }
    bool hasPredictions() const { return m_predictions != nullptr; }

    /// Replaces the loaded predictions. Does nothing when given the same object. Resets the budget to the
    /// middle of [c_1, c_K] and drops the curves of the previous file.
    void setPredictions(std::shared_ptr<const Predictions> predictions);

    /// The average cost budget, in the file's cost unit, always inside [c_1, c_K].
    double budget() const { return m_budget; }
    /// Clamps to [c_1, c_K]; does nothing without predictions or when the value does not change.
    void setBudget(double budget);
    double minBudget() const;
    double maxBudget() const;

    /// Accuracy-budget curves of the loaded file (empty until computed).
    const std::vector<Curve>& curves() const { return m_curves; }
    void setCurves(std::vector<Curve> curves);

Q_SIGNALS:
    void predictionsLoaded();
    void budgetChanged(double budget);
    void curvesChanged();

private:
    std::shared_ptr<const Predictions> m_predictions;
    DatasetSummary m_summary;
    double m_budget = 0;
    std::vector<Curve> m_curves;
};

} // namespace eenet
