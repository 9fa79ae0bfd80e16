#include "ClassExitMapPanel.h"
#include "ClassExitMap.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>

namespace eenet {
namespace {

constexpr int kRowChoices[] = {20, 50};

} // namespace

ClassExitMapPanel::ClassExitMapPanel(ClassExitMap* map, QWidget* parent)
    : QWidget(parent)
    , m_map(map)
    , m_rows(new QComboBox(this))
    , m_order(new QComboBox(this)) {
    // Reads as a sentence: "Show [20 classes] [that exit latest]".
    m_order->addItem(tr("in class order"), int(ClassOrder::ClassIndex));
    m_order->addItem(tr("that exit latest"), int(ClassOrder::ExitLatest));
    m_order->addItem(tr("that exit earliest"), int(ClassOrder::ExitEarliest));
    m_order->addItem(tr("that lose the most accuracy"), int(ClassOrder::LosesMostAccuracy));
    m_rows->setToolTip(tr("How many classes the map shows, the first of the order"));
    m_order->setToolTip(tr("Which classes come first: by mean exit, or by accuracy under the policy minus "
                           "the last exit's"));
    auto* show = new QLabel(tr("Show"), this);
    show->setBuddy(m_rows);
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(6, 2, 6, 0);
    bar->addWidget(show);
    bar->addWidget(m_rows);
    bar->addWidget(m_order);
    bar->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_map, 1);

    connect(m_rows, qOverload<int>(&QComboBox::activated), this,
            [this] { m_map->setRowLimit(m_rows->currentData().toInt()); });
    connect(m_order, qOverload<int>(&QComboBox::activated), this,
            [this] { m_map->setOrder(static_cast<ClassOrder>(m_order->currentData().toInt())); });
    connect(m_map, &ClassExitMap::rowsChanged, this, &ClassExitMapPanel::showMapChoice);
    showMapChoice();
}

void ClassExitMapPanel::showMapChoice() {
    const QSignalBlocker rowsQuiet(m_rows);
    const QSignalBlocker orderQuiet(m_order);
    m_rows->clear();
    for (int rows : kRowChoices)
        if (rows < m_map->classCount())
            m_rows->addItem(tr("%1 classes").arg(rows), rows);
    m_rows->addItem(tr("all classes"), 0);
    const int limit = m_map->rowLimit();
    const int current = m_rows->findData(limit > 0 && limit < m_map->classCount() ? limit : 0);
    m_rows->setCurrentIndex(std::max(current, 0));
    // Nothing to choose while every class fits the smallest choice, or nothing is shown.
    m_rows->setEnabled(m_rows->count() > 1);
    m_order->setCurrentIndex(m_order->findData(int(m_map->order())));
    m_order->setEnabled(m_map->classCount() > 0);
}

} // namespace eenet
