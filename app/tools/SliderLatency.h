#pragma once

#include "data/Predictions.h"

#include <QJsonObject>

#include <memory>
#include <string>

namespace eenet {

/// Slider-to-redraw latency of the studio's main window: moves the budget slider step by step and times
/// each move until the policy snapshot of the new budget has reached the session and every view has
/// repainted. `centreTab` names the tab shown in the window's centre ("Curves", "Flow", "Gallery", …): the
/// other tabs cost nothing while hidden. Needs a QApplication. Returns median, p95 and max in milliseconds.
QJsonObject measureSliderLatency(const QString& label, std::shared_ptr<const Predictions> predictions,
                                 const std::string& method, int moves,
                                 const QString& centreTab = QStringLiteral("Curves"));

} // namespace eenet
