#pragma once

#include <QStringList>

#include <ostream>

namespace eenet::cli {

/// `eenet-cli info FILE [--json]`.
int runInfo(const QStringList& arguments, std::ostream& out, std::ostream& err);

} // namespace eenet::cli
