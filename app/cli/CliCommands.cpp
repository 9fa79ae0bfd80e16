#include "cli/CliCommands.h"

#include "Error.h"
#include "cli/EvaluateCommand.h"
#include "cli/InfoCommand.h"
#include "cli/SchedulerCommands.h"

#include <exception>

namespace eenet::cli {
namespace {

constexpr const char* kUsageText = R"(usage: eenet-cli COMMAND [OPTIONS]

Headless EENet Studio: everything the studio computes, for scripts and CI.

commands:
  info FILE [--json]   summary of a predictions file: exits, costs, accuracies, classes
  evaluate FILE [--methods M,...] [--budgets B,... | --sweep N] [--split val|test|both] [--seed S] [--json]
                       every method's accuracy, realised cost and exit fractions under budgets
  train FILE --budget B --out SCHED.json [--seed S] [--reference] [--json]
                       fit an EENet scheduler on the validation split and save it
  apply SCHED.json FILE [--split val|test] [--decisions OUT.csv] [--json]
                       apply a saved scheduler; optionally write per-sample decisions
  help                 this text
  version              the tool's version

Exit codes: 0 success, 1 the input was rejected or a step failed, 2 wrong usage.
See docs/cli.md for details.
)";

} // namespace

int run(const QStringList& arguments, std::ostream& out, std::ostream& err) {
    if (arguments.isEmpty()) {
        err << kUsageText;
        return kUsage;
    }
    const QString command = arguments.front();
    const QStringList rest = arguments.mid(1);
    try {
        if (command == QLatin1String("info"))
            return runInfo(rest, out, err);
        if (command == QLatin1String("evaluate"))
            return runEvaluate(rest, out, err);
        if (command == QLatin1String("train"))
            return runTrain(rest, out, err);
        if (command == QLatin1String("apply"))
            return runApply(rest, out, err);
        if (command == QLatin1String("help") || command == QLatin1String("--help") ||
            command == QLatin1String("-h")) {
            out << kUsageText;
            return kOk;
        }
        if (command == QLatin1String("version") || command == QLatin1String("--version")) {
            out << "eenet-cli " << EENET_VERSION << "\n";
            return kOk;
        }
        err << "eenet-cli: unknown command '" << command.toStdString() << "'\n\n" << kUsageText;
        return kUsage;
    } catch (const UsageError& e) {
        err << "eenet-cli " << command.toStdString() << ": " << e.what() << "\n";
        return kUsage;
    } catch (const Error& e) {
        err << "eenet-cli: error: " << e.what() << "\n";
        return kFailed;
    } catch (const std::exception& e) {
        err << "eenet-cli: unexpected error: " << e.what() << "\n";
        return kFailed;
    }
}

} // namespace eenet::cli
