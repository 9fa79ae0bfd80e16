#pragma once

#include <QStringList>

#include <ostream>

namespace eenet::cli {

/// `eenet-cli compare FILE --methods A,B [--sweep N] [--seed S] [--threads T] [--json]`: A minus B in test
/// accuracy at equal realised test cost, paired per sample (docs/method.md section 9).
int runCompare(const QStringList& arguments, std::ostream& out, std::ostream& err);

} // namespace eenet::cli
