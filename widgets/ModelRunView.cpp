#include "ModelRunView.h"
#include "ChartPalette.h"
#include "MeasuredSimulatedChart.h"

#include "session/Session.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace eenet {
namespace {

/// A time or cost with about three significant digits: "0.221", "4.21", "12.4", "310".
QString amount(double value) {
    const double magnitude = std::abs(value);
    const int decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
    return QString::number(value, 'f', decimals);
}

QString modeName(const ServingMode& serving) {
    return serving.mode == RunMode::Sample ? ModelRunView::tr("sample (batch 1)")
                                           : QString::fromStdString(servingModeName(serving));
}

int batchOf(const ServingMode& serving) {
    return serving.mode == RunMode::Sample ? 1 : serving.batchSize;
}

bool inMilliseconds(const ModelRunFigures& f) {
    return QString::fromStdString(f.costUnit).compare(QLatin1String("ms"), Qt::CaseInsensitive) == 0;
}

enum Column { kMode, kMeasured, kSimulated, kSpeedup, kLatency, kAccuracy, kAgreement };

} // namespace

ModelRunView::ModelRunView(Session* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new QLabel(this))
    , m_attachButton(new QPushButton(this))
    , m_batch(new QSpinBox(this))
    , m_samples(new QComboBox(this))
    , m_runButton(new QPushButton(tr("Run"), this))
    , m_cancelButton(new QPushButton(tr("Cancel"), this))
    , m_progress(new QProgressBar(this))
    , m_caption(new QLabel(this))
    , m_speedup(new MeasuredSimulatedChart(this))
    , m_exits(new MeasuredSimulatedChart(this))
    , m_table(new QTableWidget(this)) {
    m_model->setTextFormat(Qt::PlainText);
    m_model->setMinimumWidth(80);
    m_model->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_batch->setRange(2, 4096);
    m_batch->setValue(32);
    m_batch->setToolTip(
        tr("Samples per batch of the compact and sync modes (the sample mode runs one at a time)"));
    m_samples->addItem(tr("all samples"), 0);
    m_samples->addItem(tr("first 1,000"), 1000);
    m_samples->setToolTip(tr("Run the whole split, or its first 1,000 samples for a quick look"));
    m_runButton->setToolTip(tr("Run the policy shown for real on the model, in each serving mode, timed "
                               "against the full model (in the background)"));
    m_cancelButton->setToolTip(tr("Stop the run; the figures shown before stay"));
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setFixedWidth(120);
    m_caption->setTextFormat(Qt::PlainText);
    m_caption->setWordWrap(true);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Model:"), this));
    controls->addWidget(m_model, 1);
    controls->addWidget(m_attachButton);
    controls->addSpacing(8);
    controls->addWidget(new QLabel(tr("Batch:"), this));
    controls->addWidget(m_batch);
    controls->addWidget(m_samples);
    controls->addWidget(m_runButton);
    controls->addWidget(m_cancelButton);
    controls->addWidget(m_progress);

    // Short headers, one line each (the view is often a small tab); what each means is their tooltip.
    const QList<QPair<QString, QString>> columns{
        {tr("Mode"), tr("sample: one at a time; compact:B: batches of B, those that leave drop out; sync:B: "
                        "batches of B kept together until their deepest sample leaves")},
        {tr("Measured ms"), tr("Wall time per sample on this machine: with early exit / the full model, on "
                               "the same batches")},
        {tr("Simulated"), tr("Cost per sample the file's costs give the same decisions: early exit / the "
                             "full model")},
        {tr("Speed-up"), tr("Full model over early exit: measured / simulated")},
        {tr("p50/p95/p99 ms"), tr("Latency from the start of a sample's batch (its own start in the sample "
                                  "mode) until it left")},
        {tr("Accuracy"), tr("Accuracy of the answers the run gave")},
        {tr("As simulated"), tr("Samples that left where the policy sends them on the file's stored "
                                "probabilities; all of them when the model reproduces the file")}};
    m_table->setColumnCount(static_cast<int>(columns.size()));
    for (int column = 0; column < columns.size(); ++column) {
        auto* header = new QTableWidgetItem(columns[column].first);
        header->setToolTip(columns[column].second);
        m_table->setHorizontalHeaderItem(column, header);
    }
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);

    auto* charts = new QSplitter(Qt::Horizontal, this);
    charts->addWidget(m_speedup);
    charts->addWidget(m_exits);
    charts->setChildrenCollapsible(false);
    // Half each, whatever their size hints (the legend widens one): both need the width for their labels.
    charts->setStretchFactor(0, 1);
    charts->setStretchFactor(1, 1);
    charts->setSizes({500, 500});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(3);
    layout->addLayout(controls);
    layout->addWidget(m_caption);
    // One key for both charts: the speed-up chart's.
    m_exits->setKeyShown(false);
    layout->addWidget(charts, 1);
    layout->addWidget(m_table);

    connect(m_runButton, &QPushButton::clicked, this,
            [this] { Q_EMIT runRequested(chosenModes(), chosenSampleCount()); });
    connect(m_cancelButton, &QPushButton::clicked, this, &ModelRunView::cancelRequested);
    connect(m_attachButton, &QPushButton::clicked, this,
            [this] { Q_EMIT attachRequested(modelBesideFile()); });
    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) {
        if (row >= 0)
            setShownMode(row);
    });
    connect(m_session, &Session::modelPathChanged, this, [this] {
        m_modelCheck.clear();
        refreshModel();
    });
    connect(m_session, &Session::predictionsLoaded, this, [this] { showRun(std::nullopt); });
    connect(m_session, &Session::snapshotChanged, this, &ModelRunView::refreshCaption);
    connect(m_session, &Session::splitChanged, this, &ModelRunView::refreshCaption);
    setRunning(false);
    showRun(std::nullopt);
}

