#pragma once

#include <QPalette>
#include <QString>
#include <qcustomplot.h>

#include <string>
#include <vector>

namespace eenet {

/// How PolicyCurvesPlot tells its methods apart, so two curves drawn on the same points still both show:
/// a marker shape per method family, a dash pattern for the "-opt" variants and agreement.
namespace curveStyle {

/// A "-opt" variant, whose thresholds are searched under the budget.
bool isSearched(const std::string& method);
/// A marker shape per method family ("maxprob" and "maxprob-opt" share one); a star for any other name.
QCPScatterStyle::ScatterShape markerShape(const std::string& method);
/// Dashes in pen widths: searched variants dashed, agreement dash-dotted, so a curve drawn exactly under
/// another (patience under agreement, a method under its "-opt" variant) shows through the gaps.
void setDashes(QPen& pen, const std::string& method);
/// "Each exit alone": diamonds outlined in the text colour, so they read on either theme.
QCPScatterStyle singleExit(const QPalette& palette);
/// Thresholds set by hand: a star in the custom colour outlined in the text colour, unlike any curve's
/// marker.
QCPScatterStyle customPoint(const QPalette& palette);
/// "0.912, 0.850, −∞": values for a tooltip, infinities as symbols.
QString joined(const std::vector<double>& values, int decimals);

} // namespace curveStyle
} // namespace eenet
