#pragma once

#include <QStringList>

#include <ostream>

namespace eenet::cli {

/// `eenet-cli run --model MODEL.pt --scheduler SCHED.json|SCHED.pt FILE [--split val|test] [--batch B]
/// [--mode sample|sync|compact] [--threads T] [--no-check] [--decisions OUT.csv] [--json]`: real early
/// exit of a TorchScript multi-exit model on the file's stored inputs, timed against the full model.
int runRun(const QStringList& arguments, std::ostream& out, std::ostream& err);

} // namespace eenet::cli
