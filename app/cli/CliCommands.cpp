#include "cli/CliCommands.h"

#include "Error.h"
#include "cli/CalibrateCommand.h"
#include "cli/CompareCommand.h"
#include "cli/EvaluateCommand.h"
#include "cli/ImportCommand.h"
#include "cli/InfoCommand.h"
#include "cli/MeasureCommand.h"
#include "cli/ReportCommand.h"
#include "cli/RunCommand.h"
#include "cli/SchedulerCommands.h"

#include <exception>

namespace eenet::cli {
namespace {

/// One command's help: its synopsis (also in usage errors), what it does, and every option it accepts.
struct CommandHelp {
    const char* name;
    const char* synopsis;
    const char* summary;
    const char* options;
};

constexpr const char* kBudgetHelp =
    "Budgets are average costs per sample in the file's cost unit (B), or shares of the full model's cost\n"
    "written P% (40% = 0.40 x c_K, the last exit's cumulative cost); each must lie in [c_1, c_K].\n";

const CommandHelp kCommands[] = {
    {"info", "eenet-cli info FILE [--json]",
     "summary of a predictions file: exits, costs, accuracies, classes",
     "  --json                 the summary as JSON, with every class name\n"},
    {"calibrate", "eenet-cli calibrate FILE [--json]",
     "per exit: a temperature fitted on val, and ECE, MCE, NLL and Brier score before and after it",
     "  --json                 the temperatures and metrics as JSON (ECE and MCE as fractions 0..1)\n"},
    {"evaluate",
     "eenet-cli evaluate FILE [--methods M1,M2,...] [--budgets B1,B2,... | --sweep N]\n"
     "          [--split val|test|both] [--calibrate temperature] [--cost NAME] [--serving MODE]\n"
     "          [--guarantee P] [--seed S] [--threads T] [--json [--bands]]",
     "every method's accuracy, realised cost and exit fractions under budgets",
     "  --methods M1,M2,...    policies to compare (default eenet,eenet-opt,maxprob,entropy,patience,\n"
     "                         agreement,maxprob-opt,oracle,static; all of them in docs/cli.md)\n"
     "  --budgets B1,B2,...    budgets in the file's cost unit or P% of the full cost, e.g. 0.2,40%\n"
     "  --sweep N              N budgets evenly spaced from c_1 to c_K (default 20)\n"
     "  --split val|test|both  the splits to report (default both, val when the file has no test split)\n"
     "  --calibrate temperature  scale each exit's probabilities by a temperature fitted on val, then\n"
     "                         evaluate every method on the calibrated probabilities\n"
     "  --seed S               EENet's training seed (default 0)\n"
     "  --threads T            LibTorch threads for EENet's training (default 1)\n"
     "  --json                 the results as JSON instead of a table\n"
     "  --bands                with --json: each result's 90 % bootstrap band over the split's samples\n"
     "                         (band_low, band_high, cost_band_low, cost_band_high; docs/cli.md)\n"},
    {"compare",
     "eenet-cli compare FILE --methods A,B [--sweep N] [--cost NAME] [--seed S] [--threads T] [--json]",
     "A minus B in test accuracy at equal realised test cost, paired per sample, with a verdict",
     "  --methods A,B          the two policies (any evaluate method but static); B's test curve is\n"
     "                         interpolated at A's realised test cost\n"
     "  --sweep N              N budgets evenly spaced from c_1 to c_K (default 20); the two ends are not\n"
     "                         compared\n"
     "  --seed S               EENet's training seed (default 0)\n"
     "  --threads T            LibTorch threads for EENet's training (default 1)\n"
     "  --json                 the comparison as JSON instead of a table\n"},
    {"train",
     "eenet-cli train FILE --budget B|P% --out SCHED.json|SCHED.pt [--method M] [--calibrate temperature]\n"
     "          [--cost NAME] [--serving MODE] [--guarantee P] [--seed S] [--threads T] [--reference]\n"
     "          [--json]",
     "fit a policy on the validation split for a budget and save it as a scheduler (replayed before saving)",
     "  --budget B|P%          the budget in the file's cost unit, or P% of the full cost (e.g. 40%)\n"
     "  --out SCHED.json|.pt   the scheduler: JSON v1, or TorchScript when the name ends in .pt\n"
     "  --method M             eenet (default), eenet-opt, eenet-reference, maxprob, entropy, patience,\n"
     "                         agreement, or maxprob-opt, entropy-opt, patience-opt, agreement-opt\n"
     "  --calibrate temperature  fit the policy on probabilities scaled by per-exit temperatures fitted on\n"
     "                         val; the scheduler carries them and a runtime applies them to the model's\n"
     "                         own probabilities\n"
     "  --seed S               EENet's training seed (default 0)\n"
     "  --threads T            LibTorch threads for EENet's training (default 1)\n"
     "  --reference            the authors' formulation: same as --method eenet-reference\n"
     "  --json                 the result as JSON\n"},
    {"report",
     "eenet-cli report FILE --budget B|P% --out REPORT.html [--method M] [--eenet-curve N]\n"
     "          [--calibrate temperature] [--cost NAME] [--seed S] [--threads T]",
     "one self-contained HTML report of a policy at a budget, compared with every other method",
     "  --budget B|P%          the budget in the file's cost unit, or P% of the full cost (e.g. 40%)\n"
     "  --out REPORT.html      the report: one HTML file, charts embedded, no links or scripts\n"
     "  --method M             the policy the report is about: eenet (default, fitted at the budget),\n"
     "                         eenet-opt, maxprob, entropy, patience, agreement, their -opt variants, "
     "oracle\n"
     "  --eenet-curve N        also fit EENet at N budgets from c_1 to c_K, for its curve (default 0: EENet\n"
     "                         only at the budget, and only when it is the method)\n"
     "  --calibrate temperature  scale each exit's probabilities by a temperature fitted on val; the whole\n"
     "                         report is then about the calibrated probabilities, and says so\n"
     "  --seed S               EENet's training seed (default 0)\n"
     "  --threads T            LibTorch threads for EENet's training (default 1)\n"},
    {"apply",
     "eenet-cli apply SCHED.json|SCHED.pt FILE [--split val|test] [--decisions OUT.csv] [--cost NAME]\n"
     "          [--serving MODE] [--json]",
     "apply a saved scheduler to a predictions file; optionally write per-sample decisions",
     "  --split val|test       the split to apply it to (default test, val when the file has no test split)\n"
     "  --decisions OUT.csv    one row per sample: index,exit,prediction (exit 0-based)\n"
     "  --cost NAME            price the decisions in this cost model (default: the scheduler's own,\n"
     "                         its cost_model; the file must have it)\n"
     "  --serving MODE         also report the serving cost per sample under MODE (default: the\n"
     "                         scheduler's serving mode, when it was trained under one)\n"
     "  --json                 the result as JSON\n"},
    {"run",
     "eenet-cli run --model MODEL.pt --scheduler SCHED.json|SCHED.pt FILE [--split val|test] [--batch B]\n"
     "          [--mode sample|sync|compact] [--threads T] [--no-check] [--decisions OUT.csv] [--cost NAME]\n"
     "          [--json]",
     "real early exit: a TorchScript multi-exit model on the file's stored inputs, exit by exit, timed "
     "against the full model",
     "  --model MODEL.pt       TorchScript model: num_exits(), stage(k, x), head(k, h) (docs/deploy.md)\n"
     "  --scheduler SCHED      the scheduler deciding after each exit: JSON v1 or TorchScript (.pt)\n"
     "  --split val|test       the split whose inputs to run (default test, val when the file has no test)\n"
     "  --batch B              samples per batch (default 1)\n"
     "  --mode M               sample: one at a time (default for --batch 1); sync: a batch runs until its\n"
     "                         deepest sample leaves; compact: samples that leave drop out of the batch\n"
     "                         (default for --batch above 1)\n"
     "  --threads T            LibTorch and OpenBLAS threads (default 1)\n"
     "  --no-check             skip comparing the model's probabilities with the file's on the first 16\n"
     "                         samples (to 1e-4)\n"
     "  --decisions OUT.csv    one row per sample: index,exit,prediction (exit 0-based), as apply writes\n"
     "  --cost NAME            the cost model of the simulated cost (default: the scheduler's own)\n"
     "  --json                 the measurements as JSON\n"},
    {"measure",
     "eenet-cli measure --model MODEL.pt FILE [--split val|test] [--out OUT.h5] [--name NAME]\n"
     "          [--max-batch B] [--seconds S] [--no-check]",
     "serving costs: a TorchScript multi-exit model timed on the file's stored inputs at batch sizes 1, 2, "
     "4, ..., stored in the file",
     "  --model MODEL.pt       TorchScript model: num_exits(), stage(k, x), head(k, h) (docs/deploy.md)\n"
     "  --split val|test       the split whose inputs to time (default test, val when the file has no test)\n"
     "  --out OUT.h5           write the result there (default: FILE itself, replaced atomically)\n"
     "  --name NAME            batch 1's latencies are also stored as the cost vector\n"
     "                         /exits/extra_costs/NAME, unit ms (default measured_ms)\n"
     "  --max-batch B          the largest batch size: powers of two up to B and the split's samples\n"
     "                         (default 256)\n"
     "  --seconds S            about how long the timing takes (default 20)\n"
     "  --no-check             skip comparing the model's probabilities with the file's on the first 16\n"
     "                         samples (to 1e-4)\n"},
    {"import",
     "eenet-cli import SOURCE --out FILE.h5 [--flops flops.pth] [--seconds seconds.csv]\n"
     "          [--classes names.txt] [--model NAME] [--dataset NAME]",
     "convert a prediction cache (MSDNet's logits_single.pth, or an .npz) into a predictions file",
     "  --out FILE.h5          the predictions file to write (format v1)\n"
     "  --flops flops.pth      cumulative FLOPs per exit (a list or 1-D tensor); stored as MFLOPs, and the\n"
     "                         costs when no latencies are given\n"
     "  --seconds seconds.csv  cumulative latency in ms per exit, one per line, no header: the costs\n"
     "  --classes names.txt    one class name per line (default: class 0 ... class C-1)\n"
     "  --model NAME           the model's name (default: the source's folder and file name)\n"
     "  --dataset NAME         the dataset's name (default: unknown)\n"},
};

const CommandHelp* findCommand(const QString& name) {
    for (const CommandHelp& command : kCommands)
        if (name == QLatin1String(command.name))
            return &command;
    return nullptr;
}

std::string topLevelHelp() {
    std::string text =
        "usage: eenet-cli COMMAND [OPTIONS]   (eenet-cli COMMAND --help: one command in detail)\n\n"
        "Headless EENet Studio: everything the studio computes, for scripts and CI.\n\n"
        "commands:\n";
    for (const CommandHelp& command : kCommands)
        text += std::string("  ") + command.synopsis + "\n      " + command.summary + "\n";
    text += "  eenet-cli help | --help\n      this text\n"
            "  eenet-cli version | --version\n      the tool's version\n\n";
    text += kBudgetHelp;
    text += "Exit codes: 0 success, 1 the input was rejected or a step failed, 2 wrong usage.\n"
            "See docs/cli.md for details.\n";
    return text;
}

/// The help of the cost options (app/cli/CostOptions.h) of the commands that take them the same way; apply
/// and run describe their --cost and --serving in their own options.
std::string costOptionsHelp(const QString& command) {
    const bool rule = command == QLatin1String("evaluate") || command == QLatin1String("train");
    if (!rule && command != QLatin1String("compare") && command != QLatin1String("report"))
        return {};
    std::string text =
        "  --cost NAME            the cost vector budgets and costs are in: costs (default, /exits/costs),\n"
        "                         flops, or an /exits/extra_costs name (eenet-cli info lists them)\n";
    if (rule)
        text += "  --serving MODE         budgets bound the cost per sample served as sample, sync:B or\n"
                "                         compact:B (batches of B; the file's batch costs when it has them)\n"
                "  --guarantee P          fit so that the average cost on new data stays within the budget\n"
                "                         with confidence P (0 < P < 1, e.g. 0.95; a bootstrap of val)\n";
    return text;
}

std::string commandHelp(const CommandHelp& command) {
    std::string text = std::string("usage: ") + command.synopsis + "\n\n" + command.summary +
                       "\n\noptions:\n" + command.options + costOptionsHelp(QLatin1String(command.name));
    if (QLatin1String(command.name) == QLatin1String("evaluate") ||
        QLatin1String(command.name) == QLatin1String("train") ||
        QLatin1String(command.name) == QLatin1String("report"))
        text += std::string("\n") + kBudgetHelp;
    return text;
}

bool asksForHelp(const QStringList& arguments) {
    return arguments.contains(QLatin1String("--help")) || arguments.contains(QLatin1String("-h"));
}

} // namespace

QString usageOf(const QString& command) {
    const CommandHelp* help = findCommand(command);
    return help ? QString::fromUtf8(help->synopsis) : QString();
}

int run(const QStringList& arguments, std::ostream& out, std::ostream& err) {
    if (arguments.isEmpty()) {
        err << topLevelHelp();
        return kUsage;
    }
    const QString command = arguments.front();
    const QStringList rest = arguments.mid(1);
    try {
        if (const CommandHelp* help = findCommand(command); help && asksForHelp(rest)) {
            out << commandHelp(*help);
            return kOk;
        }
        if (command == QLatin1String("info"))
            return runInfo(rest, out, err);
        if (command == QLatin1String("calibrate"))
            return runCalibrate(rest, out, err);
        if (command == QLatin1String("evaluate"))
            return runEvaluate(rest, out, err);
        if (command == QLatin1String("compare"))
            return runCompare(rest, out, err);
        if (command == QLatin1String("train"))
            return runTrain(rest, out, err);
        if (command == QLatin1String("apply"))
            return runApply(rest, out, err);
        if (command == QLatin1String("report"))
            return runReport(rest, out, err);
        if (command == QLatin1String("import"))
            return runImport(rest, out, err);
        if (command == QLatin1String("run"))
            return runRun(rest, out, err);
        if (command == QLatin1String("measure"))
            return runMeasure(rest, out, err);
        if (command == QLatin1String("help") || command == QLatin1String("--help") ||
            command == QLatin1String("-h")) {
            out << topLevelHelp();
            return kOk;
        }
        if (command == QLatin1String("version") || command == QLatin1String("--version")) {
            out << "eenet-cli " << EENET_VERSION << "\n";
            return kOk;
        }
        err << "eenet-cli: unknown command '" << command.toStdString() << "'\n\n" << topLevelHelp();
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
