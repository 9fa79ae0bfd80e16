#pragma once

#include <QStringList>

#include <ostream>

namespace eenet::cli {

/// `eenet-cli calibrate FILE [--json]`: per exit the temperature fitted on val and ECE, MCE, NLL and Brier
/// score before and after, on val and test.
int runCalibrate(const QStringList& arguments, std::ostream& out, std::ostream& err);

} // namespace eenet::cli
