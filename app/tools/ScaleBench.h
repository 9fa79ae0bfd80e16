#pragma once

#include "data/Predictions.h"

#include <QJsonObject>

#include <QString>

#include <memory>

namespace eenet {

/// What the studio computes in the background after a file is loaded, each part timed alone on this thread
/// (seconds of wall time, one run each): the calibration summary, the curve of every heuristic method, a
/// bootstrap band, a policy snapshot per method family, the overthinking and class-accuracy figures.
QJsonObject measureViewComputations(const std::shared_ptr<const Predictions>& predictions);

/// The real main window from setPredictions() until every background job it starts has delivered (curves,
/// calibration summary, bands, the first snapshot): how long after a load the views keep computing. Needs a
/// QApplication.
QJsonObject measureLoadToQuiet(const std::shared_ptr<const Predictions>& predictions);

/// The paper-scale rows of `eenet-bench --scale-only`: on `file` (empty: a synthetic 25,000 + 25,000 x 5 x
/// 1000 file made in memory) the background computations one by one, the window's load-to-quiet time and the
/// slider-to-redraw latency per method; then the slider at 50,000 x 5 x 1000 (validation only, synthetic).
/// `quick` runs a small file instead. Needs a QApplication.
QJsonObject measureScale(const QString& file, bool quick);

} // namespace eenet
