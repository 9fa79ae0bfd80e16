#include "ExitDistributionPlot.h"
#include "ChartPalette.h"
#include "FittedText.h"
#include "SplitText.h"

#include "session/Session.h"

#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace eenet {
namespace {

constexpr double kBarWidth = 0.38;
constexpr double kSplitOffset = 0.2;

int slot(Split split) {
    return split == Split::Val ? 0 : 1;
}

/// Light fill with diagonal lines in the split's colour: "wrong" reads as the same split, but not solid.
QBrush hatchedBrush(const QColor& color) {
    QPixmap tile(8, 8);
    tile.fill(color.lighter(175));
    QPainter painter(&tile);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(color, 1.5));
    painter.drawLine(0, 8, 8, 0);
    painter.drawLine(-4, 4, 4, -4);
    painter.drawLine(4, 12, 12, 4);
    return QBrush(tile);
}

/// Signed relative difference in percent, with fewer decimals as it grows ("+0.03", "+2.9", "-12").
QString signedPercent(double value) {
    const double magnitude = std::abs(value);
    const int decimals = magnitude >= 10 ? 0 : magnitude >= 1 ? 1 : 2;
    return (value >= 0 ? QStringLiteral("+") : QStringLiteral("−")) +
           QString::number(magnitude, 'f', decimals);
}

/// Greedy line breaking between chunks, so the subtitle stays readable on a narrow plot.
QString wrapped(const QStringList& chunks, const QString& separator, const QFontMetrics& metrics,
                int widthPx) {
    QStringList lines;
    QString line;
    for (const QString& chunk : chunks) {
        const QString candidate = line.isEmpty() ? chunk : line + separator + chunk;
        if (!line.isEmpty() && metrics.horizontalAdvance(candidate) > widthPx) {
            lines << line + separator.trimmed();
            line = chunk;
        } else {
            line = candidate;
        }
    }
    if (!line.isEmpty())
        lines << line;
    return lines.join(QLatin1Char('\n'));
}

/// SelectionOrigin::view of the selections this chart makes.
constexpr char kSelectionView[] = "exit distribution";

} // namespace

ExitDistributionPlot::ExitDistributionPlot(Session* session, QWidget* parent)
    : InteractivePlot(parent)
    , m_session(session)
    , m_title(new QCPTextElement(this, QString(), QFont(font().family(), 11, QFont::Bold)))
    , m_subtitle(new QCPTextElement(this, QString(), QFont(font().family(), 9)))
    , m_message(addMessage(QCPItemPosition::ptAxisRectRatio, 11)) {
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, m_title);
    plotLayout()->insertRow(1);
    plotLayout()->addElement(1, 0, m_subtitle);
    // The legend gets its own row under the axes, so tall bars never hide behind it, centred between two
    // stretching spacers: a grid cell would otherwise stretch it, or an empty legend squeeze the whole
    // column.
    axisRect()->insetLayout()->take(legend);
    auto* legendRow = new QCPLayoutGrid;
    plotLayout()->addElement(3, 0, legendRow);
    plotLayout()->setRowStretchFactor(3, 0.001);
    legendRow->addElement(0, 0, new QCPLayoutElement(this));
    legendRow->addElement(0, 1, legend);
    legendRow->addElement(0, 2, new QCPLayoutElement(this));
    legendRow->setColumnStretchFactors({1, 0.001, 1});
    legendRow->setMargins(QMargins(0, 0, 0, 4));
    legend->setFillOrder(QCPLegend::foColumnsFirst);
    legend->setFont(QFont(font().family(), 8));
    legend->setMargins(QMargins(6, 2, 6, 2));

    for (Split split : {Split::Val, Split::Test}) {
        const QColor color = ChartPalette::split(split);
        auto* correct = new QCPBars(xAxis, yAxis);
        correct->setName(tr("%1 correct").arg(QString::fromStdString(splitName(split))));
        correct->setPen(QPen(color.darker(130), 1));
        correct->setBrush(color);
        auto* wrong = new QCPBars(xAxis, yAxis);
        wrong->setName(tr("%1 wrong").arg(QString::fromStdString(splitName(split))));
        wrong->setPen(QPen(color.darker(130), 1));
        wrong->setBrush(hatchedBrush(color));
        wrong->moveAbove(correct);
        for (QCPBars* bars : {correct, wrong}) {
            bars->setWidth(kBarWidth);
            bars->setSelectable(QCP::stNone);
        }
        m_bars[slot(split)][1] = correct;
        m_bars[slot(split)][0] = wrong;
    }

    m_message->setColor(ChartPalette::mutedText(palette()));

    yAxis->setLabel(tr("samples leaving here (%)"));
    xAxis->grid()->setVisible(false);
    setMinimumSize(300, 200);
    connect(m_session, &Session::snapshotChanged, this, [this] { refreshWhenShown([this] { rebuild(); }); });
    connect(m_session, &Session::predictionsLoaded, this,
            [this] { refreshWhenShown([this] { rebuild(); }); });
    connect(m_session, &Session::selectionChanged, this, &ExitDistributionPlot::showSelectedBar);
    applyPalette();
    rebuild();
}