std::vector<ServingMode> ModelRunView::chosenModes() const {
    const int batch = m_batch->value();
    return {{RunMode::Sample, 1}, {RunMode::Compact, batch}, {RunMode::Sync, batch}};
}

int ModelRunView::chosenSampleCount() const {
    return m_samples->currentData().toInt();
}

void ModelRunView::setRunning(bool running) {
    m_running = running;
    m_progress->setVisible(running);
    m_cancelButton->setVisible(running);
    if (running)
        m_progress->setValue(0);
    refreshModel();
}

void ModelRunView::setProgress(double fraction, const QString& text) {
    m_progress->setValue(static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * 1000)));
    m_progress->setToolTip(text);
}

void ModelRunView::setModelCheck(const QString& summary) {
    m_modelCheck = summary;
    refreshModel();
}

QString ModelRunView::modelBesideFile() const {
    if (!m_session->hasPredictions() || !m_session->modelPath().isEmpty())
        return {};
    const QFileInfo file(QString::fromStdString(m_session->modelPredictions()->sourcePath));
    const QFileInfo beside(file.dir().filePath(file.completeBaseName() + QStringLiteral(".pt")));
    return beside.isFile() ? beside.absoluteFilePath() : QString();
}

QString ModelRunView::modelText() const {
    return m_model->text();
}

void ModelRunView::refreshModel() {
    const QString path = m_session->modelPath();
    const QString name = QFileInfo(path).fileName();
    // The name and whether it was checked; the check's figures in the tooltip (the row is narrow).
    m_model->setText(path.isEmpty()           ? tr("none attached")
                     : m_modelCheck.isEmpty() ? tr("%1 (checked against the file when it runs)").arg(name)
                                              : tr("%1, matches the file").arg(name));
    m_model->setToolTip(m_modelCheck.isEmpty() ? path : path + QLatin1Char('\n') + m_modelCheck);
    const QString beside = modelBesideFile();
    m_attachButton->setText(beside.isEmpty() ? tr("Attach Model…")
                                             : tr("Attach %1").arg(QFileInfo(beside).fileName()));
    m_attachButton->setEnabled(m_session->hasPredictions() && !m_running);
    m_runButton->setEnabled(m_session->hasPredictions() && !path.isEmpty() && !m_running);
    refreshCaption();
}

