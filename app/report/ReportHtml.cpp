#include "report/ReportHtml.h"

#include "report/HtmlDocument.h"
#include "report/ReportTables.h"
#include "report/ReportText.h"

#include <QDateTime>
#include <QLocale>

namespace eenet {
namespace {

QString q(const std::string& text) {
    return QString::fromStdString(text);
}

QString countText(int count) {
    return QLocale::c().toString(count);
}

void fileSection(HtmlDocument& page, const ReportContent& content) {
    const DatasetSummary& s = content.summary;
    page.heading(2, QStringLiteral("The file"), QStringLiteral("file"));
    std::vector<std::pair<QString, QString>> items{
        {QStringLiteral("file"), q(s.sourcePath)},
        {QStringLiteral("model"), q(s.model)},
        {QStringLiteral("dataset"), q(s.dataset)},
        {QStringLiteral("exits"), QString::number(s.numExits)},
        {QStringLiteral("classes"), QString::number(s.numClasses)},
        {QStringLiteral("samples"),
         QStringLiteral("%1 validation, %2 test")
             .arg(countText(s.numVal), s.numTest > 0 ? countText(s.numTest) : QStringLiteral("no"))},
        {QStringLiteral("cost unit"), q(s.costUnit)},
        {QStringLiteral("inputs"),
         q(s.inputKind == InputKind::None
               ? "none"
               : describeInputs(s.inputKind, s.valInputShape.empty() ? s.testInputShape : s.valInputShape))}};
    for (const std::string& note : s.loadNotes)
        items.emplace_back(QStringLiteral("note"), q(note));
    page.definitions(items);
    if (!s.description.empty())
        page.paragraph(q(s.description), QStringLiteral("description"));
    page.table(exitsTable(content));
}

void chartsSections(HtmlDocument& page, const ReportContent& content, const ReportCharts& charts) {
    const QString method = q(content.chosen->method);
    const QString unit = q(content.summary.costUnit);
    const QString split = splitLongName(content.comparisonSplit);
    page.heading(2, QStringLiteral("Accuracy against realised cost"), QStringLiteral("curves"));
    const size_t fits = content.request.schedulers.size();
    const QString eenet =
        fits == 0   ? QStringLiteral("EENet is not shown: no scheduler was trained.")
        : fits == 1 ? QStringLiteral("EENet is drawn at the one budget it was fitted for.")
                    : QStringLiteral("EENet is drawn at the %1 budgets it was fitted for.").arg(fits);
    page.figure(
        charts.curves, kChartWidthPx,
        QStringLiteral("Accuracy of every method against the average cost it realised, %1 split").arg(split),
        QStringLiteral(
            "Accuracy on the %1 split against realised average cost (%2) of every method. The heuristics "
            "are fitted at %3 budgets from the first exit's cost to the last's; %4 Diamonds: "
            "each exit alone. The oracle is a label-aware upper bound, not a policy, and keeps "
            "its best accuracy to the right (dashed). Dashed vertical line: the budget %5; "
            "circled: %6 there.")
            .arg(split, unit)
            .arg(content.curveBudgetCount)
            .arg(eenet, costText(content.request.budget, unit), method));

    page.heading(2, QStringLiteral("Where samples leave"), QStringLiteral("exit-distribution"));
    page.figure(
        charts.exitDistribution, kChartWidthPx,
        QStringLiteral("Share of the samples leaving at each exit under %1, validation and test").arg(method),
        QStringLiteral("Per exit, the share of each split's samples that %1 sends there: right (solid) and "
                       "wrong (hatched) at that exit. Policies are fitted on the validation split; the "
                       "test split shows how they generalise.")
            .arg(method));
    page.table(budgetHonestyTable(content));
    if (!content.chosen->note.empty())
        page.paragraph(QStringLiteral("Note: %1.").arg(q(content.chosen->note)), QStringLiteral("note"));
}

void comparisonSections(HtmlDocument& page, const ReportContent& content) {
    const QString unit = q(content.summary.costUnit);
    const QString chosen = q(content.chosen->method);
    const QString split = splitLongName(content.comparisonSplit);
    page.heading(2, QStringLiteral("All methods at the budget"), QStringLiteral("methods"));
    page.paragraph(
        QStringLiteral("Every policy is fitted on the validation split for the same budget, %1. A "
                       "policy may realise less (a searched \"-opt\" policy where accuracy saturates) "
                       "or a little more than its budget, so also compare them at equal realised cost "
                       "below.")
            .arg(costText(content.request.budget, unit)));
    page.table(methodsAtBudgetTable(content));
    for (const MethodComparison& row : content.methods)
        if (!row.snapshot->note.empty())
            page.paragraph(QStringLiteral("%1: %2.").arg(q(row.snapshot->method), q(row.snapshot->note)),
                           QStringLiteral("note"));

    page.heading(2, QStringLiteral("At equal realised cost"), QStringLiteral("equal-cost-comparison"));
    page.paragraph(
        QStringLiteral(
            "Each method's %1 accuracy at the cost %2 realised on the %1 split, %3. It is read off "
            "the method's accuracy–cost curve: its points are the budgets of the chart above (%4 "
            "for the heuristics, one per trained scheduler for EENet) and its point at this "
            "report's budget, each placed at the cost it realised on the %1 split. Between the two "
            "points whose realised costs bracket %3 the accuracy is interpolated linearly. \"—\" "
            "means the method never realised that cost, so it is not extrapolated; the oracle, an "
            "upper bound, keeps its best accuracy beyond its last point.")
            .arg(split, chosen, costText(content.equalCost, unit))
            .arg(content.curveBudgetCount));
    page.table(equalCostTable(content));
}

void whoPaysSection(HtmlDocument& page, const ReportContent& content) {
    page.heading(2, QStringLiteral("Who pays for the savings"), QStringLiteral("who-pays-section"));
    page.paragraph(
        QStringLiteral("Early exit saves cost on average, but the accuracy it gives up is not shared "
                       "evenly: per class, the accuracy under %1 against running every sample to "
                       "the last exit.")
            .arg(q(content.chosen->method)));
    page.table(whoPaysTable(content));
}

void thresholdsSection(HtmlDocument& page, const ReportContent& content) {
    const PolicySnapshot& chosen = *content.chosen;
    const QString unit = q(content.summary.costUnit);
    page.heading(2, QStringLiteral("Thresholds of %1").arg(q(chosen.method)), QStringLiteral("scheduler"));
    if (chosen.thresholds.empty())
        page.paragraph(
            QStringLiteral("The oracle has no thresholds: knowing the labels, it sends each sample to "
                           "the cheapest exit that gets it right within the budget."));
    else
        page.paragraph(
            QStringLiteral("A sample leaves at the first exit k whose score (%1) is at least T_k. "
                           "T = ∞ means nobody leaves there; the last exit's T = −∞ takes every sample "
                           "still running.")
                .arg(q(chosen.scoreName)));
    if (chosen.isCustom())
        page.paragraph(
            QStringLiteral("Thresholds set by hand on the scores of %1: nothing was fitted, so the "
                           "realised cost need not meet the budget.")
                .arg(q(content.request.method.name())),
            QStringLiteral("note"));
    if (chosen.trainedBudget)
        page.paragraph(QStringLiteral("Scores of the EENet scheduler trained at budget %1.")
                           .arg(costText(*chosen.trainedBudget, unit)),
                       QStringLiteral("note"));
    page.table(thresholdsTable(content));
}

QString mark(bool correct) {
    return correct ? QStringLiteral("<span class=\"right\">✓</span>")
                   : QStringLiteral("<span class=\"wrong\">✗</span>");
}

void galleryExit(HtmlDocument& page, const ReportContent& content, const ReportGallery& gallery,
                 const GalleryExit& exit) {
    // Exit names usually say which exit they are ("exit 1 (block 1)"); others get the number in front.
    QString name = q(content.summary.exits.at(static_cast<size_t>(exit.exit)).name);
    if (!name.startsWith(QStringLiteral("exit"), Qt::CaseInsensitive))
        name = QStringLiteral("Exit %1, %2").arg(exit.exit + 1).arg(name);
    name[0] = name[0].toUpper();
    const QString rightShare = exit.leaving > 0
                                   ? QStringLiteral(", %1 % of them right")
                                         .arg(percentNumber(100.0 * exit.correctLeaving / exit.leaving))
                                   : QString();
    page.heading(
        3, QStringLiteral("%1: %2 of %3 %4 samples (%5 %)%6")
               .arg(name, countText(exit.leaving), countText(gallery.splitSize), splitLongName(gallery.split),
                    fractionPercent(static_cast<double>(exit.leaving) / gallery.splitSize), rightShare));
    if (exit.shown.empty()) {
        page.paragraph(QStringLiteral("Nobody leaves here."));
        return;
    }
    QStringList wrong;
    for (const GallerySample& s : exit.shown)
        if (!s.correct)
            wrong << QStringLiteral("#%1 %2, predicted %3").arg(s.index).arg(s.label, s.predicted);
    const QString wrongText = wrong.isEmpty()
                                  ? QStringLiteral("all %1 shown are right").arg(exit.shown.size())
                                  : QStringLiteral("wrong: %1").arg(wrong.join(QStringLiteral("; ")));
    if (gallery.kind == InputKind::Image) {
        QStringList indices;
        for (const GallerySample& s : exit.shown)
            indices << QStringLiteral("#%1 %2").arg(s.index).arg(s.label);
        page.figure(exit.strip, 0, QStringLiteral("Samples %1").arg(indices.join(QStringLiteral(", "))),
                    QStringLiteral("Samples %1; %2.").arg(indices.join(QStringLiteral(", ")), wrongText));
        return;
    }
    QString list = QStringLiteral("<ul class=\"texts\">\n");
    for (const GallerySample& s : exit.shown)
        list += QStringLiteral("<li>%1 #%2 (%3%4): %5</li>\n")
                    .arg(mark(s.correct))
                    .arg(s.index)
                    .arg(HtmlDocument::escaped(s.label),
                         s.correct ? QString()
                                   : HtmlDocument::escaped(QStringLiteral(", predicted %1").arg(s.predicted)),
                         HtmlDocument::escaped(s.text));
    page.appendMarkup(list + QStringLiteral("</ul>\n"));
}

void gallerySection(HtmlDocument& page, const ReportContent& content, const ReportGallery& gallery) {
    page.heading(2, QStringLiteral("Samples at each exit"), QStringLiteral("gallery"));
    page.paragraph(
        QStringLiteral("The first %1 %2 samples (by index) leaving at each exit under %3 at the "
                       "budget: a plain sample of who leaves there, not the easiest ones. Green frame "
                       "and ✓: the exit's prediction is right; red frame and ✗: wrong.")
            .arg(kGallerySamplesPerExit)
            .arg(splitLongName(gallery.split), q(content.chosen->method)));
    for (const GalleryExit& exit : gallery.exits)
        galleryExit(page, content, gallery, exit);
}

} // namespace

QByteArray reportHtml(const ReportContent& content, const ReportCharts& charts,
                      const std::optional<ReportGallery>& gallery) {
    const DatasetSummary& s = content.summary;
    const QString unit = q(s.costUnit);
    const double budget = content.request.budget;
    HtmlDocument page(QStringLiteral("EENet report: %1 on %2").arg(q(s.model), q(s.dataset)));
    page.heading(1, QStringLiteral("EENet report: %1 on %2").arg(q(s.model), q(s.dataset)));
    page.paragraph(QStringLiteral("%1 at budget %2 (%3 % of the full model's cost) · %4")
                       .arg(q(content.chosen->method), costText(budget, unit),
                            QString::number(100.0 * budget / s.exits.back().cost, 'f', 1),
                            QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
                   QStringLiteral("lead"));
    fileSection(page, content);
    chartsSections(page, content, charts);
    comparisonSections(page, content);
    whoPaysSection(page, content);
    thresholdsSection(page, content);
    if (gallery)
        gallerySection(page, content, *gallery);
    page.appendMarkup(QStringLiteral("<footer>Written by %1. Every policy is fitted on the validation split "
                                     "only; docs/method.md describes the methods.</footer>\n")
                          .arg(HtmlDocument::escaped(q(content.request.generator))));
    return page.toUtf8();
}

} // namespace eenet
