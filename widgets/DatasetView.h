#pragma once

#include <QWidget>

class QLabel;
class QListWidget;
class QStackedWidget;

namespace eenet {

class Session;
class ExitTable;
class ExitAccuracyPlot;

/// The loaded file at a glance: model and dataset, sample counts, per-exit cost and accuracy (table and
/// chart) and the class names. Follows the session's predictionsLoaded signal.
class DatasetView : public QWidget {
    Q_OBJECT
public:
    explicit DatasetView(Session* session, QWidget* parent = nullptr);

    ExitTable* exitTable() const { return m_table; }
    ExitAccuracyPlot* accuracyPlot() const { return m_plot; }
    QListWidget* classList() const { return m_classes; }

private:
    void refresh();

    Session* m_session;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_details = nullptr;
    QLabel* m_classesTitle = nullptr;
    QListWidget* m_classes = nullptr;
    ExitTable* m_table = nullptr;
    ExitAccuracyPlot* m_plot = nullptr;
};

} // namespace eenet