void ModelRunView::refreshCaption() {
    QStringList lines;
    const auto& snapshot = m_session->snapshot();
    const QString shown = snapshot
                              ? tr("%1 at %2 %3")
                                    .arg(QString::fromStdString(snapshot->method), amount(snapshot->budget),
                                         QString::fromStdString(m_session->budgetUnit()))
                              : QString();
    if (!m_session->hasPredictions()) {
        lines << tr(
            "Open a predictions file and attach the multi-exit model behind it to run its policy for real.");
    } else if (!m_run) {
        lines << (m_session->modelPath().isEmpty()
                      ? tr("Attach the TorchScript model behind this file (File ▸ Attach Model…; see "
                           "docs/deploy.md, \"The model\") to run the policy shown for real and set measured "
                           "against simulated cost.")
                      : tr("Run runs %1 for real on the model: one sample at a time, then batches of %2 "
                           "compacted and kept together, each timed against the full model.")
                            .arg(shown.isEmpty() ? tr("the policy shown") : shown)
                            .arg(m_batch->value()));
    } else {
        const ModelRunFigures& first = m_run->modes.front();
        if (m_run->snapshot != snapshot || m_run->split != m_session->split())
            lines << tr("The policy or split shown changed since this run (now %1, %2): press Run to measure "
                        "it.")
                         .arg(shown, QString::fromStdString(splitName(m_session->split())));
        lines << tr("%1 at %2 %3 on %4 %5 samples with %6: %7 of %4 decisions as simulated.")
                     .arg(QString::fromStdString(m_run->snapshot->method), amount(m_run->snapshot->budget),
                          QString::fromStdString(m_run->budgetUnit))
                     .arg(first.samples)
                     .arg(QString::fromStdString(splitName(m_run->split)),
                          QFileInfo(QString::fromStdString(m_run->modelPath)).fileName())
                     .arg(first.agreeing);
        lines << tr("Solid bars measured on this machine, %1, wall clock (each batch also run as the full "
                    "model); pale ones simulated from ")
                         .arg(first.threads == 1 ? tr("1 thread") : tr("%1 threads").arg(first.threads)) +
                     (first.batchCostsMeasured ? tr("the file's measured batch costs.")
                                               : tr("the file's per-exit costs (it has no batch costs: b "
                                                    "samples cost b × c_k)."));
    }
    m_caption->setText(lines.join(QLatin1Char('\n')));
}

QString ModelRunView::captionText() const {
    return m_caption->text();
}

void ModelRunView::showRun(std::optional<ModelRun> run) {
    m_run = run && !run->modes.empty() ? std::move(run) : std::nullopt;
    m_shownMode = 0;
    fillTable();
    drawSpeedups();
    drawExits();
    refreshModel();
}

void ModelRunView::setShownMode(int mode) {
    if (!m_run || mode < 0 || mode >= static_cast<int>(m_run->modes.size()) || mode == m_shownMode)
        return;
    m_shownMode = mode;
    m_table->selectRow(mode);
    drawExits();
}

void ModelRunView::fillTable() {
    const int rows = m_run ? static_cast<int>(m_run->modes.size()) : 0;
    m_table->setRowCount(rows);
    for (int row = 0; row < rows; ++row) {
        const ModelRunFigures& f = m_run->modes[static_cast<size_t>(row)];
        const QStringList cells{
            QString::fromStdString(servingModeName(f.serving)),
            tr("%1 / %2").arg(amount(f.measuredMs), amount(f.fullModelMs)),
            tr("%1 / %2").arg(amount(f.simulatedCost), amount(f.simulatedFullCost)),
            tr("%1× / %2×").arg(f.speedup(), 0, 'f', 2).arg(f.simulatedSpeedup(), 0, 'f', 2),
            tr("%1/%2/%3").arg(amount(f.p50Ms), amount(f.p95Ms), amount(f.p99Ms)),
            tr("%1 %").arg(f.accuracyPercent, 0, 'f', 2),
            tr("%1/%2").arg(f.agreeing).arg(f.samples)};
        for (int column = 0; column < cells.size(); ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            item->setTextAlignment(column == kMode ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignCenter);
            if (column == kAgreement && f.agreeing != f.samples)
                item->setForeground(ChartPalette::truth(false));
            m_table->setItem(row, column, item);
        }
        m_table->item(row, kMode)->setForeground(ChartPalette::servingMode(f.serving.mode));
        m_table->item(row, kSpeedup)
            ->setToolTip(tr("%1 ms per sample with early exit, %2 ms for the full model on the same batches")
                             .arg(f.measuredMs, 0, 'g', 4)
                             .arg(f.fullModelMs, 0, 'g', 4));
        m_table->item(row, kLatency)
            ->setToolTip(tr("p50 %1 ms, p95 %2 ms, p99 %3 ms over the %4 samples, from the start of a "
                            "sample's batch until it left")
                             .arg(f.p50Ms, 0, 'g', 4)
                             .arg(f.p95Ms, 0, 'g', 4)
                             .arg(f.p99Ms, 0, 'g', 4)
                             .arg(f.samples));
    }
    // The simulated costs are in the file's unit, not necessarily time.
    m_table->horizontalHeaderItem(kSimulated)
        ->setText(rows > 0 ? tr("Simulated %1").arg(QString::fromStdString(m_run->modes.front().costUnit))
                           : tr("Simulated"));
    m_table->resizeRowsToContents();
    m_table->setVisible(rows > 0);
    fitTableHeight();
    if (rows > 0)
        m_table->selectRow(0);
}

