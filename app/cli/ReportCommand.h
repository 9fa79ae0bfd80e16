#pragma once

#include <QStringList>

#include <ostream>

namespace eenet::cli {

/// `eenet-cli report FILE --budget B --out REPORT.html [--method M] [--eenet-curve N] [--seed S]
/// [--threads T]`. Needs a QApplication (main() starts one, offscreen, for this command).
int runReport(const QStringList& arguments, std::ostream& out, std::ostream& err);

} // namespace eenet::cli
