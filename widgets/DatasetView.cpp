#include "DatasetView.h"

#include "ExitAccuracyPlot.h"
#include "ExitTable.h"
#include "session/Session.h"

#include <QFileInfo>
#include <QGroupBox>
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
    auto* classBox = new QGroupBox(tr("Classes"), content);
    m_classes = new QListWidget(classBox);
    m_classes->setFlow(QListView::LeftToRight);
    m_classes->setWrapping(true);
    m_classes->setResizeMode(QListView::Adjust);
    m_classes->setSpacing(2);
    m_classes->setSelectionMode(QAbstractItemView::NoSelection);
    // Room for a few lines of names; a 1000-class file scrolls. The exit table gets the height first.
    m_classes->setMaximumHeight(56);
    auto* classLayout = new QVBoxLayout(classBox);
    classLayout->addWidget(m_classes);

    auto* left = new QWidget(content);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_table, 1);
    leftLayout->addWidget(classBox);
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
    m_title->setText(tr("<span style='font-size:large'><b>%1</b> on <b>%2</b></span>")
                         .arg(QString::fromStdString(s.model).toHtmlEscaped(),
                              QString::fromStdString(s.dataset).toHtmlEscaped()));
    QString details =
        tr("%1 exits · %2 classes · %3 validation samples · %4 · costs in %5<br><small>%6</small>")
            .arg(s.numExits)
            .arg(s.numClasses)
            .arg(s.numVal)
            .arg(s.numTest > 0 ? tr("%1 test samples").arg(s.numTest) : tr("no test split"))
            .arg(QString::fromStdString(s.costUnit).toHtmlEscaped(),
                 QFileInfo(QString::fromStdString(s.sourcePath)).absoluteFilePath().toHtmlEscaped());
    // The description can run to paragraphs (how the model was trained): its first line here, all of it
    // in the tooltip.
    const QString description = QString::fromStdString(s.description).trimmed();
    if (!description.isEmpty()) {
        const QString firstLine = description.section(QLatin1Char('\n'), 0, 0);
        const QString shown = firstLine.size() > 160 ? firstLine.left(157) + QStringLiteral("…") : firstLine;
        details += QStringLiteral("<br><small>%1</small>").arg(shown.toHtmlEscaped());
    }
    m_details->setToolTip(description);
    for (const std::string& note : s.loadNotes)
        details += QStringLiteral("<br><i>%1</i>").arg(QString::fromStdString(note).toHtmlEscaped());
    m_details->setText(details);

    m_classes->clear();
    for (size_t c = 0; c < s.classNames.size(); ++c)
        m_classes->addItem(QStringLiteral("%1: %2").arg(c).arg(QString::fromStdString(s.classNames[c])));
    m_table->setSummary(s);
    m_plot->setSummary(s);
    m_stack->setCurrentIndex(1);
}

} // namespace eenet
