#include "SampleInspector.h"
#include "ChartExport.h"
#include "SampleTableModel.h"

#include "session/Session.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

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
    , m_table(new QTableView(this)) {
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
    layout->addWidget(m_table, 1);
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
        header << m_proxy->headerData(column, Qt::Horizontal).toString();
    std::vector<QStringList> rows;
    rows.reserve(static_cast<size_t>(m_proxy->rowCount()));
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        QStringList fields;
        for (int column = 0; column < m_proxy->columnCount(); ++column)
            fields << m_proxy->data(m_proxy->index(row, column)).toString();
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
    updateHeader();
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
    const auto& snapshot = m_session->snapshot();
    QString policy;
    if (!snapshot)
        policy = tr("no policy computed yet");
    else if (!snapshot->available)
        policy = tr("%1 cannot be shown yet").arg(QString::fromStdString(snapshot->method));
    else
        policy = tr("exit taken under %1 at budget %2 %3")
                     .arg(QString::fromStdString(snapshot->method))
                     .arg(snapshot->budget, 0, 'g', 4)
                     .arg(QString::fromStdString(m_session->predictions()->costUnit));
    const QString samples = count == 1 ? tr("1 sample") : tr("%1 samples").arg(QLocale().toString(count));
    m_header->setText(
        tr("<b>%1</b> — %2<br><small>%3</small>")
            .arg(m_session->selection().description.toHtmlEscaped(), samples, policy.toHtmlEscaped()));
}

} // namespace eenet