QCPBars* ExitDistributionPlot::bars(Split split, bool correct) const {
    return m_bars[slot(split)][correct ? 1 : 0];
}

QString ExitDistributionPlot::title() const {
    return m_title->text();
}

QString ExitDistributionPlot::subtitle() const {
    return m_subtitle->text();
}

QString ExitDistributionPlot::costText(double cost) const {
    const auto& predictions = m_session->predictions();
    return QString::number(cost, 'g', 4) +
           (predictions ? QStringLiteral(" ") + QString::fromStdString(m_session->budgetUnit()) : QString());
}

void ExitDistributionPlot::showMessage(const QString& text) {
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void ExitDistributionPlot::rebuild() {
    for (auto& pair : m_bars)
        for (QCPBars* b : pair) {
            b->data()->clear();
            b->removeFromLegend();
        }
    const auto& predictions = m_session->predictions();
    setAxesShown(predictions != nullptr);
    if (predictions) {
        auto ticker = QSharedPointer<QCPAxisTickerText>::create();
        for (int k = 0; k < predictions->numExits; ++k)
            ticker->addTick(k + 1, breakNearMiddle(QString::fromStdString(
                                       predictions->exitNames[static_cast<size_t>(k)])));
        xAxis->setTicker(ticker);
    }
    const auto& snapshot = m_session->snapshot();
    if (!snapshot || !predictions) {
        m_title->setText(tr("Where samples leave"));
        m_realisedCosts.clear();
        m_note.clear();
        updateSubtitle();
        showMessage(predictions ? tr("No data") : openFileHint());
        resetView();
        return;
    }
    const QString budget = costText(snapshot->budget);
    m_title->setText(tr("%1 at budget %2").arg(QString::fromStdString(snapshot->method), budget));
    if (!snapshot->available) {
        m_realisedCosts.clear();
        m_note.clear();
        updateSubtitle();
        showMessage(snapshot->note.empty()
                        ? tr("%1 cannot be shown yet").arg(QString::fromStdString(snapshot->method))
                        : QString::fromStdString(snapshot->note));
        resetView();
        return;
    }
    showMessage(QString());

    // A lone validation split gets the middle of each exit's slot.
    const bool sideBySide = snapshot->split(Split::Test) != nullptr;
    QStringList realised;
    for (const SplitPolicy& split : snapshot->splits) {
        const ExitData& exitData = *split.data;
        std::vector<int> correct(static_cast<size_t>(exitData.numExits), 0);
        std::vector<int> wrong(static_cast<size_t>(exitData.numExits), 0);
        for (int i = 0; i < exitData.numSamples; ++i) {
            const int k = split.outcome.exitOf[static_cast<size_t>(i)];
            ++(exitData.correct(k, i) ? correct : wrong)[static_cast<size_t>(k)];
        }
        const double offset = sideBySide ? (split.split == Split::Val ? -kSplitOffset : kSplitOffset) : 0.0;
        QVector<double> keys, correctPercent, wrongPercent;
        for (int k = 0; k < exitData.numExits; ++k) {
            keys << k + 1 + offset;
            correctPercent << 100.0 * correct[static_cast<size_t>(k)] / exitData.numSamples;
            wrongPercent << 100.0 * wrong[static_cast<size_t>(k)] / exitData.numSamples;
        }
        m_counts[slot(split.split)][1] = correct;
        m_counts[slot(split.split)][0] = wrong;
        for (bool isCorrect : {true, false}) {
            QCPBars* b = bars(split.split, isCorrect);
            b->setWidth(sideBySide ? kBarWidth : 2 * kBarWidth);
            b->setData(keys, isCorrect ? correctPercent : wrongPercent, true);
            b->addToLegend();
        }
        realised << tr("%1 %2 (%3 %)")
                        .arg(QString::fromStdString(splitName(split.split)), costText(split.outcome.cost),
                             signedPercent(100.0 * (split.outcome.cost - snapshot->budget) /
                                           snapshot->budget));
    }
    realised.front().prepend(tr("realised cost: "));
    m_realisedCosts = realised;
    m_note = QString::fromStdString(snapshot->note);
    updateSubtitle();
    showSelectedBar();
    resetView();
}

void ExitDistributionPlot::resetView() {
    const auto& predictions = m_session->predictions();
    const int exits = predictions ? predictions->numExits : 1;
    xAxis->setRange(0.4, exits + 0.6);
    double top = 0;
    for (auto& pair : m_bars)
        for (int j = 0; j < pair[1]->dataCount(); ++j)
            top = std::max(top, pair[1]->data()->at(j)->value + pair[0]->data()->at(j)->value);
    yAxis->setRange(0, top > 0 ? top * 1.08 + 1 : 100);
    legend->setVisible(legend->itemCount() > 0);
    replot(rpQueuedReplot);
}

ChartTable ExitDistributionPlot::tableData() const {
    ChartTable table{{QStringLiteral("split"), QStringLiteral("exit"), QStringLiteral("exit name"),
                      QStringLiteral("correct"), QStringLiteral("wrong"),
                      QStringLiteral("correct (% of split)"), QStringLiteral("wrong (% of split)")},
                     {}};
    const auto& predictions = m_session->predictions();
    if (!predictions)
        return table;
    for (Split split : {Split::Val, Split::Test}) {
        const QCPBars* correct = bars(split, true);
        const QCPBars* wrong = bars(split, false);
        const auto& correctCounts = m_counts[slot(split)][1];
        const auto& wrongCounts = m_counts[slot(split)][0];
        for (int k = 0; k < correct->dataCount(); ++k)
            table.rows.push_back({QString::fromStdString(splitName(split)), QString::number(k + 1),
                                  QString::fromStdString(predictions->exitNames.at(static_cast<size_t>(k))),
                                  QString::number(correctCounts.at(static_cast<size_t>(k))),
                                  QString::number(wrongCounts.at(static_cast<size_t>(k))),
                                  csvNumber(correct->data()->at(k)->value),
                                  csvNumber(wrong->data()->at(k)->value)});
    }
    return table;
}

void ExitDistributionPlot::showSelectedBar() {
    const SampleSelection& selection = m_session->selection();
    const bool ours = selection.origin.view == QLatin1String(kSelectionView);
    for (Split split : {Split::Val, Split::Test})
        for (bool correct : {true, false})
            highlightBar(bars(split, correct),
                         ours && selection.split == split && selection.origin.correct == correct
                             ? selection.origin.exit
                             : -1);
    replot(rpQueuedReplot);
}

void ExitDistributionPlot::selectBar(Split split, int exit, bool correct) {
    const auto& snapshot = m_session->snapshot();
    const SplitPolicy* shown = snapshot && snapshot->available ? snapshot->split(split) : nullptr;
    if (!shown || exit < 0 || exit >= shown->data->numExits)
        return;
    SampleSelection selection;
    selection.split = split;
    for (int i = 0; i < shown->data->numSamples; ++i)
        if (shown->outcome.exitOf[static_cast<size_t>(i)] == exit &&
            (shown->data->correct(exit, i) != 0) == correct)
            selection.indices.push_back(i);
    selection.origin = {QLatin1String(kSelectionView), exit, -1, correct};
    selection.description =
        tr("exit %1 · %2 · %3 split · %4 @ %5")
            .arg(exit + 1)
            .arg(correct ? tr("correct") : tr("wrong"), QString::fromStdString(splitName(split)),
                 QString::fromStdString(snapshot->method), costText(snapshot->budget));
    m_session->setSelection(std::move(selection));
}

std::optional<ExitDistributionPlot::BarHit> ExitDistributionPlot::barAt(const QPointF& pixel) const {
    const double x = xAxis->pixelToCoord(pixel.x());
    const double y = yAxis->pixelToCoord(pixel.y());
    for (Split split : {Split::Val, Split::Test}) {
        const QCPBars* correct = bars(split, true);
        const QCPBars* wrong = bars(split, false);
        for (int k = 0; k < correct->dataCount(); ++k) {
            const double key = correct->data()->at(k)->key;
            if (std::abs(x - key) > 0.5 * correct->width() || y < 0)
                continue;
            const double correctTop = correct->data()->at(k)->value;
            if (y <= correctTop)
                return BarHit{split, k, true};
            if (y <= correctTop + wrong->data()->at(k)->value)
                return BarHit{split, k, false};
        }
    }
    return std::nullopt;
}

QString ExitDistributionPlot::barTooltip(const BarHit& hit) const {
    const SplitPolicy& shown = *m_session->snapshot()->split(hit.split);
    const int total = shown.data->numSamples;
    const int correct = m_counts[slot(hit.split)][1][static_cast<size_t>(hit.exit)];
    const int wrong = m_counts[slot(hit.split)][0][static_cast<size_t>(hit.exit)];
    const double correctPercent = 100.0 * correct / total;
    const double wrongPercent = 100.0 * wrong / total;
    const double accuracy = shown.outcome.perExitAccuracyPercent[static_cast<size_t>(hit.exit)];
    QString text =
        tr("<b>%1</b>, %2<br>correct: %3 (%4 % of the split)<br>wrong: %5 (%6 %)")
            .arg(QString::fromStdString(m_session->predictions()->exitNames[static_cast<size_t>(hit.exit)]),
                 splitText(hit.split))
            .arg(correct)
            .arg(correctPercent, 0, 'f', 1)
            .arg(wrong)
            .arg(wrongPercent, 0, 'f', 1);
    text += tr("<br>left here: %1 of %2 (%3 %)")
                .arg(correct + wrong)
                .arg(total)
                .arg(correctPercent + wrongPercent, 0, 'f', 1);
    text += std::isnan(accuracy) ? tr("<br>nobody left here")
                                 : tr("<br>accuracy of these leavers: %1 %").arg(accuracy, 0, 'f', 2);
    text += tr("<br><i>click to list the %1 %2 ones</i>")
                .arg(hit.correct ? correct : wrong)
                .arg(hit.correct ? tr("correct") : tr("wrong"));
    return text;
}

void ExitDistributionPlot::updateSubtitle() {
    const QFontMetrics metrics(m_subtitle->font());
    const int widthPx = std::max(width() - 16, 100);
    QStringList lines;
    if (!m_realisedCosts.isEmpty())
        lines << wrapped(m_realisedCosts, QStringLiteral(", "), metrics, widthPx);
    if (!m_note.isEmpty())
        lines << wrapped(m_note.split(QLatin1Char(' ')), QStringLiteral(" "), metrics, widthPx);
    m_subtitle->setText(lines.join(QLatin1Char('\n')));
}

void ExitDistributionPlot::resizeEvent(QResizeEvent* event) {
    // Two legend columns and a wrapped subtitle when one line would not fit.
    legend->setWrap(event->size().width() < 560 ? 2 : 0);
    InteractivePlot::resizeEvent(event);
    updateSubtitle();
}

void ExitDistributionPlot::paletteChanged() {
    m_message->setColor(ChartPalette::mutedText(palette()));
}

void ExitDistributionPlot::mouseMoveEvent(QMouseEvent* event) {
    InteractivePlot::mouseMoveEvent(event);
    if (const auto hit = barAt(event->position()))
        QToolTip::showText(event->globalPosition().toPoint(), barTooltip(*hit), this);
    else
        QToolTip::hideText();
}

void ExitDistributionPlot::clickedAt(const QPointF& position) {
    if (const auto hit = barAt(position))
        selectBar(hit->split, hit->exit, hit->correct);
}

} // namespace eenet
