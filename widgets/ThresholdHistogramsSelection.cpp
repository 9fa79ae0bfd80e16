// ThresholdHistograms, the part that answers the mouse: hovering a bar explains it, clicking selects its
// samples, and the selected bin stays outlined.
#include "ChartPalette.h"
#include "ShownSplit.h"
#include "SplitText.h"
#include "ThresholdHistograms.h"

#include "session/Session.h"

#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace eenet {
namespace {

/// SelectionOrigin::view of the selections this chart makes.
constexpr char kSelectionView[] = "threshold histograms";

} // namespace

void ThresholdHistograms::showSelectedBin() {
    const SampleSelection& selection = m_session->selection();
    const SelectionOrigin& origin = selection.origin;
    const bool ours = origin.view == QLatin1String(kSelectionView) && selection.split == m_session->split();
    for (int i = 0; i < panelCount(); ++i) {
        const Panel& p = panel(i);
        const int bin = ours && origin.exit == p.exit ? binOf(i, origin.score) : -1;
        highlightBar(p.correct, origin.correct ? bin : -1);
        highlightBar(p.wrong, origin.correct ? -1 : bin);
    }
    replot(rpQueuedReplot);
}

SampleSelection ThresholdHistograms::binSelection(int index, int bin, bool correct) const {
    const Panel& p = panel(index);
    const SplitPolicy& shown = *shownSplit(*m_session);
    SampleSelection selection;
    selection.split = shown.split;
    for (int n : p.reaching)
        if (binOf(index, (*shown.scores)(p.exit, n)) == bin &&
            bool(shown.data->correct(p.exit, n)) == correct)
            selection.indices.push_back(n);
    selection.origin = {QLatin1String(kSelectionView), p.exit, -1, correct,
                        p.binLower(bin) + 0.5 * p.binWidth};
    selection.description =
        tr("%1 · score %2 · %3 · %4")
            .arg(QString::fromStdString(m_session->predictions()->exitNames.at(static_cast<size_t>(p.exit))),
                 binRange(p, bin), correct ? tr("correct") : tr("wrong"), splitText(shown.split));
    return selection;
}

void ThresholdHistograms::selectBin(int index, int bin, bool correct) {
    m_session->setSelection(binSelection(index, bin, correct));
}

QString ThresholdHistograms::binRange(const Panel& panel, int bin) const {
    // Enough decimals to tell neighbouring bin edges apart.
    const int decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(panel.binWidth))) + 1, 2, 6);
    return tr("%1–%2")
        .arg(panel.binLower(bin), 0, 'f', decimals)
        .arg(panel.binLower(bin + 1), 0, 'f', decimals);
}

std::optional<ThresholdHistograms::Hit> ThresholdHistograms::hitAt(const QPointF& position) const {
    for (int i = 0; i < panelCount(); ++i) {
        const Panel& p = m_panels[static_cast<size_t>(i)];
        if (!p.rect->rect().contains(position.toPoint()))
            continue;
        const double key = p.rect->axis(QCPAxis::atBottom)->pixelToCoord(position.x());
        const double value = p.rect->axis(QCPAxis::atLeft)->pixelToCoord(position.y());
        if (key < p.binLower(0) || key >= p.binLower(p.binCount) || value < 0)
            return std::nullopt;
        const int bin = binOf(i, key);
        const double correct = p.correct->data()->at(bin)->value;
        const double wrong = p.wrong->data()->at(bin)->value;
        if (value <= correct && correct > 0)
            return Hit{i, bin, true};
        if (value <= correct + wrong && wrong > 0)
            return Hit{i, bin, false};
        return std::nullopt;
    }
    return std::nullopt;
}

void ThresholdHistograms::clickedAt(const QPointF& position) {
    if (const auto hit = hitAt(position))
        selectBin(hit->panel, hit->bin, hit->correct);
}

void ThresholdHistograms::explainBarAt(QMouseEvent* event) {
    const auto hit = hitAt(event->position());
    if (!hit) {
        QToolTip::hideText();
        return;
    }
    const Panel& p = panel(hit->panel);
    const double threshold = p.thresholdValue;
    const auto& exitNames = m_session->predictions()->exitNames;
    const bool leaves = p.binLower(hit->bin) >= threshold;
    QString text = tr("<b>%1</b> · score %2<br>correct there: %3 · wrong there: %4<br>")
                       .arg(QString::fromStdString(exitNames.at(static_cast<size_t>(p.exit))),
                            binRange(p, hit->bin), grouped(int(p.correct->data()->at(hit->bin)->value)),
                            grouped(int(p.wrong->data()->at(hit->bin)->value)));
    text += leaves ? tr("they leave here (score ≥ T = %1)").arg(thresholdText(threshold))
                   : tr("they continue to %1").arg(QString::fromStdString(exitNames.at(size_t(p.exit) + 1)));
    text += tr("<br><i>click to inspect the %1 ones</i>").arg(hit->correct ? tr("correct") : tr("wrong"));
    QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

} // namespace eenet
