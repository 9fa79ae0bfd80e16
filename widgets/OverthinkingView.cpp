#include "OverthinkingView.h"
#include "DeferredRefresh.h"
#include "GalleryText.h"
#include "OverthinkingChart.h"
#include "SampleThumbnails.h"
#include "SplitText.h"
#include "ThumbnailStrip.h"

#include "session/Session.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cstdlib>

namespace eenet {
namespace {

constexpr char kSelectionView[] = "overthinking";

QVBoxLayout* pictureColumn(QLabel* header, ThumbnailStrip* strip) {
    header->setWordWrap(true);
    strip->setEmptyText(QObject::tr("No such sample"));
    auto* column = new QVBoxLayout;
    column->addWidget(header);
    column->addWidget(strip, 1);
    return column;
}

} // namespace

OverthinkingView::OverthinkingView(Session* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_refresh(new DeferredRefresh(this))
    , m_explanation(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_chart(new OverthinkingChart(this))
    , m_pictures(new QStackedWidget(this))
    , m_picturesPlaceholder(new QLabel(this))
    , m_helpsHeader(new QLabel(this))
    , m_hurtsHeader(new QLabel(this))
    , m_helpsStrip(new ThumbnailStrip(this))
    , m_hurtsStrip(new ThumbnailStrip(this)) {
    m_explanation->setToolTip(
        tr("<b>Why stopping early can raise accuracy.</b> A later exit is not always right where an earlier "
           "one was: the network can <i>overthink</i> a sample. Solid green bars count the samples an exit "
           "gets right that the last exit gets wrong: stopping them there gains accuracy and saves cost. "
           "Hatched red bars count the reverse: stopping those early loses accuracy. A confidence score "
           "cannot tell the two apart perfectly. The oracle, which knows the labels, stops every sample at "
           "its earliest right exit as far as the budget allows: it collects the green samples and avoids "
           "the red ones, which is why its bound can lie above the last exit's accuracy. Click a bar to see "
           "its samples below."));
    m_explanation->setWordWrap(true);
    m_explanation->setText(m_explanation->toolTip());
    m_summary->setWordWrap(true);
    m_picturesPlaceholder->setTextFormat(Qt::PlainText);
    m_picturesPlaceholder->setWordWrap(true);
    m_picturesPlaceholder->setAlignment(Qt::AlignCenter);
    m_picturesPlaceholder->setMargin(16);

    auto* picturesPage = new QWidget(this);
    auto* columns = new QHBoxLayout(picturesPage);
    columns->setContentsMargins(0, 0, 0, 0);
    columns->addLayout(pictureColumn(m_helpsHeader, m_helpsStrip), 1);
    columns->addLayout(pictureColumn(m_hurtsHeader, m_hurtsStrip), 1);
    m_pictures->addWidget(m_picturesPlaceholder);
    m_pictures->addWidget(picturesPage); // page 1: the pictures
    m_splitter->addWidget(m_chart);
    m_splitter->addWidget(m_pictures);
    m_splitter->setChildrenCollapsible(false);
    // The chart needs room for its legend, counts and bars; the pictures scroll.
    m_chart->setMinimumHeight(200);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_explanation);
    layout->addWidget(m_summary);
    layout->addWidget(m_splitter, 1);
    setMinimumSize(320, 260);

    for (ThumbnailStrip* strip : {m_helpsStrip, m_hurtsStrip}) {
        const bool helps = strip == m_helpsStrip;
        strip->setToolTipMaker([this](int sample) { return toolTip(sample); });
        connect(strip, &ThumbnailStrip::sampleClicked, this,
                [this, helps](int sample) { selectSample(sample, helps); });
    }
    connect(m_chart, &OverthinkingChart::barClicked, this, &OverthinkingView::selectBar);
    const auto splitChanged = [this] {
        m_splitStale = true;
        refresh();
    };
    connect(m_session, &Session::predictionsLoaded, this, splitChanged);
    connect(m_session, &Session::splitChanged, this, splitChanged);
    connect(m_session, &Session::snapshotChanged, this, &OverthinkingView::refresh);
    connect(m_session, &Session::selectionChanged, this, &OverthinkingView::showSelection);
    refresh();
}

void OverthinkingView::refresh() {
    m_refresh->request([this] {
        if (m_splitStale)
            recomputeSplit();
        showPolicy();
    });
}

void OverthinkingView::recomputeSplit() {
    m_splitStale = false;
    m_data.reset();
    m_all.clear();
    m_shownExit = -1;
    m_thumbnails = SampleThumbnails::reuseOrMake(m_thumbnails, shownInputs(*m_session));
    for (ThumbnailStrip* strip : {m_helpsStrip, m_hurtsStrip})
        strip->setThumbnails(m_thumbnails);
    if (m_session->hasPredictions()) {
        const Predictions& predictions = *m_session->predictions();
        const SplitPredictions& split =
            m_session->split() == Split::Test ? *predictions.test : predictions.val;
        m_data = std::make_shared<const ExitData>(makeExitData(predictions, split));
        m_all = compareExitsWithLast(*m_data);
        // Open on the exit that overthinks the most samples, so the view tells its story without a click.
        const auto mostHelped =
            std::max_element(m_all.begin(), m_all.end() - 1,
                             [](const auto& a, const auto& b) { return a.helps.size() < b.helps.size(); });
        if (m_data->numExits >= 2)
            m_shownExit = static_cast<int>(mostHelped - m_all.begin());
    }
    // The pictures depend on the split only: a new policy leaves them, and where the user scrolled, alone.
    fillStrips();
}

void OverthinkingView::showPolicy() {
    const SplitPolicy* shown = shownPolicy(*m_session);
    m_leaving = shown ? compareExitsWithLast(*shown->data, shown->outcome.exitOf) : std::vector<ExitVsLast>();
    if (!m_data) {
        m_chart->showMessage(tr("Open a predictions file to compare its exits"));
    } else if (m_data->numExits < 2) {
        m_chart->showMessage(tr("With a single exit there is nothing to compare"));
    } else {
        const Predictions& predictions = *m_session->predictions();
        QStringList names;
        for (const std::string& name : predictions.exitNames)
            names << QString::fromStdString(name);
        m_chart->setComparison(m_all, m_leaving, names,
                               shown ? policyText(*m_session->snapshot(), predictions) : QString());
    }
    m_summary->setText(policySummary());
    showSelection();
}

QString OverthinkingView::policySummary() const {
    if (!m_data || m_data->numExits < 2)
        return {};
    const SplitPolicy* shown = shownPolicy(*m_session);
    if (!shown) {
        const QString why = samplesUnavailableText(*m_session);
        return tr("%1 The counts hold for any policy.")
            .arg(why.isEmpty() ? tr("No policy computed yet.") : why);
    }
    const ExitVsLastTotals totals = totalsOf(m_leaving);
    const int net = totals.helps - totals.hurts;
    const double points = 100.0 * net / m_data->numSamples;
    return tr("<b>%1</b> (%2), among the samples it stops before the last exit: right there but wrong at the "
              "last exit: %3; wrong there but right at the last exit: %4. Net: %5 %6 right than running "
              "every "
              "sample to the last exit (%7%8 points).")
        .arg(policyText(*m_session->snapshot(), *m_session->predictions()).toHtmlEscaped(),
             splitText(shown->split))
        .arg(totals.helps)
        .arg(totals.hurts)
        .arg(std::abs(net))
        .arg(net >= 0 ? tr("more") : tr("fewer"), net >= 0 ? QStringLiteral("+") : QStringLiteral("−"))
        .arg(std::abs(points), 0, 'f', 1);
}

void OverthinkingView::showExit(int exit) {
    if (!m_data || exit < 0 || exit + 1 >= m_data->numExits)
        return;
    m_shownExit = exit;
    fillStrips();
    showSelection();
}

void OverthinkingView::fillStrips() {
    if (!m_thumbnails || m_shownExit < 0) {
        m_picturesPlaceholder->setText(m_thumbnails ? tr("With a single exit there is nothing to compare.")
                                                    : samplesUnavailableText(*m_session));
        m_pictures->setCurrentWidget(m_picturesPlaceholder);
        m_helpsStrip->setTiles({});
        m_hurtsStrip->setTiles({});
        return;
    }
    const ExitVsLast& shown = m_all[size_t(m_shownExit)];
    const Predictions& predictions = *m_session->predictions();
    const QString here =
        QString::fromStdString(predictions.exitNames.at(size_t(m_shownExit))).toHtmlEscaped();
    const QString last = QString::fromStdString(predictions.exitNames.back()).toHtmlEscaped();
    m_helpsHeader->setText(tr("Right at <b>%1</b>, wrong at <b>%2</b>: %3 samples (stopping early helps)")
                               .arg(here, last)
                               .arg(shown.helps.size()));
    m_hurtsHeader->setText(tr("Wrong at <b>%1</b>, right at <b>%2</b>: %3 samples (stopping early hurts)")
                               .arg(here, last)
                               .arg(shown.hurts.size()));
    const auto tiles = [](const std::vector<int>& samples, bool correct) {
        std::vector<ThumbnailTile> tiles;
        tiles.reserve(samples.size());
        for (int sample : samples)
            tiles.push_back({sample, correct});
        return tiles;
    };
    m_helpsStrip->setTiles(tiles(shown.helps, true));
    m_hurtsStrip->setTiles(tiles(shown.hurts, false));
    m_pictures->setCurrentIndex(1); // the pictures
}

QString OverthinkingView::toolTip(int sample) const {
    if (!m_data || m_shownExit < 0)
        return {};
    const Predictions& predictions = *m_session->predictions();
    QStringList lines{sampleHeadline(predictions, *m_data, sample),
                      predictionLine(predictions, *m_data, m_shownExit, sample),
                      predictionLine(predictions, *m_data, m_data->numExits - 1, sample)};
    if (const SplitPolicy* shown = shownPolicy(*m_session)) {
        const int exit = shown->outcome.exitOf.at(size_t(sample));
        lines << tr("%1 stops it at %2")
                     .arg(policyText(*m_session->snapshot(), predictions).toHtmlEscaped(),
                          QString::fromStdString(predictions.exitNames.at(size_t(exit))).toHtmlEscaped());
    }
    if (!m_thumbnails->error(sample).isEmpty())
        lines << tr("input unreadable: %1").arg(m_thumbnails->error(sample).toHtmlEscaped());
    lines << tr("<i>click to inspect it</i>");
    return lines.join(QStringLiteral("<br>"));
}

void OverthinkingView::showSelection() {
    const SampleSelection& selection = m_session->selection();
    const bool sameSplit = selection.split == m_session->split();
    // A clicked bar's samples fill a whole strip: its outlined bar marks them, not a strip of highlights.
    const bool wholeStrip = m_shownExit >= 0 && (selection.indices == m_all[size_t(m_shownExit)].helps ||
                                                 selection.indices == m_all[size_t(m_shownExit)].hurts);
    const std::vector<int> highlighted = sameSplit && !wholeStrip ? selection.indices : std::vector<int>();
    m_helpsStrip->setHighlighted(highlighted);
    m_hurtsStrip->setHighlighted(highlighted);
    const bool ours = sameSplit && selection.origin.view == QLatin1String(kSelectionView);
    m_chart->highlight(ours ? selection.origin.exit : -1, selection.origin.correct);
}

void OverthinkingView::selectBar(int exit, bool helps) {
    if (!m_data || exit < 0 || exit + 1 >= m_data->numExits)
        return;
    showExit(exit);
    const Predictions& predictions = *m_session->predictions();
    SampleSelection selection;
    selection.split = m_session->split();
    selection.indices = helps ? m_all[size_t(exit)].helps : m_all[size_t(exit)].hurts;
    selection.origin.view = QLatin1String(kSelectionView);
    selection.origin.exit = exit;
    selection.origin.correct = helps;
    selection.description =
        tr("%1 at %2, %3 at %4 · %5")
            .arg(helps ? tr("right") : tr("wrong"),
                 QString::fromStdString(predictions.exitNames.at(size_t(exit))),
                 helps ? tr("wrong") : tr("right"), QString::fromStdString(predictions.exitNames.back()),
                 splitText(selection.split));
    m_session->setSelection(std::move(selection));
}

void OverthinkingView::selectSample(int sample, bool helps) {
    const Predictions& predictions = *m_session->predictions();
    SampleSelection selection;
    selection.split = m_session->split();
    selection.indices = {sample};
    selection.origin.view = QLatin1String(kSelectionView);
    selection.origin.exit = m_shownExit;
    selection.origin.correct = helps;
    selection.description =
        tr("sample %1 · %2 at %3, %4 at %5 · %6")
            .arg(sample)
            .arg(helps ? tr("right") : tr("wrong"),
                 QString::fromStdString(predictions.exitNames.at(size_t(m_shownExit))),
                 helps ? tr("wrong") : tr("right"), QString::fromStdString(predictions.exitNames.back()),
                 splitText(selection.split));
    m_session->setSelection(std::move(selection));
}

bool OverthinkingView::showsPicturesPlaceholder() const {
    return m_pictures->currentWidget() == m_picturesPlaceholder;
}

void OverthinkingView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    const bool wide = width() > 1.6 * height();
    m_splitter->setOrientation(wide ? Qt::Horizontal : Qt::Vertical);
    const QString full = m_explanation->toolTip();
    m_explanation->setText(
        height() < 560 ? full.section(QStringLiteral("</b>"), 0, 0) + tr("</b> (hover here for why)") : full);
}

} // namespace eenet
