#include "FlowTexts.h"
#include "ChartPalette.h"
#include "ExitFlow.h"
#include "FittedText.h"

#include <QObject>

#include <algorithm>
#include <cmath>

namespace eenet {
namespace {

/// Wordings of a text, longest first, each a list of lines.
using Wordings = QList<QStringList>;

/// One row of text under a tray, with its swatch (invalid for none).
struct TrayRow {
    Wordings wordings;
    QColor swatch;
};

/// The rule at exit `exit`'s gate, in at most two short lines.
Wordings gateWordings(const ExitFlow& flow, int exit) {
    if (flow.isOracle())
        return {};
    if (exit + 1 == flow.numExits())
        return {{QObject::tr("takes"), QObject::tr("everyone")},
                {QObject::tr("takes"), QObject::tr("all")},
                {QObject::tr("all")}};
    const double threshold = flow.snapshot().thresholds[static_cast<size_t>(exit)];
    if (std::isinf(threshold))
        return threshold > 0
                   ? Wordings{{QObject::tr("closed:"), QObject::tr("nobody leaves")}, {QObject::tr("closed")}}
                   : Wordings{{QObject::tr("open:"), QObject::tr("all leave")}, {QObject::tr("open")}};
    const QString value = QString::number(threshold, 'g', 3);
    return {{QObject::tr("leave if"), QObject::tr("score ≥ %1").arg(value)},
            {QObject::tr("leave if"), QStringLiteral("≥ ") + value},
            {QStringLiteral("≥ ") + value}};
}

/// Who leaves at exit `exit`: count and share of all, then the correct and the wrong ones with their share
/// of those leaving there.
std::vector<TrayRow> trayRows(const ExitFlow& flow, int exit) {
    const FlowBand& band = flow.bands()[static_cast<size_t>(exit)];
    if (band.left() == 0)
        return {{{{QObject::tr("nobody leaves here")}, {QObject::tr("nobody leaves")}, {QObject::tr("none")}},
                 QColor()}};
    const QString left = QString::number(band.left());
    const QString share = percentText(band.left(), flow.numSamples());
    const auto truthRow = [&](int count, bool correct) {
        const QString n = QString::number(count);
        const QString word = correct ? QObject::tr("correct") : QObject::tr("wrong");
        return TrayRow{{{QStringLiteral("%1 %2 (%3 %)").arg(n, word, percentText(count, band.left()))},
                        {n + QLatin1Char(' ') + word},
                        {n}},
                       ChartPalette::truth(correct)};
    };
    return {{{{QObject::tr("%1 leave here (%2 %)").arg(left, share)},
              {QObject::tr("%1 leave (%2 %)").arg(left, share)},
              {QObject::tr("%1 leave").arg(left), QObject::tr("%1 % of all").arg(share)},
              {left, share + QStringLiteral(" %")}},
             QColor()},
            truthRow(band.leftCorrect, true),
            truthRow(band.leftWrong, false)};
}

/// The tray texts, each row in the longest wording that fits under every tray.
std::vector<FlowText> fitTrays(const ExitFlow& flow, int widthPx, const QFont& font) {
    const QFontMetrics metrics(font);
    const int indent = swatchIndent(font);
    std::vector<std::vector<TrayRow>> trays;
    std::vector<int> wordingOfRow;
    for (int k = 0; k < flow.numExits(); ++k) {
        trays.push_back(trayRows(flow, k));
        wordingOfRow.resize(std::max(wordingOfRow.size(), trays.back().size()), 0);
        for (size_t row = 0; row < trays.back().size(); ++row) {
            const TrayRow& r = trays.back()[row];
            wordingOfRow[row] =
                std::max(wordingOfRow[row],
                         firstFittingIndex(r.wordings, metrics, widthPx, r.swatch.isValid() ? indent : 0));
        }
    }
    std::vector<FlowText> texts;
    for (const std::vector<TrayRow>& tray : trays) {
        FlowText text;
        for (size_t row = 0; row < tray.size(); ++row) {
            const TrayRow& r = tray[row];
            const int wording = std::min(wordingOfRow[row], static_cast<int>(r.wordings.size()) - 1);
            const QStringList lines =
                elidedLines(r.wordings[wording], metrics, widthPx, r.swatch.isValid() ? indent : 0);
            text.lines += lines;
            text.swatches.insert(text.swatches.end(), static_cast<size_t>(lines.size()), r.swatch);
        }
        texts.push_back(text);
    }
    return texts;
}

double linesHeight(const std::vector<QStringList>& texts, const QFont& font) {
    int most = 0;
    for (const QStringList& lines : texts)
        most = std::max(most, static_cast<int>(lines.size()));
    return most * QFontMetrics(font).lineSpacing();
}

} // namespace

FlowTextHeights FlowTexts::heights(const FlowFonts& fonts) const {
    std::vector<QStringList> trayLines;
    for (const FlowText& tray : trays)
        trayLines.push_back(tray.lines);
    return {linesHeight({title}, fonts.title), linesHeight(stages, fonts.label),
            linesHeight(gates, fonts.label), linesHeight(trayLines, fonts.label),
            linesHeight({caption}, fonts.caption)};
}

FlowTexts fitFlowTexts(const ExitFlow& flow, const QStringList& titles, const QString& caption,
                       const FlowTextWidths& widths, const FlowFonts& fonts) {
    const QFontMetrics label(fonts.label);
    const int stageWidth = static_cast<int>(widths.stageText);
    FlowTexts texts;
    Wordings titleWordings;
    for (const QString& title : titles)
        titleWordings.push_back({title});
    texts.title = firstFitting(titleWordings, QFontMetrics(fonts.title), static_cast<int>(widths.line));
    texts.caption = wrapToWidth(caption, QFontMetrics(fonts.caption), static_cast<int>(widths.line), 2);

    // Every heading words its cost alike.
    std::vector<Wordings> costs;
    int costWording = 0;
    for (int k = 0; k < flow.numExits(); ++k) {
        const QString cost = flow.costText(flow.costs()[static_cast<size_t>(k)]);
        costs.push_back({{QObject::tr("%1 so far").arg(cost)}, {cost}});
        costWording = std::max(costWording, firstFittingIndex(costs.back(), label, stageWidth));
    }
    for (int k = 0; k < flow.numExits(); ++k) {
        const QString name = QString::fromStdString(flow.exitNames()[static_cast<size_t>(k)]);
        texts.stages.push_back(wrapToWidth(name, label, stageWidth, 2) +
                               elidedLines(costs[static_cast<size_t>(k)][costWording], label, stageWidth));
        texts.gates.push_back(firstFitting(gateWordings(flow, k), label, static_cast<int>(widths.gateText)));
    }
    texts.trays = fitTrays(flow, static_cast<int>(widths.trayText), fonts.label);
    return texts;
}

int swatchIndent(const QFont& font) {
    return QFontMetrics(font).ascent() + 2;
}

QString percentText(int count, int total) {
    return QString::number(100.0 * count / std::max(total, 1), 'f', 1);
}

} // namespace eenet
