// The curves view's points as text: hover tooltips and the table the chart exports.

#include "CurveStyle.h"
#include "PolicyCurvesPlot.h"
#include "ShownSplit.h"

#include "session/Session.h"

#include <QToolTip>

namespace eenet {
namespace {

constexpr double kHoverRadiusPx = 10.0;

} // namespace

ChartTable PolicyCurvesPlot::tableData() const {
    const auto& predictions = m_session->predictions();
    const int exits = predictions ? predictions->numExits : 0;
    const QString unit = predictions ? QString::fromStdString(m_session->budgetUnit()) : QString();
    ChartTable table;
    table.header << QStringLiteral("method") << QStringLiteral("split")
                 << QStringLiteral("budget (%1)").arg(unit) << QStringLiteral("realised cost (%1)").arg(unit)
                 << QStringLiteral("accuracy (%)");
    for (int k = 0; k < exits; ++k)
        table.header << QStringLiteral("exit %1 fraction").arg(k + 1);
    // T_K is -inf by definition: only the thresholds that decide something.
    for (int k = 0; k + 1 < exits; ++k)
        table.header << QStringLiteral("T_%1").arg(k + 1);
    for (const Curve* curve : allCurves()) {
        for (const auto* split : {&curve->val, &curve->test}) {
            for (const MethodResult& r : *split) {
                QStringList row{QString::fromStdString(r.method), QString::fromStdString(splitName(r.split)),
                                r.budget ? csvNumber(*r.budget) : QString(), csvNumber(r.outcome.cost),
                                csvNumber(r.outcome.accuracyPercent)};
                for (size_t k = 0; k < static_cast<size_t>(exits); ++k)
                    row << (k < r.outcome.exitFractions.size() ? csvNumber(r.outcome.exitFractions[k])
                                                               : QString());
                for (size_t k = 0; k + 1 < static_cast<size_t>(exits); ++k)
                    row << (k < r.thresholds.size() ? csvNumber(r.thresholds[k]) : QString());
                table.rows.push_back(row);
            }
        }
    }
    return table;
}

const Band* PolicyCurvesPlot::bandOf(const MethodResult& r) const {
    const std::vector<Band>* bands = m_session->bands(r.method, r.split);
    if (!bands)
        return nullptr;
    for (const Curve* curve : allCurves()) {
        if (curve->method != r.method)
            continue;
        const auto& points = results(*curve);
        for (size_t i = 0; i < points.size() && i < bands->size(); ++i)
            if (&points[i] == &r)
                return &(*bands)[i];
    }
    return nullptr;
}

QString PolicyCurvesPlot::pointTooltip(const MethodResult& r) const {
    const QString unit = QString::fromStdString(m_session->budgetUnit());
    QString text = tr("<b>%1</b> (%2)")
                       .arg(QString::fromStdString(r.method), QString::fromStdString(splitName(r.split)));
    if (r.budget)
        text += tr("<br>budget: %1 %2").arg(*r.budget, 0, 'g', 5).arg(unit);
    text += tr("<br>realised cost: %1 %2<br>accuracy: %3 %<br>exit fractions: %4")
                .arg(r.outcome.cost, 0, 'g', 5)
                .arg(unit)
                .arg(r.outcome.accuracyPercent, 0, 'f', 2)
                .arg(curveStyle::joined(r.outcome.exitFractions, 3));
    if (!r.thresholds.empty())
        text += tr("<br>thresholds: %1").arg(curveStyle::joined(r.thresholds, 4));
    if (const Band* band = bandOf(r))
        text += tr("<br>90 % band: %1–%2 % accuracy")
                    .arg(band->accuracyLowPercent, 0, 'f', 2)
                    .arg(band->accuracyHighPercent, 0, 'f', 2);
    return text;
}

void PolicyCurvesPlot::mouseMoveEvent(QMouseEvent* event) {
    QCustomPlot::mouseMoveEvent(event);
    const QPointF position = event->position();
    const auto near = [&](const PolicyOutcome& outcome) {
        const QPointF pixel(xAxis->coordToPixel(outcome.cost), yAxis->coordToPixel(outcome.accuracyPercent));
        return QLineF(pixel, position).length() <= kHoverRadiusPx;
    };
    // The point at the budget first: it is drawn on top, and a custom one lies on no curve.
    if (const SplitPolicy* shown = shownSplit(*m_session); shown && near(shown->outcome)) {
        const auto& snapshot = *m_session->snapshot();
        MethodResult point;
        point.method = snapshot.method;
        point.budget = snapshot.budget;
        point.split = shown->split;
        point.outcome = shown->outcome;
        point.thresholds = snapshot.thresholds;
        if (snapshot.isCustom())
            point.budget.reset(); // not fitted to any budget
        QToolTip::showText(event->globalPosition().toPoint(), pointTooltip(point), this);
        return;
    }
    for (const Curve* curve : allCurves()) {
        // Hidden curves show no tooltips.
        if (isMethodHidden(curve->method.rfind("exit-", 0) == 0 ? std::string("static") : curve->method))
            continue;
        for (const MethodResult& r : results(*curve)) {
            if (near(r.outcome)) {
                QToolTip::showText(event->globalPosition().toPoint(), pointTooltip(r), this);
                return;
            }
        }
    }
    const std::string chosen = emphasisedMethod();
    if (const auto* other = m_session->parkedCurveResults(chosen, m_session->split());
        other && !isMethodHidden(chosen))
        for (const MethodResult& r : *other)
            if (near(r.outcome)) {
                QToolTip::showText(event->globalPosition().toPoint(),
                                   pointTooltip(r) + (m_session->calibrated() ? tr("<br><i>uncalibrated</i>")
                                                                              : tr("<br><i>calibrated</i>")),
                                   this);
                return;
            }
    QToolTip::hideText();
}

} // namespace eenet
