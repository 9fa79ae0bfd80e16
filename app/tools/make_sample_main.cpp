// eenet-make-sample: trains the 4-exit Fashion-MNIST CNN and writes the shipped sample predictions file, with
// both splits' images, and the network as a TorchScript model; or (--reuse) adds the images to a sample made
// before.
#include "Error.h"
#include "data/Predictions.h"
#include "io/AtomicFile.h"
#include "io/PredictionsReader.h"
#include "io/PredictionsWriter.h"
#include "runtime/ExitModel.h"
#include "sample/SampleModelMaker.h"
#include "sample/SampleSplits.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <cstdio>
#include <exception>
#include <iostream>
#include <limits>
#include <optional>

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

struct Arguments {
    QString outPath;
    /// The TorchScript model to write; empty with --reuse, which trains no network.
    QString modelPath;
    /// An earlier sample file whose predictions are kept and given their images; empty to train.
    QString reusePath;
    eenet::SampleModelOptions options;
};

/// Parses an integer option of at least `minimum`; returns false (after printing why) when it is malformed.
template <typename T>
bool readInteger(const QCommandLineParser& parser, const QString& name, T& target, qulonglong minimum = 1) {
    if (!parser.isSet(name))
        return true;
    bool ok = false;
    const qulonglong value = parser.value(name).toULongLong(&ok);
    if (!ok || value < minimum || value > static_cast<qulonglong>(std::numeric_limits<T>::max())) {
        std::cerr << "eenet-make-sample: --" << name.toStdString() << " needs an integer >= " << minimum
                  << ", got '" << parser.value(name).toStdString() << "'\n";
        return false;
    }
    target = static_cast<T>(value);
    return true;
}

/// Returns the arguments, or the exit code to leave with (0 after --help, 2 on a usage error).
std::optional<Arguments> parseArguments(const QCoreApplication& app, int& exitCode) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Trains a 4-exit CNN on Fashion-MNIST, measures each exit's latency and MFLOPs, and writes the "
        "validation and test predictions as an EENet Studio predictions file.");
    const eenet::SampleModelOptions defaults;
    const QCommandLineOption help({"h", "help"}, "Show this help.");
    parser.addOptions({
        help,
        {"out", "Predictions file to write (required).", "PATH"},
        {"model-out",
         "TorchScript model to write, the trained network (default: --out's path with .pt for its suffix).",
         "PATH"},
        {"data-dir",
         "Directory with the Fashion-MNIST *-idx*-ubyte.gz files (default " +
             QString::fromStdString(defaults.fashionMnistDir) + ").",
         "DIR"},
        {"train", QString("Training images (default %1).").arg(defaults.trainCount), "N"},
        {"val", QString("Validation images (default %1).").arg(defaults.valCount), "N"},
        {"test", QString("Test images (default %1).").arg(defaults.testCount), "N"},
        {"epochs", QString("Training epochs (default %1).").arg(defaults.epochs), "E"},
        {"batch", QString("Batch size (default %1).").arg(defaults.batchSize), "B"},
        {"seed", QString("Random seed (default %1).").arg(defaults.seed), "S"},
        {"latency-samples", QString("Images timed per exit (default %1).").arg(defaults.latencySamples), "L"},
        {"threads", QString("Training threads (default %1).").arg(defaults.threads), "T"},
        {"batch-cost-seconds",
         QString("About how long timing the network at batch sizes 1 to 256 takes (default %1).")
             .arg(defaults.batchCostSeconds),
         "S"},
        {"reuse",
         "Do not train: keep the predictions and costs of FILE, a sample made before with the same options, "
         "and add both splits' images (its labels must be theirs). Training is not bit-reproducible from one "
         "CPU to another; this keeps the numbers the docs quote.",
         "FILE"},
    });

    exitCode = kExitUsage;
    if (!parser.parse(app.arguments())) {
        std::cerr << "eenet-make-sample: " << parser.errorText().toStdString() << "\n\n"
                  << parser.helpText().toStdString();
        return std::nullopt;
    }
    if (parser.isSet(help)) {
        std::cout << parser.helpText().toStdString();
        exitCode = 0;
        return std::nullopt;
    }
    if (!parser.positionalArguments().isEmpty()) {
        std::cerr << "eenet-make-sample: unexpected argument '"
                  << parser.positionalArguments().first().toStdString() << "'\n";
        return std::nullopt;
    }
    Arguments args;
    args.outPath = parser.value("out");
    if (args.outPath.isEmpty()) {
        std::cerr << "eenet-make-sample: --out PATH is required\n\n" << parser.helpText().toStdString();
        return std::nullopt;
    }
    auto& o = args.options;
    if (parser.isSet("data-dir"))
        o.fashionMnistDir = parser.value("data-dir").toStdString();
    if (!readInteger(parser, "train", o.trainCount) || !readInteger(parser, "val", o.valCount) ||
        !readInteger(parser, "test", o.testCount) || !readInteger(parser, "epochs", o.epochs) ||
        !readInteger(parser, "batch", o.batchSize) || !readInteger(parser, "seed", o.seed, 0) ||
        !readInteger(parser, "latency-samples", o.latencySamples) ||
        !readInteger(parser, "threads", o.threads))
        return std::nullopt;
    if (parser.isSet("batch-cost-seconds")) {
        bool ok = false;
        o.batchCostSeconds = parser.value("batch-cost-seconds").toDouble(&ok);
        if (!ok || !(o.batchCostSeconds > 0)) {
            std::cerr << "eenet-make-sample: --batch-cost-seconds needs a positive number, got '"
                      << parser.value("batch-cost-seconds").toStdString() << "'\n";
            return std::nullopt;
        }
    }
    if (parser.isSet("reuse")) {
        if (parser.isSet("model-out")) {
            std::cerr << "eenet-make-sample: --model-out needs a trained network; --reuse trains none\n";
            return std::nullopt;
        }
        args.reusePath = parser.value("reuse");
        return args;
    }
    const QFileInfo out(args.outPath);
    args.modelPath = parser.isSet("model-out") ? parser.value("model-out")
                                               : out.dir().filePath(out.completeBaseName() + ".pt");
    if (QFileInfo(args.modelPath).absoluteFilePath() == out.absoluteFilePath()) {
        std::cerr << "eenet-make-sample: the model would overwrite the predictions file "
                  << args.outPath.toStdString() << "; choose another --model-out\n";
        return std::nullopt;
    }
    return args;
}

