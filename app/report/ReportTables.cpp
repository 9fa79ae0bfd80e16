#include "report/ReportTables.h"

#include "report/ReportText.h"

#include "eval/ClassAccuracyChange.h"

namespace eenet {
namespace {

QString unitOf(const ReportContent& content) {
    return QString::fromStdString(content.summary.costUnit);
}

/// The splits the figures exist for: validation, and test when the file has one.
std::vector<Split> splitsOf(const ReportContent& content) {
    return content.summary.numTest > 0 ? std::vector<Split>{Split::Val, Split::Test}
                                       : std::vector<Split>{Split::Val};
}

/// Where an equal-cost accuracy was read: one point, two bracketing points, or the oracle's ceiling.
QString readFrom(const EqualCostAccuracy& read, const QString& unit) {
    if (!read.accuracyPercent)
        return read.pointCount == 1 ? QStringLiteral("no curve: only its point at the budget")
                                    : QStringLiteral("outside the costs it realised (not extrapolated)");
    const auto point = [&](const CostPoint& p) {
        return QStringLiteral("budget %1 (realised %2)")
            .arg(costText(p.budget, unit), costText(p.cost, unit));
    };
    if (read.ceiling)
        return QStringLiteral("its ceiling: best accuracy, at %1").arg(point(*read.below));
    if (read.below->cost == read.above->cost)
        return QStringLiteral("its point at %1").arg(point(*read.below));
    return QStringLiteral("between %1 and %2").arg(point(*read.below), point(*read.above));
}

} // namespace

HtmlTable exitsTable(const ReportContent& content) {
    const DatasetSummary& s = content.summary;
    const bool flops = !s.exits.empty() && s.exits.front().flops.has_value();
    HtmlTable table;
    table.id = QStringLiteral("exits");
    table.caption =
        QStringLiteral("Exits: cumulative cost and standalone accuracy (every sample leaving there)");
    table.header << QStringLiteral("exit") << QStringLiteral("name")
                 << QStringLiteral("cost (%1)").arg(unitOf(content))
                 << QStringLiteral("share of full cost (%)");
    if (flops)
        table.header << QStringLiteral("MFLOPs");
    table.header << QStringLiteral("val accuracy (%)");
    if (s.numTest > 0)
        table.header << QStringLiteral("test accuracy (%)");
    table.textColumns = {0, 1};
    const double full = s.exits.back().cost;
    for (size_t k = 0; k < s.exits.size(); ++k) {
        const ExitSummary& e = s.exits[k];
        QStringList row{QString::number(k + 1), QString::fromStdString(e.name), costNumber(e.cost),
                        QString::number(100.0 * e.cost / full, 'f', 1)};
        if (flops)
            row << (e.flops ? costNumber(*e.flops) : QStringLiteral("—"));
        row << percentNumber(e.valAccuracyPercent);
        if (s.numTest > 0)
            row << percentNumber(e.testAccuracyPercent.value_or(0));
        table.rows.push_back({row, false});
    }
    return table;
}

HtmlTable budgetHonestyTable(const ReportContent& content) {
    const QString unit = unitOf(content);
    const PolicySnapshot& chosen = *content.chosen;
    HtmlTable table;
    table.id = QStringLiteral("budget-honesty");
    table.caption = QStringLiteral("Budget honesty: %1's realised average cost against its budget")
                        .arg(QString::fromStdString(chosen.method));
    table.header << QStringLiteral("split") << QStringLiteral("budget (%1)").arg(unit)
                 << QStringLiteral("realised cost (%1)").arg(unit) << QStringLiteral("realised vs budget")
                 << QStringLiteral("accuracy (%)");
    for (const SplitPolicy& split : chosen.splits)
        table.rows.push_back(
            {{splitShortName(split.split), costNumber(chosen.budget), costNumber(split.outcome.cost),
              signedPercent(100.0 * (split.outcome.cost - chosen.budget) / chosen.budget),
              percentNumber(split.outcome.accuracyPercent)},
             false});
    return table;
}

HtmlTable methodsAtBudgetTable(const ReportContent& content) {
    const QString unit = unitOf(content);
    const std::vector<Split> splits = splitsOf(content);
    HtmlTable table;
    table.id = QStringLiteral("methods-at-budget");
    table.caption = QStringLiteral("Every method at budget %1").arg(costText(content.request.budget, unit));
    table.header << QStringLiteral("method");
    for (Split split : splits)
        table.header << QStringLiteral("%1 accuracy (%)").arg(splitShortName(split));
    for (Split split : splits)
        table.header << QStringLiteral("%1 realised cost (%2)").arg(splitShortName(split), unit);
    table.header << QStringLiteral("%1 exit fractions, exit 1 to %2 (%)")
                        .arg(splitShortName(content.comparisonSplit))
                        .arg(content.summary.numExits);
    for (const MethodComparison& row : content.methods) {
        const PolicySnapshot& s = *row.snapshot;
        QStringList cells{QString::fromStdString(s.method)};
        for (Split split : splits)
            cells << percentNumber(s.split(split)->outcome.accuracyPercent);
        for (Split split : splits)
            cells << costNumber(s.split(split)->outcome.cost);
        cells << fractionsText(s.split(content.comparisonSplit)->outcome.exitFractions);
        table.rows.push_back({cells, row.snapshot == content.chosen});
    }
    return table;
}

HtmlTable equalCostTable(const ReportContent& content) {
    const QString unit = unitOf(content);
    const QString chosen = QString::fromStdString(content.chosen->method);
    const double chosenAccuracy = content.chosen->split(content.comparisonSplit)->outcome.accuracyPercent;
    HtmlTable table;
    table.id = QStringLiteral("equal-cost");
    table.caption =
        QStringLiteral("Every method at %1's realised %2 cost, %3")
            .arg(chosen, splitShortName(content.comparisonSplit), costText(content.equalCost, unit));
    table.header << QStringLiteral("method")
                 << QStringLiteral("%1 accuracy (%)").arg(splitShortName(content.comparisonSplit))
                 << QStringLiteral("vs %1 (percentage points)").arg(chosen) << QStringLiteral("read from");
    table.textColumns = {0, 3};
    for (const MethodComparison& row : content.methods) {
        const auto& accuracy = row.atEqualCost.accuracyPercent;
        const QString difference = accuracy ? signedPoints(*accuracy - chosenAccuracy) : QStringLiteral("—");
        table.rows.push_back({{QString::fromStdString(row.snapshot->method),
                               accuracy ? percentNumber(*accuracy) : QStringLiteral("—"), difference,
                               readFrom(row.atEqualCost, unit)},
                              row.snapshot == content.chosen});
    }
    return table;
}

HtmlTable thresholdsTable(const ReportContent& content) {
    const PolicySnapshot& chosen = *content.chosen;
    const std::vector<Split> splits = splitsOf(content);
    HtmlTable table;
    table.id = QStringLiteral("thresholds");
    table.caption = QStringLiteral("%1 at budget %2: thresholds and who leaves where")
                        .arg(QString::fromStdString(chosen.method), costText(chosen.budget, unitOf(content)));
    table.header << QStringLiteral("exit") << QStringLiteral("name") << QStringLiteral("T_k");
    for (Split split : splits)
        table.header << QStringLiteral("%1 leaving (%)").arg(splitShortName(split));
    for (Split split : splits)
        table.header << QStringLiteral("%1 accuracy of leavers (%)").arg(splitShortName(split));
    table.textColumns = {0, 1};
    for (int k = 0; k < content.summary.numExits; ++k) {
        const size_t at = static_cast<size_t>(k);
        QStringList cells{QString::number(k + 1), QString::fromStdString(content.summary.exits[at].name),
                          chosen.thresholds.empty() ? QStringLiteral("—")
                                                    : thresholdText(chosen.thresholds[at])};
        for (Split split : splits)
            cells << fractionPercent(chosen.split(split)->outcome.exitFractions[at]);
        for (Split split : splits)
            cells << percentNumber(chosen.split(split)->outcome.perExitAccuracyPercent[at]);
        table.rows.push_back({cells, false});
    }
    return table;
}

HtmlTable whoPaysTable(const ReportContent& content) {
    const SplitPolicy& shown = *content.chosen->split(content.comparisonSplit);
    const std::vector<ClassAccuracyChange> changes = classAccuracyChanges(*shown.data, shown.outcome.exitOf);
    const auto& names = content.request.predictions->classNames;
    HtmlTable table;
    table.id = QStringLiteral("who-pays");
    table.caption =
        QStringLiteral("Who pays for the savings: per class, %1's accuracy minus the last exit's (%2)")
            .arg(QString::fromStdString(content.chosen->method), splitShortName(content.comparisonSplit));
    if (static_cast<int>(changes.size()) > kWhoPaysRows)
        table.caption +=
            QStringLiteral(", the %1 of %2 classes that lose most").arg(kWhoPaysRows).arg(changes.size());
    table.header << QStringLiteral("class") << QStringLiteral("samples") << QStringLiteral("accuracy (%)")
                 << QStringLiteral("last exit's accuracy (%)") << QStringLiteral("difference (pp)");
    for (size_t row = 0; row < changes.size() && static_cast<int>(row) < kWhoPaysRows; ++row) {
        const ClassAccuracyChange& change = changes[row];
        table.rows.push_back(
            {{QString::fromStdString(names.at(static_cast<size_t>(change.cls))),
              QString::number(change.samples), percentNumber(change.accuracyUnderPolicyPercent()),
              percentNumber(change.accuracyAtLastExitPercent()), signedPoints(change.deltaPp())},
             false});
    }
    return table;
}

} // namespace eenet
