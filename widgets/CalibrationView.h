#pragma once

#include <QWidget>

class QLabel;
class QTableWidget;

namespace eenet {

class ReliabilityPlot;
class Session;

/// How well each exit's confidence matches its accuracy, and what temperature scaling (one temperature per
/// exit, fitted on the validation split) changes: the reliability diagrams above, and a table of ECE, MCE,
/// NLL and Brier score before → after per exit on the session's split. Early exits are often
/// overconfident, which confidence-threshold rules depend on.
class CalibrationView : public QWidget {
    Q_OBJECT
public:
    /// Columns of the table: exit, temperature, then each metric as "before → after".
    enum Column { ExitColumn, TemperatureColumn, EceColumn, MceColumn, NllColumn, BrierColumn, ColumnCount };

    explicit CalibrationView(Session* session, QWidget* parent = nullptr);

    ReliabilityPlot* plot() const { return m_plot; }
    QTableWidget* table() const { return m_table; }
    QString captionText() const;

private:
    void refreshTable();

    Session* m_session;
    ReliabilityPlot* m_plot;
    QLabel* m_caption;
    QTableWidget* m_table;
};

} // namespace eenet
