#pragma once

#include "eval/PairedComparison.h"

#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;

namespace eenet {

class ComparePlot;
class Session;

/// Is A really better than B? Two methods of the session's curves compared at equal realised cost on the
/// shown split (paired per sample, docs/method.md section 9): a chart of A minus B at each of A's budgets
/// with ±2 standard errors, and the verdict in words ("no measurable difference" when the mean is within 2
/// SE). The same figures as `eenet-cli compare`.
class CompareView : public QWidget {
    Q_OBJECT
public:
    explicit CompareView(Session* session, QWidget* parent = nullptr);

    QComboBox* methodA() const { return m_methodA; }
    QComboBox* methodB() const { return m_methodB; }
    ComparePlot* plot() const { return m_plot; }
    QString verdictText() const;
    /// The comparison shown; std::nullopt when there is none (no curves, the same method twice, no budget
    /// comparable).
    const std::optional<PairedComparison>& comparison() const { return m_comparison; }

private:
    void fillMethods();
    void compare();

    Session* m_session;
    QComboBox* m_methodA;
    QComboBox* m_methodB;
    QLabel* m_verdict;
    ComparePlot* m_plot;
    std::optional<PairedComparison> m_comparison;
    /// The shown split's exit data, made once per file and split.
    std::shared_ptr<const ExitData> m_data;
    std::weak_ptr<const Predictions> m_dataOf;
    Split m_dataSplit = Split::Val;
};

} // namespace eenet
