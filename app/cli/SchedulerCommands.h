#pragma once

#include <QStringList>

#include <ostream>

namespace eenet::cli {

/// `eenet-cli train FILE --budget B --out SCHED.json [--method M] [--calibrate temperature] [--seed S]
/// [--threads T] [--reference] [--json]`.
int runTrain(const QStringList& arguments, std::ostream& out, std::ostream& err);

/// `eenet-cli apply SCHED.json FILE [--split val|test] [--decisions OUT.csv] [--json]`.
int runApply(const QStringList& arguments, std::ostream& out, std::ostream& err);

} // namespace eenet::cli
