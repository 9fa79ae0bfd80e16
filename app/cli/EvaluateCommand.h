#pragma once

#include <QStringList>

#include <ostream>

namespace eenet::cli {

/// `eenet-cli evaluate FILE [--methods ...] [--budgets ... | --sweep N] [--split val|test|both] [--seed S]
/// [--json]`.
int runEvaluate(const QStringList& arguments, std::ostream& out, std::ostream& err);

} // namespace eenet::cli
