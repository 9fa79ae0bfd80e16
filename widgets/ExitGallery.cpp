#include "ExitGallery.h"
#include "DeferredRefresh.h"
#include "GalleryText.h"
#include "SampleThumbnails.h"
#include "SplitText.h"
#include "ThumbnailStrip.h"
#include "WrappedLabel.h"

#include "session/Session.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTextDocumentFragment>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

namespace eenet {
namespace {

constexpr char kSelectionView[] = "exit gallery";
/// Room for one image tile and a scroll bar, so many exits scroll sideways rather than squeeze.
constexpr int kColumnMinWidthPx = 104;

} // namespace

ExitGallery::ExitGallery(Session* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_refresh(new DeferredRefresh(this))
    , m_title(new WrappedLabel(this))
    , m_pages(new QStackedWidget(this))
    , m_placeholder(new QLabel(this))
    , m_columnsPage(new QWidget(this)) {
    // Method names and notes come from files and the user: never read them as markup.
    m_title->setTextFormat(Qt::PlainText);
    m_placeholder->setTextFormat(Qt::PlainText);
    m_placeholder->setWordWrap(true);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setMargin(24);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // Each column scrolls on its own; the row of columns scrolls sideways only.
    scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(m_columnsPage);
    new QHBoxLayout(m_columnsPage);
    m_pages->addWidget(m_placeholder);
    m_pages->addWidget(scroll); // page 1: the columns
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_pages, 1);
    setMinimumSize(320, 240);

    const auto refresh = [this] { m_refresh->request([this] { rebuild(); }); };
    connect(m_session, &Session::snapshotChanged, this, refresh);
    connect(m_session, &Session::splitChanged, this, refresh);
    connect(m_session, &Session::predictionsLoaded, this, refresh);
    connect(m_session, &Session::selectionChanged, this, &ExitGallery::showSelection);
    rebuild();
}

void ExitGallery::rebuild() {
    const auto thumbnails = SampleThumbnails::reuseOrMake(m_thumbnails, shownInputs(*m_session));
    const bool newThumbnails = thumbnails != m_thumbnails;
    m_thumbnails = thumbnails;
    const QString unavailable = samplesUnavailableText(*m_session);
    if (!unavailable.isEmpty()) {
        m_title->setText(tr("The samples each exit takes"));
        m_placeholder->setText(unavailable);
        m_pages->setCurrentWidget(m_placeholder);
        for (const Column& column : m_columns)
            column.strip->setTiles({});
        return;
    }
    const SplitPolicy& shown = *shownPolicy(*m_session);
    const bool newColumns = columnCount() != shown.data->numExits;
    if (newColumns)
        makeColumns(shown.data->numExits);
    if (newColumns || newThumbnails)
        for (const Column& column : m_columns)
            column.strip->setThumbnails(m_thumbnails);
    const PolicySnapshot& snapshot = *m_session->snapshot();
    const QString order = shown.scores ? tr("most confident first (score furthest past the threshold)")
                                       : tr("in sample order (the oracle has no scores)");
    QString title = tr("%1, %2: the samples each exit takes, %3")
                        .arg(policyText(snapshot, *m_session->predictions()), splitText(shown.split), order);
    if (!snapshot.note.empty())
        title += QLatin1Char('\n') + QString::fromStdString(snapshot.note);
    m_title->setText(title);
    for (int k = 0; k < columnCount(); ++k)
        fillColumn(k, shown);
    showSelection();
    m_pages->setCurrentIndex(1); // the columns
}

void ExitGallery::makeColumns(int numExits) {
    // Deleting a column's box takes its header, strip and layout with it, and out of the row.
    for (const Column& column : m_columns)
        delete column.box;
    m_columns.clear();
    for (int k = 0; k < numExits; ++k) {
        auto* box = new QWidget(m_columnsPage);
        auto* header = new WrappedLabel(box);
        header->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
        auto* strip = new ThumbnailStrip(box);
        strip->setMinimumWidth(kColumnMinWidthPx);
        strip->setEmptyText(tr("No sample leaves at this exit under this policy."));
        strip->setToolTipMaker([this, k](int sample) { return toolTip(k, sample); });
        connect(strip, &ThumbnailStrip::sampleClicked, this,
                [this, k](int sample) { selectSample(k, sample); });
        auto* layout = new QVBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(header);
        layout->addWidget(strip, 1);
        m_columnsPage->layout()->addWidget(box);
        m_columns.push_back({box, header, strip});
    }
}

const std::vector<int>& ExitGallery::scoreOrder(const SplitPolicy& shown, int exit) {
    if (shown.scores != m_orderedScores) {
        m_orderedScores = shown.scores;
        m_scoreOrder.assign(static_cast<size_t>(shown.scores->rows()), {});
    }
    std::vector<int>& order = m_scoreOrder.at(static_cast<size_t>(exit));
    if (order.empty() && shown.scores->cols() > 0) {
        const auto scores = shown.scores->row(exit);
        order.resize(static_cast<size_t>(scores.size()));
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return scores(a) > scores(b); });
    }
    return order;
}

