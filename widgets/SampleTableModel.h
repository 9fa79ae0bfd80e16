#pragma once

#include "session/Session.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace eenet {

/// One row per selected sample: what it is, where the snapshot's policy sends it and why, and every exit's
/// prediction and score. Rows are the selection's samples; the policy columns follow the snapshot, so a new
/// budget re-judges the same samples. Per-exit predictions are computed once per selection; the "why" text
/// only for rows a view asks for, so a 50k-sample selection stays cheap.
class SampleTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        SampleColumn,
        LabelColumn,
        ExitTakenColumn,
        PredictionColumn,
        CorrectColumn,
        WhyColumn,
        FirstExitColumn
    };
    /// Numbers for the numeric columns (so a proxy sorts 10 after 9), the display text otherwise.
    static constexpr int SortRole = Qt::UserRole;
    /// Plain, machine-readable values for CSV (header and cells): snake_case names, numbers, class names,
    /// true/false; no symbols ("✓", "—", "≥") a spreadsheet or pandas would have to strip.
    static constexpr int CsvRole = Qt::UserRole + 1;

    explicit SampleTableModel(QObject* parent = nullptr);

    /// New rows: the selection's samples of `predictions` (indices outside the split are dropped).
    void setSelection(std::shared_ptr<const Predictions> predictions, const SampleSelection& selection);
    /// The same rows judged by another policy (nullptr: no policy).
    void setSnapshot(std::shared_ptr<const PolicySnapshot> snapshot);

    static int predictionColumn(int exit) { return FirstExitColumn + 2 * exit; }
    static int scoreColumn(int exit) { return FirstExitColumn + 2 * exit + 1; }

    /// Sample index in the split of a row.
    int sampleAt(int row) const { return m_samples[static_cast<size_t>(row)]; }
    /// 0-based exit the snapshot sends the row's sample to; -1 when there is no policy to ask.
    int exitTaken(int row) const;
    /// The distinct exits (0-based, ascending) the snapshot sends the rows to; empty without a policy.
    std::vector<int> exitsTaken() const;
    /// Why the sample left where it did, by the policy's own rule.
    QString why(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    int numExits() const { return m_predictions ? m_predictions->numExits : 0; }
    int predictedAt(int row, int exit) const {
        return m_predicted[static_cast<size_t>(row) * static_cast<size_t>(numExits()) +
                           static_cast<size_t>(exit)];
    }
    /// Finds the snapshot's split for the rows and forgets the old "why" texts.
    void attachPolicy();
    int labelAt(int row) const;
    QString className(int label) const;
    QString thresholdRuleWhy(int row) const;
    QString oracleWhy(int row) const;
    QVariant displayValue(int row, int column) const;
    QVariant sortValue(int row, int column) const;
    QVariant csvValue(int row, int column) const;

    std::shared_ptr<const Predictions> m_predictions;
    std::shared_ptr<const PolicySnapshot> m_snapshot;
    Split m_split = Split::Val;
    std::vector<int> m_samples;
    /// Predicted class per row and exit [rows, K].
    std::vector<int> m_predicted;
    /// The snapshot's split of the selection, when it matches the loaded predictions; else nullptr.
    const SplitPolicy* m_policy = nullptr;
    /// "Why" texts computed so far (null: not yet); cleared by a new snapshot.
    mutable std::vector<QString> m_why;
};

} // namespace eenet
