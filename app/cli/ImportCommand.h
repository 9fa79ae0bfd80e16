#pragma once

#include <QStringList>

#include <ostream>

namespace eenet::cli {

/// `eenet-cli import SOURCE --out FILE.h5 [--flops F] [--seconds S] [--classes N] [--model M] [--dataset D]`.
int runImport(const QStringList& arguments, std::ostream& out, std::ostream& err);

} // namespace eenet::cli
