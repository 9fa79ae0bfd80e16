#pragma once

#include "report/ReportCharts.h"
#include "report/ReportContent.h"
#include "report/ReportGallery.h"

#include <QByteArray>

#include <optional>

namespace eenet {

/// The report as one self-contained HTML page: the file's summary, the charts, the tables of every method at
/// the budget and at equal realised cost, the chosen policy's thresholds and, when the file has inputs, the
/// gallery. Tables carry ids ("exits", "budget-honesty", "methods-at-budget", "equal-cost", "thresholds") so
/// readers and tests can find them.
QByteArray reportHtml(const ReportContent& content, const ReportCharts& charts,
                      const std::optional<ReportGallery>& gallery);

} // namespace eenet
