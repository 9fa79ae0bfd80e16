#pragma once

#include "report/HtmlDocument.h"
#include "report/ReportContent.h"

namespace eenet {

/// The report's tables, each with the id the page gives it. Units are in the headers, cells hold numbers.

/// "exits": per exit its name, cumulative cost, share of the full cost, MFLOPs (when the file has them) and
/// standalone accuracy on each split.
HtmlTable exitsTable(const ReportContent& content);

/// "budget-honesty": the chosen method's budget against the cost it realised on each split.
HtmlTable budgetHonestyTable(const ReportContent& content);

/// "methods-at-budget": a row per method, its accuracy and realised cost on each split and its exit
/// fractions on the comparison split; the chosen method's row emphasised.
HtmlTable methodsAtBudgetTable(const ReportContent& content);

/// "equal-cost": a row per method, its accuracy at the chosen method's realised cost, the difference to the
/// chosen method and the points it was read from.
HtmlTable equalCostTable(const ReportContent& content);

/// "thresholds": per exit the chosen policy's T_k and who leaves there, on each split.
HtmlTable thresholdsTable(const ReportContent& content);

/// Rows of the "who-pays" table at most: the classes that lose most.
constexpr int kWhoPaysRows = 20;

/// "who-pays": per class on the comparison split, the chosen policy's accuracy minus the last exit's, the
/// largest loss first (the kWhoPaysRows classes that lose most when there are more).
HtmlTable whoPaysTable(const ReportContent& content);

} // namespace eenet
