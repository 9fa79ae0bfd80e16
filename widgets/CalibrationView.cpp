#include "CalibrationView.h"
#include "DeferredRefresh.h"
#include "ReliabilityPlot.h"
#include "SplitText.h"
#include "WrappedLabel.h"

#include "session/Session.h"

#include <QHeaderView>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace eenet {
namespace {

QString beforeAfter(double before, double after, double scale, int decimals) {
    return QStringLiteral("%1 → %2")
        .arg(before * scale, 0, 'f', decimals)
        .arg(after * scale, 0, 'f', decimals);
}

} // namespace

CalibrationView::CalibrationView(Session* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_plot(new ReliabilityPlot(session, this))
    , m_caption(new WrappedLabel(this))
    , m_table(new QTableWidget(0, ColumnCount, this)) {
    m_table->setHorizontalHeaderLabels(
        {tr("exit"), tr("temperature"), tr("ECE (%)"), tr("MCE (%)"), tr("NLL"), tr("Brier")});
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    auto* lower = new QWidget(this);
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addWidget(m_caption);
    lowerLayout->addWidget(m_table, 1);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_plot);
    splitter->addWidget(lower);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
    auto* refresh = new DeferredRefresh(this);
    const auto request = [this, refresh] { refresh->request([this] { refreshTable(); }); };
    connect(m_session, &Session::calibrationChanged, this, request);
    connect(m_session, &Session::splitChanged, this, request);
    refreshTable();
}

QString CalibrationView::captionText() const {
    return m_caption->text();
}

void CalibrationView::refreshTable() {
    const auto& calibration = m_session->calibration();
    const int exits = calibration ? static_cast<int>(calibration->size()) : 0;
    m_table->setRowCount(exits);
    // At least two exits' rows in view: the view must fit a 1280x720 window's centre; more rows scroll.
    const int shownRows = std::clamp(exits, 1, 2);
    m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height() +
                              shownRows * m_table->verticalHeader()->defaultSectionSize() +
                              2 * m_table->frameWidth());
    const Split split = m_session->split();
    m_caption->setText(exits == 0 ? QString()
                                  : tr("Before → after temperature scaling, %1. One T per exit, fitted on "
                                       "validation; T > 1 softens an overconfident exit.")
                                        .arg(splitText(split)));
    for (int k = 0; k < exits; ++k) {
        const ExitCalibration& exit = calibration->at(static_cast<size_t>(k));
        const BeforeAfter& shown = split == Split::Test && exit.test ? *exit.test : exit.val;
        const QString temperature = QString::number(exit.fit.temperature, 'f', 3) +
                                    (exit.fit.atBound ? tr(" (at the search's bound)") : QString());
        const QStringList cells{
            QString::fromStdString(m_session->predictions()->exitNames.at(static_cast<size_t>(k))),
            temperature,
            beforeAfter(shown.before.ece, shown.after.ece, 100, 2),
            beforeAfter(shown.before.mce, shown.after.mce, 100, 2),
            beforeAfter(shown.before.nll, shown.after.nll, 1, 4),
            beforeAfter(shown.before.brier, shown.after.brier, 1, 4)};
        for (int column = 0; column < ColumnCount; ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            item->setTextAlignment(column == ExitColumn ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignCenter);
            m_table->setItem(k, column, item);
        }
    }
}

} // namespace eenet
