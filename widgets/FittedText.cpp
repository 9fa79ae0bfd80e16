#include "FittedText.h"

#include <algorithm>
#include <cstdlib>

namespace eenet {
namespace {

/// Whole-pixel advances round: a pixel to spare keeps a line that fits from being elided by the text
/// engine's fractional measure.
bool fits(const QString& line, const QFontMetrics& metrics, int roomPx) {
    return metrics.horizontalAdvance(line) + 1 <= roomPx;
}

} // namespace

QStringList wrapToWidth(const QString& text, const QFontMetrics& metrics, int widthPx, int maxLines) {
    QStringList lines;
    QString line;
    for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString candidate = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
        // The last allowed line takes every word left, to be elided below.
        if (!line.isEmpty() && !fits(candidate, metrics, widthPx) && lines.size() + 1 < maxLines) {
            lines << line;
            line = word;
        } else {
            line = candidate;
        }
    }
    if (!line.isEmpty())
        lines << line;
    return elidedLines(lines, metrics, widthPx);
}

int firstFittingIndex(const QList<QStringList>& variants, const QFontMetrics& metrics, int widthPx,
                      int indentPx) {
    for (int n = 0; n < variants.size(); ++n)
        if (std::all_of(variants[n].begin(), variants[n].end(),
                        [&](const QString& line) { return fits(line, metrics, widthPx - indentPx); }))
            return n;
    return static_cast<int>(variants.size()) - 1;
}

QStringList elidedLines(QStringList lines, const QFontMetrics& metrics, int widthPx, int indentPx) {
    const int room = std::max(widthPx - indentPx, 0);
    for (QString& line : lines)
        if (!fits(line, metrics, room))
            line = metrics.elidedText(line, Qt::ElideRight, room);
    return lines;
}

QStringList firstFitting(const QList<QStringList>& variants, const QFontMetrics& metrics, int widthPx,
                         int indentPx) {
    const int index = firstFittingIndex(variants, metrics, widthPx, indentPx);
    return index < 0 ? QStringList() : elidedLines(variants[index], metrics, widthPx, indentPx);
}

QString breakNearMiddle(QString label) {
    if (label.size() <= 8)
        return label;
    int best = -1;
    for (int i = 0; i < label.size(); ++i)
        if (label[i] == QLatin1Char(' ') &&
            (best < 0 || std::abs(i - label.size() / 2) < std::abs(best - label.size() / 2)))
            best = i;
    if (best > 0)
        label[best] = QLatin1Char('\n');
    return label;
}

} // namespace eenet
