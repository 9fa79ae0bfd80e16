#pragma once

#include "data/DatasetSummary.h"
#include "data/Predictions.h"

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

    /// Replaces the loaded predictions. Does nothing when given the same object.
    void setPredictions(std::shared_ptr<const Predictions> predictions);

Q_SIGNALS:
    void predictionsLoaded();

private:
    std::shared_ptr<const Predictions> m_predictions;
    DatasetSummary m_summary;
};

} // namespace eenet
