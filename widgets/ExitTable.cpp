#include "ExitTable.h"

#include <QHeaderView>

namespace eenet {
namespace {

QTableWidgetItem* numberItem(const std::optional<double>& value, int decimals) {
    auto* item = new QTableWidgetItem(value ? QString::number(*value, 'f', decimals) : QStringLiteral("—"));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

ExitTable::ExitTable(QWidget* parent)
    : QTableWidget(parent) {
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setAlternatingRowColors(true);
    verticalHeader()->setVisible(false);
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    // Every column as wide as its content, one line per exit, so a short dock still shows all the rows.
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
    setWordWrap(false);
    setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
}

void ExitTable::setSummary(const DatasetSummary& summary) {
    const QString unit = QString::fromStdString(summary.costUnit);
    setColumnCount(5);
    setHorizontalHeaderLabels(
        {tr("Exit"), tr("Cost (%1)").arg(unit), tr("MFLOPs"), tr("Val acc. %"), tr("Test acc. %")});
    setRowCount(static_cast<int>(summary.exits.size()));
    for (int k = 0; k < rowCount(); ++k) {
        const ExitSummary& exit = summary.exits[static_cast<size_t>(k)];
        setItem(k, 0, new QTableWidgetItem(QString::fromStdString(exit.name)));
        setItem(k, 1, numberItem(exit.cost, 3));
        setItem(k, 2, numberItem(exit.flops, 2));
        setItem(k, 3, numberItem(exit.valAccuracyPercent, 2));
        setItem(k, 4, numberItem(exit.testAccuracyPercent, 2));
    }
}

} // namespace eenet