void printSummary(const eenet::Predictions& p) {
    std::printf("\n%-20s %10s %10s %12s %10s\n", "exit", "val acc %", "test acc %", "latency ms", "MFLOPs");
    for (int k = 0; k < p.numExits; ++k) {
        const auto i = static_cast<size_t>(k);
        const double val = eenet::exitAccuracyPercent(p.val, p.numClasses, k);
        const double test = p.test ? eenet::exitAccuracyPercent(*p.test, p.numClasses, k) : 0.0;
        std::printf("%-20s %10.2f %10.2f %12.4f %10.3f\n", p.exitNames[i].c_str(), val, test, p.costs[i],
                    p.flops.empty() ? 0.0 : p.flops[i]);
    }
    std::fflush(stdout);
}

/// Trained predictions and network, or (--reuse) an earlier sample's predictions with their images added
/// and no network.
eenet::FashionMnistSample makeSample(const Arguments& args) {
    if (!args.reusePath.isEmpty()) {
        eenet::FashionMnistSample sample{*eenet::readPredictions(args.reusePath.toStdString()), {}};
        eenet::addFashionMnistImages(sample.predictions, args.options);
        return sample;
    }
    if (args.options.threads > 1 && qEnvironmentVariableIsEmpty("OMP_WAIT_POLICY"))
        // LibTorch's OpenMP workers spin while they wait; on a machine busy with other work that made
        // training several times slower here. libgomp reads the variable at start-up, so only a hint is
        // possible.
        std::cerr
            << "note: set OMP_WAIT_POLICY=PASSIVE (and OPENBLAS_NUM_THREADS=1) when the machine is busy\n";
    const auto progress = [](const std::string& message) { std::cerr << message << std::endl; };
    return eenet::makeFashionMnistSample(args.options, progress);
}

/// Loads the written model as any user's model is loaded and checks that it reproduces every stored
/// probability: the shipped pair of files must agree.
void checkWrittenModel(const QString& modelPath, const eenet::Predictions& predictions) {
    const eenet::ExitModel model = eenet::loadExitModel(modelPath.toStdString());
    for (const eenet::Split split : {eenet::Split::Val, eenet::Split::Test}) {
        const int samples =
            split == eenet::Split::Val ? predictions.val.numSamples : predictions.test->numSamples;
        const eenet::ModelCheck check = eenet::checkModelAgainst(model, predictions, split, samples);
        std::cerr << "checked " << modelPath.toStdString() << " on " << check.samples << " "
                  << eenet::splitName(split) << " images: largest difference from the stored probabilities "
                  << check.maxDifference << std::endl;
    }
}

int run(const Arguments& args) {
    // Fail before a long training run, not after it, when an output cannot be written.
    for (const QString& path : {args.outPath, args.modelPath}) {
        const QFileInfo out(path);
        if (!path.isEmpty() && !out.absoluteDir().exists()) {
            std::cerr << "eenet-make-sample: output directory does not exist: "
                      << QDir::toNativeSeparators(out.absolutePath()).toStdString() << "\n";
            return kExitFailure;
        }
    }
    const eenet::FashionMnistSample sample = makeSample(args);
    eenet::writePredictions(args.outPath.toStdString(), sample.predictions);
    std::cerr << "wrote " << args.outPath.toStdString() << std::endl;
    if (!args.modelPath.isEmpty()) {
        eenet::writeFileAtomically(args.modelPath.toStdString(),
                                   QByteArray::fromStdString(sample.torchScriptModel));
        std::cerr << "wrote " << args.modelPath.toStdString() << " (" << sample.torchScriptModel.size()
                  << " bytes)" << std::endl;
        checkWrittenModel(args.modelPath, sample.predictions);
    }
    printSummary(sample.predictions);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("eenet-make-sample");
    int exitCode = 0;
    const std::optional<Arguments> args = parseArguments(app, exitCode);
    if (!args)
        return exitCode;
    try {
        return run(*args);
    } catch (const eenet::Error& e) {
        std::cerr << "eenet-make-sample: error: " << e.what() << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "eenet-make-sample: unexpected error: " << e.what() << std::endl;
    } catch (...) {
        std::cerr << "eenet-make-sample: unexpected error of unknown type" << std::endl;
    }
    return kExitFailure;
}
