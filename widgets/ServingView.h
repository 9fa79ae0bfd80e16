#pragma once

#include "eval/Evaluator.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QSpinBox;

namespace eenet {

class ServingPlot;
class Session;
class WrappedLabel;

/// What the policy shown saves in deployment (docs/method.md, "Serving"): its cost per sample one at a time
/// and in sync and compact batches, against the batch size, and its speed-up over the full model served the
/// same way. Its controls choose what budgets mean in every view: the cost model (the file's cost vectors),
/// the serving mode a budget holds under, and a budget that holds on new data with 95 % confidence. The view
/// asks through its signals (the window decides, since a new cost model ends trained schedulers) and follows
/// the session.
class ServingView : public QWidget {
    Q_OBJECT
public:
    static constexpr double kGuaranteeConfidence = 0.95;
    static constexpr int kLargestBatch = 256;

    explicit ServingView(Session* session, QWidget* parent = nullptr);

    QComboBox* costModelBox() const { return m_costModel; }
    QComboBox* modeBox() const { return m_mode; }
    QSpinBox* batchBox() const { return m_batch; }
    QCheckBox* guaranteeBox() const { return m_guarantee; }
    ServingPlot* costPlot() const { return m_costPlot; }
    ServingPlot* speedupPlot() const { return m_speedupPlot; }
    QString captionText() const;
    /// The controls show the session's cost model and budget rule (after a declined change too).
    void showSessionState();

Q_SIGNALS:
    void costModelRequested(const QString& name);
    void budgetRuleRequested(const BudgetRule& rule);

private:
    void refresh();
    BudgetRule ruleFromControls() const;

    Session* m_session;
    QComboBox* m_costModel;
    QComboBox* m_mode;
    QSpinBox* m_batch;
    QCheckBox* m_guarantee;
    WrappedLabel* m_caption;
    ServingPlot* m_costPlot;
    ServingPlot* m_speedupPlot;
};

} // namespace eenet
