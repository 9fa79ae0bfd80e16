#pragma once

#include "FlowGeometry.h"

#include <QColor>
#include <QFont>
#include <QStringList>

#include <vector>

namespace eenet {

class ExitFlow;

/// The lines of one text of the flow view; a line with a valid swatch colour starts with a square of it.
struct FlowText {
    QStringList lines;
    std::vector<QColor> swatches;
};

struct FlowFonts {
    QFont title;
    QFont label;
    QFont caption;
};

/// Every text of the flow view, worded to fit its width: the longest wording that fits, the same wording in
/// every column so the exits read alike, elided only when even the shortest wording is too wide.
struct FlowTexts {
    QStringList title;
    /// Each column's heading: the exit's name (two lines at most) and its cost so far.
    std::vector<QStringList> stages;
    /// The rule at each gate; none for the oracle, which has no rule.
    std::vector<QStringList> gates;
    /// Under each tray: how many leave there, then the correct and the wrong ones behind their swatches.
    std::vector<FlowText> trays;
    QStringList caption;

    /// The room each kind of text needs: the tallest of its kind.
    FlowTextHeights heights(const FlowFonts& fonts) const;
};

/// The texts of `flow`; `titles` are the title's wordings, longest first, `caption` one sentence wrapped to
/// two lines at most.
FlowTexts fitFlowTexts(const ExitFlow& flow, const QStringList& titles, const QString& caption,
                       const FlowTextWidths& widths, const FlowFonts& fonts);

/// Room before a line's text taken by its swatch and the gap after it.
int swatchIndent(const QFont& font);

/// `count` of `total` in percent with one decimal ("12.3").
QString percentText(int count, int total);

} // namespace eenet
