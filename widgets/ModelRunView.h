#pragma once

#include "eval/ServingMode.h"
#include "runtime/ModelRunFigures.h"

#include <QWidget>

#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace eenet {

class MeasuredSimulatedChart;
class Session;

/// "Run on model": the policy shown, run for real on the file's multi-exit model in each serving mode
/// (one sample at a time, batches compacted, batches kept together), against what the file's costs
/// simulate for the same decisions. A chart of the speed-ups over the full model, one of the latency of
/// each exit for the mode chosen in the table, and the table: measured and simulated cost per sample,
/// speed-ups, p50/p95/p99 latency, accuracy and how many decisions equal the simulated ones. Captions say
/// what was measured where (this machine, one thread, wall clock) and when the policy changed since.
///
/// The view only asks (runRequested, cancelRequested, attachRequested); a controller runs and calls
/// showRun, setRunning and setProgress.
class ModelRunView : public QWidget {
    Q_OBJECT
public:
    explicit ModelRunView(Session* session, QWidget* parent = nullptr);

    /// Shows `run`'s figures; std::nullopt shows none (before a run, another file).
    void showRun(std::optional<ModelRun> run);
    /// While a run goes: Run disabled, the progress bar and Cancel shown.
    void setRunning(bool running);
    void setProgress(double fraction, const QString& text);
    /// What the attached model's check found, shown beside its name; empty when not checked yet.
    void setModelCheck(const QString& summary);

    /// The modes Run asks for: sample, then compact and sync at the batch size chosen.
    std::vector<ServingMode> chosenModes() const;
    /// The samples Run asks for: 0 for the whole split.
    int chosenSampleCount() const;
    /// The table row (mode) whose exits the per-exit chart shows.
    int shownMode() const { return m_shownMode; }
    void setShownMode(int mode);

    const std::optional<ModelRun>& run() const { return m_run; }
    QPushButton* runButton() const { return m_runButton; }
    QPushButton* cancelButton() const { return m_cancelButton; }
    QPushButton* attachButton() const { return m_attachButton; }
    QProgressBar* progressBar() const { return m_progress; }
    QSpinBox* batchBox() const { return m_batch; }
    QComboBox* samplesBox() const { return m_samples; }
    QTableWidget* table() const { return m_table; }
    MeasuredSimulatedChart* speedupChart() const { return m_speedup; }
    MeasuredSimulatedChart* exitChart() const { return m_exits; }
    QString captionText() const;
    QString modelText() const;

protected:
    void resizeEvent(QResizeEvent* event) override;

Q_SIGNALS:
    void runRequested(const std::vector<eenet::ServingMode>& modes, int sampleCount);
    void cancelRequested();
    /// `suggested` is a model found beside the predictions file (same name, .pt), else empty: ask.
    void attachRequested(const QString& suggested);

private:
    void refreshModel();
    void refreshCaption();
    void fillTable();
    void fitTableHeight();
    void drawSpeedups();
    void drawExits();
    /// The .pt beside the loaded file with its name, when there is one and no model is attached.
    QString modelBesideFile() const;

    Session* m_session;
    QLabel* m_model;
    QPushButton* m_attachButton;
    QSpinBox* m_batch;
    QComboBox* m_samples;
    QPushButton* m_runButton;
    QPushButton* m_cancelButton;
    QProgressBar* m_progress;
    QLabel* m_caption;
    MeasuredSimulatedChart* m_speedup;
    MeasuredSimulatedChart* m_exits;
    QTableWidget* m_table;
    std::optional<ModelRun> m_run;
    QString m_modelCheck;
    int m_shownMode = 0;
    bool m_running = false;
};

} // namespace eenet
