#pragma once

#include <QFontMetrics>
#include <QList>
#include <QString>
#include <QStringList>

namespace eenet {

/// `text` broken at spaces into at most `maxLines` lines no wider than `widthPx`; the last line is elided
/// when words are left over, and so is a single word wider than `widthPx`.
QStringList wrapToWidth(const QString& text, const QFontMetrics& metrics, int widthPx, int maxLines);

/// A label longer than 8 characters ("exit 1 (block 1)") broken at the space nearest its middle, so that
/// neighbouring tick labels do not run into each other on a narrow chart.
QString breakNearMiddle(QString label);

/// The index of the first of `variants` (each a list of lines, longest wording first) whose every line fits
/// `widthPx` after `indentPx`; the last index when none does, -1 without variants.
int firstFittingIndex(const QList<QStringList>& variants, const QFontMetrics& metrics, int widthPx,
                      int indentPx = 0);

/// `lines` with every line elided to fit `widthPx` after `indentPx`.
QStringList elidedLines(QStringList lines, const QFontMetrics& metrics, int widthPx, int indentPx = 0);

/// The first of `variants` (each a list of lines, longest wording first) whose every line fits `widthPx`
/// after `indentPx`; when none does, the last one with every line elided to fit.
QStringList firstFitting(const QList<QStringList>& variants, const QFontMetrics& metrics, int widthPx,
                         int indentPx = 0);

} // namespace eenet
