#pragma once

#include <QString>
#include <QStringList>

#include <ostream>
#include <stdexcept>

namespace eenet::cli {

/// Exit codes of eenet-cli.
enum ExitCode { kOk = 0, kFailed = 1, kUsage = 2 };

/// Wrong command-line usage (unknown option, missing argument): exit code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The synopsis of `command` ("info", "evaluate", "train", "apply", "report", "import"): the one text the
/// top-level help, the command's own `--help` and its usage errors all print, so they cannot drift apart.
QString usageOf(const QString& command);

/// Runs one eenet-cli command line (arguments without the program name). Writes results to `out` and
/// errors to `err`; never throws.
int run(const QStringList& arguments, std::ostream& out, std::ostream& err);

} // namespace eenet::cli
