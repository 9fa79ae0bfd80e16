#include "SampleInspector.h"
#include "ChartExport.h"
#include "SampleDetail.h"
#include "SampleTableModel.h"

#include "session/Session.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>

namespace eenet {
namespace {

/// Columns sized to their contents are capped so a long "why" does not push the exits off screen; its
/// tooltip holds the full text.
constexpr int kMaxColumnWidthPx = 420;

} // namespace

SampleInspector::SampleInspector(Session* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_header(new QLabel(this))
    , m_exportButton(new QPushButton(tr("Export CSV…"), this))
    , m_model(new SampleTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_detail(new SampleDetail(session, this)) {
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::RichText);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SampleTableModel::SortRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(SampleTableModel::SampleColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setVisible(false);
    // Fixed row heights: the view never measures 50k rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setResizeContentsPrecision(200);
    m_exportButton->setToolTip(tr("Save the listed samples, with every column, as a CSV file"));
    connect(m_exportButton, &QPushButton::clicked, this, [this] {
        exportCsvInteractively(this, QStringLiteral("samples"),
                               [this](const QString& path) { exportCsv(path); });
    });
    auto* headerRow = new QHBoxLayout;
    headerRow->addWidget(m_header, 1);
    headerRow->addWidget(m_exportButton, 0, Qt::AlignTop);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(headerRow);
    // The rows left, the current row's sample up close right.
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    layout->addWidget(splitter, 1);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &SampleInspector::showCurrentSample);
    connect(m_session, &Session::selectionChanged, this, &SampleInspector::showSelection);
    connect(m_session, &Session::snapshotChanged, this, &SampleInspector::showSnapshot);
    m_model->setSnapshot(m_session->snapshot());
    showSelection();
}

QString SampleInspector::headerText() const {
    return m_header->text();
}

void SampleInspector::exportCsv(const QString& path) const {
    QStringList header;
    for (int column = 0; column < m_proxy->columnCount(); ++column)
        header << m_proxy->headerData(column, Qt::Horizontal, SampleTableModel::CsvRole).toString();
    std::vector<QStringList> rows;
    rows.reserve(static_cast<size_t>(m_proxy->rowCount()));
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        QStringList fields;
        for (int column = 0; column < m_proxy->columnCount(); ++column)
            fields << m_proxy->data(m_proxy->index(row, column), SampleTableModel::CsvRole).toString();
        rows.push_back(std::move(fields));
    }
    writeCsv(path, header, rows);
}

void SampleInspector::showSelection() {
    m_model->setSelection(m_session->predictions(), m_session->selection());
    m_table->resizeColumnsToContents();
    for (int column = 0; column < m_model->columnCount(); ++column)
        if (m_table->columnWidth(column) > kMaxColumnWidthPx)
            m_table->setColumnWidth(column, kMaxColumnWidthPx);
    // The first row's sample shows at once: a click in the gallery selects one sample, and that is it.
    if (m_proxy->rowCount() > 0)
        m_table->setCurrentIndex(m_proxy->index(0, 0));
    showCurrentSample();
    updateHeader();
}

void SampleInspector::showCurrentSample() {
    const QModelIndex current = m_table->currentIndex();
    m_detail->showSample(m_session->selection().split,
                         current.isValid() ? m_model->sampleAt(m_proxy->mapToSource(current).row()) : -1);
}

void SampleInspector::showSnapshot() {
    m_model->setSnapshot(m_session->snapshot());
    updateHeader();
}

void SampleInspector::updateHeader() {
    const int count = m_model->rowCount();
    m_exportButton->setEnabled(count > 0);
    if (count == 0) {
        m_header->setText(tr("Click a bar or a histogram bin to list its samples"));
        return;
    }
    const SampleSelection& selection = m_session->selection();
    const QString unit = QString::fromStdString(m_session->budgetUnit());
    const auto cost = [&unit](double budget) { return tr("%1 %2").arg(budget, 0, 'g', 4).arg(unit); };
    const QString samples = count == 1 ? tr("1 sample") : tr("%1 samples").arg(QLocale().toString(count));
    // The description says what the rows were when clicked: dated by the budget (and method) it was made at,
    // unless it says so itself (the exit distribution's "… · eenet @ 0.1114 ms").
    const QString method = QString::fromStdString(selection.method);
    const bool dated = selection.description.contains(method + QStringLiteral(" @ "));
    const QString selected =
        std::isfinite(selection.budget) && !dated
            ? tr("Selected under %1 at %2: %3").arg(method, cost(selection.budget), selection.description)
            : tr("Selected: %1").arg(selection.description);
    const auto& snapshot = m_session->snapshot();
    QString policy;
    if (!snapshot)
        policy = tr("no policy computed yet");
    else if (!snapshot->available)
        policy = tr("%1 cannot be shown yet").arg(QString::fromStdString(snapshot->method));
    else {
        const bool rejudged = snapshot->budget != selection.budget || snapshot->method != selection.method ||
                              snapshot->thresholds != selection.thresholds;
        policy = (rejudged ? tr("rows re-judged under %1 at %2: %3") : tr("exit taken under %1 at %2: %3"))
                     .arg(QString::fromStdString(snapshot->method), cost(snapshot->budget),
                          exitsText(m_model->exitsTaken(), rejudged));
    }
    m_header->setText(tr("<b>%1</b> — %2<br><small>%3</small>")
                          .arg(selected.toHtmlEscaped(), samples, policy.toHtmlEscaped()));
}

QString SampleInspector::exitsText(const std::vector<int>& exits, bool now) {
    if (exits.empty())
        return tr("no exit");
    QStringList names;
    const bool range = exits.size() > 2 && exits.back() - exits.front() + 1 == static_cast<int>(exits.size());
    if (range)
        names << tr("%1–%2").arg(exits.front() + 1).arg(exits.back() + 1);
    else
        for (int exit : exits)
            names << QString::number(exit + 1);
    const QString list = names.join(QStringLiteral(", "));
    if (exits.size() == 1)
        return now ? tr("exit now %1").arg(list) : tr("exit %1").arg(list);
    return now ? tr("exits now %1").arg(list) : tr("exits %1").arg(list);
}

} // namespace eenet
