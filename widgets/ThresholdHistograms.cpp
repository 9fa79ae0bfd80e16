#include "ThresholdHistograms.h"
#include "ChartPalette.h"
#include "ShownSplit.h"
#include "SplitText.h"
#include "ThresholdEditor.h"

#include "session/Session.h"

#include <QLocale>

#include <algorithm>
#include <cmath>
#include <limits>

namespace eenet {
namespace {

constexpr int kTargetBins = 30;
constexpr int kMaxColumns = 3;
constexpr int kUnboundedPx = 100000;
constexpr int kMinimumWidthPx = 360;
constexpr int kMinimumHeightPx = 200;
/// Between a threshold line and its label.
constexpr int kLabelGapPx = 4;

QCPBars* makeBars(QCPAxisRect* rect, const QString& name, const QColor& color) {
    auto* bars = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    bars->setName(name);
    QColor fill = color;
    fill.setAlpha(210);
    bars->setBrush(fill);
    bars->setPen(QPen(color.darker(120), 0.8));
    return bars;
}

} // namespace

ThresholdHistograms::ThresholdHistograms(Session* session, QWidget* parent)
    : InteractivePlot(parent)
    , m_session(session)
    , m_title(new QCPTextElement(this, QString(), QFont(font().family(), 10, QFont::Bold)))
    , m_grid(new QCPLayoutGrid)
    , m_margins(new QCPMarginGroup(this))
    , m_note(new QCPTextElement(this, QString(), QFont(font().family(), 10)))
    , m_editor(new ThresholdEditor(this)) {
    // The panels replace the default axis rect; the legend survives it, centred in a row of its own
    // (the empty cells either side take the spare width).
    axisRect()->insetLayout()->take(legend);
    plotLayout()->clear();
    plotLayout()->addElement(0, 0, m_title);
    putLegendInRow(1);
    plotLayout()->addElement(2, 0, m_grid);
    plotLayout()->setRowStretchFactors({0.001, 0.001, 1});
    plotLayout()->setRowSpacing(2);
    m_grid->setColumnSpacing(12);
    m_grid->setRowSpacing(4);
    legend->setIconSize(14, 10);
    setAutoAddPlottableToLegend(false);
    // A text element is one line high by its own hint: let the note fill the panels' area, centred.
    m_note->setMaximumSize(kUnboundedPx, kUnboundedPx);

    setMinimumSize(kMinimumWidthPx, kMinimumHeightPx);
    connect(m_session, &Session::snapshotChanged, this, [this] { refreshWhenShown([this] { rebuild(); }); });
    connect(m_session, &Session::splitChanged, this, [this] { refreshWhenShown([this] { rebuild(); }); });
    connect(m_session, &Session::selectionChanged, this, &ThresholdHistograms::showSelectedBin);
    // The labels' room depends on the panels' pixel size: place them once the layout is known, before
    // anything is drawn.
    connect(this, &QCustomPlot::afterLayout, this, &ThresholdHistograms::placeThresholdLabels);
    connect(m_editor, &ThresholdEditor::accepted, this, [this](double threshold) {
        if (m_editedPanel >= 0 && m_editedPanel < panelCount())
            m_session->setThresholdByHand(panel(m_editedPanel).exit, threshold);
    });
    connect(m_editor, &ThresholdEditor::closed, this, [this] {
        for (Panel& panel : m_panels)
            panel.thresholdLabel->setVisible(true);
        replot(rpQueuedReplot);
    });
    applyPalette();
    rebuild();
}

QString ThresholdHistograms::grouped(int n) {
    // Grouped digits whatever the system locale, as in "reaching: 3,210".
    return QLocale(QLocale::English).toString(n);
}

QString ThresholdHistograms::thresholdText(double threshold) {
    if (!std::isfinite(threshold) || threshold == 0)
        return QString::number(threshold);
    // Half a percent of the value and of its distance to 1 (scores near 1 are where thresholds crowd).
    const double distance = std::abs(1 - threshold);
    const double tolerance =
        0.005 * (distance > 0 ? std::min(std::abs(threshold), distance) : std::abs(threshold));
    QString text;
    for (int digits = 3; digits <= 6; ++digits) {
        text = QString::number(threshold, 'g', digits);
        if (std::abs(text.toDouble() - threshold) <= tolerance)
            break;
    }
    return text;
}

void ThresholdHistograms::showNote(const QString& text) {
    m_note->setText(text);
    m_note->setTextColor(ChartPalette::text(palette()));
    if (!m_note->layout())
        m_grid->addElement(0, 0, m_note);
    m_note->setVisible(true);
    legend->setVisible(false);
}

void ThresholdHistograms::hideNote() {
    if (m_note->layout()) {
        m_grid->take(m_note);
        m_grid->simplify();
    }
    m_note->setVisible(false);
    legend->setVisible(true);
}

void ThresholdHistograms::rebuild() {
    const auto& snapshot = m_session->snapshot();
    const SplitPolicy* shown = shownSplit(*m_session);
    m_title->setText(snapshot && !snapshot->scoreName.empty()
                         ? tr("Scores at each exit: %1 (%2)%3")
                               .arg(QString::fromStdString(snapshot->scoreName),
                                    splitText(m_session->split()),
                                    snapshot->isCustom() ? tr(", thresholds set by hand") : QString())
                         : tr("Scores at each exit"));
    m_title->setTextColor(ChartPalette::text(palette()));
    if (!shown || !shown->scores || shown->data->numExits < 2) {
        setPanelCount(0);
        if (!m_session->hasPredictions())
            showNote(tr("Open a predictions file to see the scores at each exit"));
        else if (!snapshot)
            showNote(tr("No policy computed yet"));
        else if (!snapshot->available)
            showNote(QString::fromStdString(snapshot->note));
        else if (shown && !shown->scores)
            showNote(tr("The oracle uses labels, not scores: it has no thresholds to show"));
        else
            showNote(tr("A single exit has no threshold"));
        replot(rpQueuedReplot);
        return;
    }
    hideNote();
    setPanelCount(shown->data->numExits - 1);
    for (Panel& panel : m_panels)
        fillPanel(panel, *shown, snapshot->thresholds.at(static_cast<size_t>(panel.exit)));
    showSelectedBin();
    // While a threshold line is dragged the axes keep still: the pixel under the mouse keeps its value.
    if (m_draggedPanel < 0)
        resetView();
    else
        replot(rpQueuedReplot);
}

void ThresholdHistograms::setPanelCount(int count) {
    if (count == panelCount())
        return;
    for (Panel& panel : m_panels) {
        removePlottable(panel.correct);
        removePlottable(panel.wrong);
        removeItem(panel.threshold);
        removeItem(panel.thresholdLabel);
        m_grid->remove(panel.rect);
    }
    m_panels.clear();
    m_grid->simplify();
    const int columns = std::min(count, kMaxColumns);
    if (count > 0) {
        // Small multiples stop being readable below about 200 x 105 px per panel.
        const int rows = (count + columns - 1) / columns;
        setMinimumSize(std::max(kMinimumWidthPx, columns * 170), std::max(kMinimumHeightPx, 50 + rows * 105));
    }
    const QFont small(font().family(), 8);
    for (int i = 0; i < count; ++i) {
        Panel panel;
        panel.exit = i;
        panel.rect = new QCPAxisRect(this);
        m_grid->addElement(i / columns, i % columns, panel.rect);
        panel.rect->setMarginGroup(QCP::msAll, m_margins);
        QCPAxis* x = panel.rect->axis(QCPAxis::atBottom);
        QCPAxis* y = panel.rect->axis(QCPAxis::atLeft);
        for (QCPAxis* axis : {x, y}) {
            axis->setTickLabelFont(small);
            axis->setLabelFont(small);
            axis->setLabelPadding(2);
            axis->ticker()->setTickCount(axis == y ? 3 : 4);
        }
        if (i % columns == 0)
            y->setLabel(tr("samples"));
        panel.correct = makeBars(panel.rect, tr("correct at that exit"), ChartPalette::histogram(true));
        panel.wrong = makeBars(panel.rect, tr("wrong at that exit"), ChartPalette::histogram(false));
        panel.wrong->moveAbove(panel.correct);
        panel.threshold = new QCPItemStraightLine(this);
        panel.threshold->setClipAxisRect(panel.rect);
        for (QCPItemPosition* point : {panel.threshold->point1, panel.threshold->point2})
            point->setAxes(x, y);
        panel.thresholdLabel = new QCPItemText(this);
        panel.thresholdLabel->setClipAxisRect(panel.rect);
        panel.thresholdLabel->position->setAxes(x, y);
        panel.thresholdLabel->position->setAxisRect(panel.rect);
        panel.thresholdLabel->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        panel.thresholdLabel->setFont(small);
        panel.thresholdLabel->setPadding(QMargins(3, 1, 3, 1));
        panel.thresholdLabel->setLayer(QStringLiteral("overlay"));
        m_panels.push_back(panel);
    }
    legend->clearItems();
    if (!m_panels.empty()) {
        m_panels.front().correct->addToLegend();
        m_panels.front().wrong->addToLegend();
        // Keeps the legend at its natural width inside its row.
        legend->setMaximumSize(legend->minimumOuterSizeHint());
    }
    applyPalette();
}

int ThresholdHistograms::binOf(int index, double score) const {
    const Panel& p = panel(index);
    // Counted from the threshold, so that score >= T always lands at or right of the threshold's bin.
    const int bin = p.originBin + static_cast<int>(std::floor((score - p.origin) / p.binWidth));
    return std::clamp(bin, 0, p.binCount - 1);
}

void ThresholdHistograms::fillPanel(Panel& panel, const SplitPolicy& shown, double threshold) {
    const int k = panel.exit;
    const ExitData& data = *shown.data;
    const auto scores = shown.scores->row(k);
    panel.thresholdValue = threshold;
    panel.reaching.clear();
    int leaving = 0;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (int n = 0; n < data.numSamples; ++n) {
        const int exit = shown.outcome.exitOf[static_cast<size_t>(n)];
        if (exit < k)
            continue;
        panel.reaching.push_back(n);
        leaving += exit == k;
        lo = std::min(lo, scores(n));
        hi = std::max(hi, scores(n));
    }
    if (panel.reaching.empty())
        lo = hi = std::isfinite(threshold) ? threshold : 0.0;
    panel.binWidth = hi > lo ? (hi - lo) / kTargetBins : std::max(std::abs(lo) * 1e-3, 1e-3);
    // Bin edges fall on T_k when it lies within the scores, so no bin mixes leaving and continuing samples.
    panel.origin = std::isfinite(threshold) && threshold >= lo && threshold <= hi ? threshold : lo;
    panel.originBin = static_cast<int>(std::ceil((panel.origin - lo) / panel.binWidth));
    panel.binCount =
        panel.originBin + std::max(1, static_cast<int>(std::ceil((hi - panel.origin) / panel.binWidth)));

    QVector<double> keys(panel.binCount), correct(panel.binCount, 0.0), wrong(panel.binCount, 0.0);
    for (int b = 0; b < panel.binCount; ++b)
        keys[b] = panel.binLower(b) + 0.5 * panel.binWidth;
    for (int n : panel.reaching)
        (data.correct(k, n) ? correct : wrong)[binOf(k, scores(n))] += 1;
    panel.correct->setData(keys, correct, true);
    panel.wrong->setData(keys, wrong, true);
    panel.correct->setWidth(panel.binWidth);
    panel.wrong->setWidth(panel.binWidth);

    const QColor text = ChartPalette::text(palette());
    panel.threshold->setVisible(std::isfinite(threshold));
    panel.threshold->setPen(QPen(text, 1.5, Qt::DashLine));
    panel.threshold->point1->setCoords(std::isfinite(threshold) ? threshold : 0, 0);
    panel.threshold->point2->setCoords(std::isfinite(threshold) ? threshold : 0, 1);
    panel.thresholdLabel->setColor(text);
    panel.thresholdLabel->setBrush(ChartPalette::labelFill(palette()));
    if (std::isfinite(threshold)) {
        // The arrow says which side leaves.
        panel.thresholdLabel->setText(
            tr("T = %1\n%2 leave →").arg(thresholdText(threshold), grouped(leaving)));
    } else {
        panel.thresholdLabel->setText(threshold > 0 ? tr("nobody leaves here") : tr("everyone leaves here"));
    }
    // x in pixels, set by placeThresholdLabels(); y just below the panel's top.
    panel.thresholdLabel->position->setTypeX(QCPItemPosition::ptAbsolute);
    panel.thresholdLabel->position->setCoords(panel.rect->left(), 0.03);
    panel.thresholdLabel->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    const std::string& exitName = m_session->predictions()->exitNames.at(static_cast<size_t>(k));
    panel.rect->axis(QCPAxis::atBottom)
        ->setLabel(
            tr("%1 score\n%2 samples reach it")
                .arg(QString::fromStdString(exitName), grouped(static_cast<int>(panel.reaching.size()))));
}

void ThresholdHistograms::resetView() {
    for (Panel& panel : m_panels) {
        const double threshold = panel.thresholdValue;
        double lo = panel.binLower(0);
        double hi = panel.binLower(panel.binCount);
        if (std::isfinite(threshold)) {
            lo = std::min(lo, threshold);
            hi = std::max(hi, threshold);
        }
        const double margin = 0.03 * (hi - lo);
        panel.rect->axis(QCPAxis::atBottom)->setRange(lo - margin, hi + margin);
        double tallest = 0;
        for (int b = 0; b < panel.binCount; ++b)
            tallest =
                std::max(tallest, panel.correct->data()->at(b)->value + panel.wrong->data()->at(b)->value);
        // Head room for the threshold label above the tallest bar.
        panel.rect->axis(QCPAxis::atLeft)->setRange(0, std::max(1.0, tallest * 1.3));
    }
    replot(rpQueuedReplot);
}

void ThresholdHistograms::placeThresholdLabels() {
    for (Panel& panel : m_panels) {
        QCPItemText* label = panel.thresholdLabel;
        const double threshold = panel.thresholdValue;
        const QRect inside = panel.rect->rect();
        const QMargins padding = label->padding();
        const int width =
            QFontMetrics(label->font()).boundingRect(QRect(), Qt::TextDontClip, label->text()).width() +
            padding.left() + padding.right();
        // Right of the line, the side that leaves; else left of it; else as near the line as the panel
        // allows. Never across an edge, where "2,720 leave" would read "720 leave".
        const double line = std::isfinite(threshold)
                                ? panel.rect->axis(QCPAxis::atBottom)->coordToPixel(threshold)
                                : inside.left() - kLabelGapPx + 0.03 * inside.width();
        double left = line + kLabelGapPx;
        Qt::Alignment side = Qt::AlignLeft;
        if (left + width > inside.right()) {
            left = line - kLabelGapPx - width;
            side = Qt::AlignRight;
        }
        if (left < inside.left() || left + width > inside.right())
            left =
                std::max<double>(inside.left(), std::min<double>(line - 0.5 * width, inside.right() - width));
        label->setTextAlignment(side);
        label->position->setCoords(std::round(left), 0.03);
    }
}

ChartTable ThresholdHistograms::tableData() const {
    ChartTable table{{QStringLiteral("exit"), QStringLiteral("exit name"), QStringLiteral("bin lower"),
                      QStringLiteral("bin upper"), QStringLiteral("correct"), QStringLiteral("wrong"),
                      QStringLiteral("threshold")},
                     {}};
    if (m_panels.empty())
        return table;
    for (const Panel& p : m_panels) {
        const QString exitName =
            QString::fromStdString(m_session->predictions()->exitNames.at(static_cast<size_t>(p.exit)));
        const QString threshold = csvNumber(p.thresholdValue);
        for (int bin = 0; bin < p.correct->dataCount(); ++bin)
            table.rows.push_back({QString::number(p.exit + 1), exitName, csvNumber(p.binLower(bin)),
                                  csvNumber(p.binLower(bin + 1)),
                                  csvNumber(p.correct->data()->at(bin)->value),
                                  csvNumber(p.wrong->data()->at(bin)->value), threshold});
    }
    return table;
}

void ThresholdHistograms::paletteChanged() {
    // The threshold lines and labels take the palette's text colour.
    rebuild();
}

} // namespace eenet