void ExitGallery::fillColumn(int exit, const SplitPolicy& shown) {
    const ExitData& data = *shown.data;
    const auto leavesHere = [&](int i) { return shown.outcome.exitOf[static_cast<size_t>(i)] == exit; };
    std::vector<int> samples;
    // Every sample of a column faced the same threshold T_k, so "furthest past it" is the highest score.
    if (shown.scores) {
        for (int i : scoreOrder(shown, exit))
            if (leavesHere(i))
                samples.push_back(i);
    } else {
        for (int i = 0; i < data.numSamples; ++i)
            if (leavesHere(i))
                samples.push_back(i);
    }
    std::vector<ThumbnailTile> tiles;
    tiles.reserve(samples.size());
    int right = 0;
    for (int sample : samples) {
        const bool correct = data.correct(exit, sample) != 0;
        right += correct;
        tiles.push_back({sample, correct});
    }
    const Column& column = m_columns[static_cast<size_t>(exit)];
    const QString name = QString::fromStdString(m_session->predictions()->exitNames.at(size_t(exit)));
    const int count = static_cast<int>(samples.size());
    column.header->setText(count == 0 ? tr("<b>%1</b><br>no sample leaves here").arg(name.toHtmlEscaped())
                                      : tr("<b>%1</b><br>%2 samples (%3 %)<br>%4 % right")
                                            .arg(name.toHtmlEscaped())
                                            .arg(count)
                                            .arg(100.0 * count / data.numSamples, 0, 'f', 1)
                                            .arg(100.0 * right / count, 0, 'f', 1));
    column.strip->setTiles(std::move(tiles));
}

QString ExitGallery::toolTip(int exit, int sample) const {
    const SplitPolicy* shown = shownPolicy(*m_session);
    if (!shown)
        return {};
    const Predictions& predictions = *m_session->predictions();
    const ExitData& data = *shown->data;
    QStringList lines{sampleHeadline(predictions, data, sample),
                      predictionLine(predictions, data, exit, sample)};
    if (!shown->scores) {
        lines << tr("the oracle has no scores: it sends each sample to its earliest right exit while the "
                    "budget allows");
    } else {
        const double score = (*shown->scores)(exit, sample);
        const std::vector<double>& thresholds = m_session->snapshot()->thresholds;
        if (exit + 1 == data.numExits)
            lines << tr("score here %1; no earlier score reached its exit's threshold, and the last exit "
                        "takes every sample left")
                         .arg(score, 0, 'f', 4);
        else
            lines << tr("score %1 ≥ threshold %2 (%3 past it)")
                         .arg(score, 0, 'f', 4)
                         .arg(thresholds.at(size_t(exit)), 0, 'f', 4)
                         .arg(score - thresholds.at(size_t(exit)), 0, 'f', 4);
    }
    if (m_thumbnails && !m_thumbnails->error(sample).isEmpty())
        lines << tr("input unreadable: %1").arg(m_thumbnails->error(sample).toHtmlEscaped());
    lines << tr("<i>click to inspect it</i>");
    return lines.join(QStringLiteral("<br>"));
}

void ExitGallery::showSelection() {
    const SampleSelection& selection = m_session->selection();
    const std::vector<int> highlighted =
        selection.split == m_session->split() ? selection.indices : std::vector<int>();
    for (const Column& column : m_columns)
        column.strip->setHighlighted(highlighted);
}

void ExitGallery::selectSample(int exit, int sample) {
    SampleSelection selection;
    selection.split = m_session->split();
    selection.indices = {sample};
    selection.origin.view = QLatin1String(kSelectionView);
    selection.origin.exit = exit;
    selection.description =
        tr("sample %1 · leaving at %2 · %3")
            .arg(sample)
            .arg(QString::fromStdString(m_session->predictions()->exitNames.at(size_t(exit))),
                 splitText(selection.split));
    m_session->setSelection(std::move(selection));
}

QVector<int> ExitGallery::samplesInColumn(int exit) const {
    return showsPlaceholder() ? QVector<int>() : column(exit)->samples();
}

QString ExitGallery::columnHeader(int exit) const {
    return QTextDocumentFragment::fromHtml(m_columns.at(size_t(exit)).header->text()).toPlainText();
}

ThumbnailStrip* ExitGallery::column(int exit) const {
    return m_columns.at(size_t(exit)).strip;
}

QString ExitGallery::titleText() const {
    return m_title->text();
}

bool ExitGallery::showsPlaceholder() const {
    return m_pages->currentWidget() == m_placeholder;
}

QString ExitGallery::placeholderText() const {
    return m_placeholder->text();
}

} // namespace eenet