void ModelRunView::fitTableHeight() {
    // Header and rows, and the scroll bar when the columns are wider than the view: the charts take the
    // rest of the height.
    int height = m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth() + 2;
    for (int row = 0; row < m_table->rowCount(); ++row)
        height += m_table->rowHeight(row);
    if (m_table->horizontalHeader()->length() > m_table->viewport()->width())
        height += m_table->horizontalScrollBar()->sizeHint().height();
    m_table->setFixedHeight(height);
}

void ModelRunView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    fitTableHeight();
}

void ModelRunView::drawSpeedups() {
    std::vector<MeasuredSimulatedChart::Group> groups;
    if (m_run)
        for (const ModelRunFigures& f : m_run->modes)
            groups.push_back(
                {QString::fromStdString(servingModeName(f.serving)),
                 ChartPalette::servingMode(f.serving.mode), f.speedup(), f.simulatedSpeedup(),
                 tr("<b>%1</b><br>measured: %2 ms per sample with early exit, %3 ms for the full model: "
                    "<b>%4×</b><br>simulated: %5 of %6 %7 per sample: <b>%8×</b>")
                     .arg(modeName(f.serving), amount(f.measuredMs), amount(f.fullModelMs))
                     .arg(f.speedup(), 0, 'f', 2)
                     .arg(amount(f.simulatedCost), amount(f.simulatedFullCost),
                          QString::fromStdString(f.costUnit))
                     .arg(f.simulatedSpeedup(), 0, 'f', 2)});
    // The dashed line at 1×: the full model; below it early exit is slower than no early exit.
    const MeasuredSimulatedChart::Axis axis{tr("speed-up (×)"), tr("×"), 2, 1.0};
    m_speedup->show(tr("Speed-up per mode"), groups, axis,
                    m_session->hasPredictions() ? tr("No run yet") : MeasuredSimulatedChart::openFileHint());
}

void ModelRunView::drawExits() {
    std::vector<MeasuredSimulatedChart::Group> groups;
    QString title;
    MeasuredSimulatedChart::Axis axis{tr("latency (ms)"), QString(), 3, std::nullopt};
    if (m_run) {
        const ModelRunFigures& f = m_run->modes[static_cast<size_t>(m_shownMode)];
        const bool ms = inMilliseconds(f);
        // Costs in another unit than time: both sides as a share of their own full model's batch.
        const double measuredScale = ms ? 1.0 : 100.0 / (f.fullModelMs * batchOf(f.serving));
        const double simulatedScale = ms ? 1.0 : 100.0 / (f.simulatedFullCost * batchOf(f.serving));
        if (!ms) {
            axis.label = tr("latency (% of full model)");
            axis.decimals = 0;
        }
        // Which mode: the row chosen in the table.
        title = tr("Mean latency by exit, %1").arg(QString::fromStdString(servingModeName(f.serving)));
        const auto& names = m_run->predictions->exitNames;
        for (size_t k = 0; k < f.exitCounts.size(); ++k) {
            const QString name = QString::fromStdString(names.at(k));
            groups.push_back(
                {tr("exit %1").arg(k + 1), ChartPalette::servingMode(f.serving.mode),
                 f.measuredExitMs[k] * measuredScale, f.simulatedExitCost[k] * simulatedScale,
                 tr("<b>%1</b>: %2 samples left here<br>measured: %3 ms on average from their batch's start"
                    "<br>simulated: %4 %5")
                     .arg(name.toHtmlEscaped())
                     .arg(f.exitCounts[k])
                     .arg(std::isfinite(f.measuredExitMs[k]) ? amount(f.measuredExitMs[k]) : tr("–"),
                          std::isfinite(f.simulatedExitCost[k]) ? amount(f.simulatedExitCost[k]) : tr("–"),
                          QString::fromStdString(f.costUnit))});
        }
    }
    m_exits->show(title, groups, axis, m_session->hasPredictions() ? tr("No run yet") : QString());
}

} // namespace eenet
