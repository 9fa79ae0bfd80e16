#include "DatasetView.h"

#include "ExitAccuracyPlot.h"
#include "ExitTable.h"
#include "session/Session.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace eenet {
namespace {

QLabel* wrappingLabel(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

DatasetView::DatasetView(Session* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session) {
    auto* placeholder =
        new QLabel(tr("Open a predictions file (File ▸ Open, Ctrl+O) or drop one here."), this);
    placeholder->setAlignment(Qt::AlignCenter);

    auto* content = new QWidget(this);
    m_title = wrappingLabel(content);
    m_details = wrappingLabel(content);
    m_table = new ExitTable(content);
    // No group box around the classes: at 1280x720 the tab is ~250 px high, and the exit table needs the
    // height more than a frame does.
    m_classesTitle = new QLabel(content);
    m_classes = new QListWidget(content);
    m_classes->setFlow(QListView::LeftToRight);
    m_classes->setWrapping(true);
    m_classes->setResizeMode(QListView::Adjust);
    m_classes->setSpacing(2);
    m_classes->setSelectionMode(QAbstractItemView::NoSelection);
    // Room for two lines of names; a 1000-class file scrolls. The exit table gets the height first.
    m_classes->setMaximumHeight(2 * m_classes->fontMetrics().height() + 14);

    auto* left = new QWidget(content);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_table, 1);
    auto* classRow = new QHBoxLayout;
    classRow->addWidget(m_classesTitle, 0, Qt::AlignTop);
    classRow->addWidget(m_classes, 1);
    leftLayout->addLayout(classRow);
    m_plot = new ExitAccuracyPlot(content);

    auto* splitter = new QSplitter(Qt::Horizontal, content);
    splitter->addWidget(left);
    splitter->addWidget(m_plot);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);

    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->addWidget(m_title);
    contentLayout->addWidget(m_details);
    contentLayout->addWidget(splitter, 1);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(placeholder);
    m_stack->addWidget(content);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_session, &Session::predictionsLoaded, this, &DatasetView::refresh);
    refresh();
}

void DatasetView::refresh() {
    if (!m_session->hasPredictions()) {
        m_stack->setCurrentIndex(0);
        return;
    }
    const DatasetSummary& s = m_session->summary();
    // Two lines of header (the table below needs the height): what and how much, then where it came from.
    m_title->setText(tr("<span style='font-size:large'><b>%1</b> on <b>%2</b></span> &nbsp; %3 exits · %4 "
                        "classes · %5 validation + %6 · costs&nbsp;in&nbsp;%7")
                         .arg(QString::fromStdString(s.model).toHtmlEscaped(),
                              QString::fromStdString(s.dataset).toHtmlEscaped())
                         .arg(s.numExits)
                         .arg(s.numClasses)
                         .arg(s.numVal)
                         .arg(s.numTest > 0 ? tr("%1 test samples").arg(s.numTest) : tr("no test samples"),
                              QString::fromStdString(s.costUnit).toHtmlEscaped()));
    QString details =
        QStringLiteral("<small>%1")
            .arg(QFileInfo(QString::fromStdString(s.sourcePath)).absoluteFilePath().toHtmlEscaped());
    // The description can run to paragraphs (how the model was trained): the start of its first line
    // here, all of it in the tooltip.
    const QString description = QString::fromStdString(s.description).trimmed();
    if (!description.isEmpty()) {
        const QString firstLine = description.section(QLatin1Char('\n'), 0, 0);
        const QString shown = firstLine.size() > 100 ? firstLine.left(99) + QStringLiteral("…") : firstLine;
        details += QStringLiteral(" — %1").arg(shown.toHtmlEscaped());
    }
    details += QStringLiteral("</small>");
    m_details->setToolTip(description);
    for (const std::string& note : s.loadNotes)
        details += QStringLiteral("<br><i>%1</i>").arg(QString::fromStdString(note).toHtmlEscaped());
    m_details->setText(details);

    m_classesTitle->setText(tr("Classes (%1):").arg(s.numClasses));
    m_classes->clear();
    for (size_t c = 0; c < s.classNames.size(); ++c)
        m_classes->addItem(QStringLiteral("%1: %2").arg(c).arg(QString::fromStdString(s.classNames[c])));
    m_table->setSummary(s);
    m_plot->setSummary(s);
    m_stack->setCurrentIndex(1);
}

} // namespace eenet
