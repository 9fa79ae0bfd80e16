// eenet-make-synthetic: writes a SYNTHETIC predictions file for scale tests and benchmarks.
// Its model and dataset attributes say "synthetic"; it is never the studio's default.

#include "Error.h"
#include "data/SyntheticPredictions.h"
#include "io/PredictionsWriter.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <iostream>

namespace {

int intOption(const QCommandLineParser& parser, const QString& name) {
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok)
        throw eenet::ArgumentError("--" + name.toStdString() + " needs a whole number, got '" +
                                   parser.value(name).toStdString() + "'");
    return value;
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Writes a synthetic multi-exit predictions file (not real data)."));
    parser.addHelpOption();
    parser.addOptions(
        {{QStringLiteral("out"), QStringLiteral("Output file (.h5)."), QStringLiteral("path")},
         {QStringLiteral("exits"), QStringLiteral("Number of exits K."), QStringLiteral("K"),
          QStringLiteral("4")},
         {QStringLiteral("classes"), QStringLiteral("Number of classes C."), QStringLiteral("C"),
          QStringLiteral("100")},
         {QStringLiteral("val"), QStringLiteral("Validation samples N."), QStringLiteral("N"),
          QStringLiteral("10000")},
         {QStringLiteral("test"), QStringLiteral("Test samples M (0: none)."), QStringLiteral("M"),
          QStringLiteral("10000")},
         {QStringLiteral("seed"), QStringLiteral("Random seed."), QStringLiteral("S"), QStringLiteral("1")},
         {QStringLiteral("gzip"),
          QStringLiteral("gzip level of the probabilities, in chunks (0: contiguous and uncompressed, what "
                         "eenet-bench's load row reads)."),
          QStringLiteral("level"), QStringLiteral("4")}});
    parser.process(app);
    if (!parser.isSet(QStringLiteral("out"))) {
        std::cerr << "eenet-make-synthetic: --out is required\n";
        return 2;
    }
    try {
        eenet::SyntheticOptions options;
        options.numExits = intOption(parser, QStringLiteral("exits"));
        options.numClasses = intOption(parser, QStringLiteral("classes"));
        options.numVal = intOption(parser, QStringLiteral("val"));
        options.numTest = intOption(parser, QStringLiteral("test"));
        options.seed = static_cast<std::uint64_t>(intOption(parser, QStringLiteral("seed")));
        const int gzipLevel = intOption(parser, QStringLiteral("gzip"));
        if (gzipLevel < 0 || gzipLevel > 9)
            throw eenet::ArgumentError("--gzip needs a level from 0 to 9, got " + std::to_string(gzipLevel));
        eenet::writePredictions(parser.value(QStringLiteral("out")).toStdString(),
                                eenet::makeSyntheticPredictions(options), {gzipLevel});
    } catch (const eenet::Error& e) {
        std::cerr << "eenet-make-synthetic: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
