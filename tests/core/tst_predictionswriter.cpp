#include "FileSizeLimit.h"
#include "H5FileBuilder.h"
#include "ReadChecks.h"
#include "TestData.h"

#include "Error.h"
#include "io/PredictionsReader.h"
#include "io/PredictionsWriter.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <random>

using eenet::test::H5AttributeValue;
using eenet::test::H5ElementType;
using eenet::test::H5FileBuilder;
using eenet::test::readOrFail;

namespace {

std::string utf8(const QString& s) {
    return s.toStdString();
}

// Softmax of pseudo-random logits computed in float: arbitrary float32 bit patterns, so a writer that rounds
// through another type (or a reader that renormalises) is caught by the bitwise comparison.
eenet::SplitPredictions makeSplit(int numExits, int numSamples, int numClasses, std::mt19937& rng) {
    eenet::SplitPredictions split;
    split.numSamples = numSamples;
    for (int i = 0; i < numSamples; ++i)
        split.labels.push_back(static_cast<int>(rng() % static_cast<unsigned>(numClasses)));
    for (int k = 0; k < numExits; ++k) {
        for (int i = 0; i < numSamples; ++i) {
            std::vector<float> row;
            float total = 0;
            for (int c = 0; c < numClasses; ++c) {
                const float logit =
                    (rng() % 10001) / 1250.0f - 4.0f + (c == split.labels[i] ? 0.7f * k : 0.0f);
                row.push_back(std::exp(logit));
                total += row.back();
            }
            for (float p : row)
                split.probs.push_back(p / total);
        }
    }
    return split;
}

struct PredictionsShape {
    int numExits = 3;
    int numSamples = 17;
    int numClasses = 4;
    int numTestSamples = 9;
    bool withTest = true;
    bool withFlops = true;
};

eenet::Predictions makePredictions(const PredictionsShape& shape, unsigned seed = 42u) {
    std::mt19937 rng(seed);
    eenet::Predictions p;
    p.model = "multi-exit-cnn";
    p.dataset = "fashion-mnist";
    p.costUnit = "ms";
    p.description = "writer round trip, seed " + std::to_string(seed);
    p.numExits = shape.numExits;
    p.numClasses = shape.numClasses;
    for (int k = 0; k < shape.numExits; ++k) {
        p.costs.push_back(0.75 * (k + 1) + 0.125 * k * k);
        if (shape.withFlops)
            p.flops.push_back(12.5 * (k + 1) + 0.0625);
        p.exitNames.push_back(k + 1 == shape.numExits ? "head" : "block " + std::to_string(k + 1));
    }
    const std::vector<std::string> classNames{"T-shirt/top", "Trouser", "café", "Ankle boot"};
    for (int c = 0; c < shape.numClasses; ++c)
        p.classNames.push_back(c < 4 ? classNames[static_cast<std::size_t>(c)]
                                     : "class " + std::to_string(c));
    p.val = makeSplit(shape.numExits, shape.numSamples, shape.numClasses, rng);
    if (shape.withTest)
        p.test = makeSplit(shape.numExits, shape.numTestSamples, shape.numClasses, rng);
    return p;
}

// Everything a directory holds, hidden files included: leftover temporaries start with a dot.
QStringList entries(const QString& dir) {
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                               QDir::Name);
}

bool sameBits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

void verifySplit(const eenet::SplitPredictions& actual, const eenet::SplitPredictions& expected) {
    QCOMPARE(actual.numSamples, expected.numSamples);
    QVERIFY2(sameBits(actual.probs, expected.probs), "probabilities differ bitwise");
    QCOMPARE(actual.labels, expected.labels);
}

void verifySame(const eenet::Predictions& actual, const eenet::Predictions& expected) {
    QCOMPARE(QString::fromStdString(actual.model), QString::fromStdString(expected.model));
    QCOMPARE(QString::fromStdString(actual.dataset), QString::fromStdString(expected.dataset));
    QCOMPARE(QString::fromStdString(actual.costUnit), QString::fromStdString(expected.costUnit));
    QCOMPARE(QString::fromStdString(actual.description), QString::fromStdString(expected.description));
    QCOMPARE(actual.numExits, expected.numExits);
    QCOMPARE(actual.numClasses, expected.numClasses);
    QCOMPARE(actual.costs, expected.costs);
    QCOMPARE(actual.flops, expected.flops);
    QCOMPARE(actual.exitNames, expected.exitNames);
    QCOMPARE(actual.classNames, expected.classNames);
    verifySplit(actual.val, expected.val);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(actual.test.has_value(), expected.test.has_value());
    if (expected.test)
        verifySplit(*actual.test, *expected.test);
}

/// Grey (channels 1) or RGB (3) images whose every byte depends on the sample, or texts with non-ASCII
/// characters and an empty one.
std::shared_ptr<const eenet::SampleInputs> makeInputs(const QString& kind, int numSamples) {
    std::vector<eenet::SampleInput> samples;
    for (int i = 0; i < numSamples; ++i) {
        eenet::SampleInput sample;
        if (kind == "text") {
            sample.kind = eenet::InputKind::Text;
            sample.text = i % 5 == 4 ? "" : "sample " + std::to_string(i) + " – ünïcode ✓";
        } else {
            sample.kind = eenet::InputKind::Image;
            sample.height = 5;
            sample.width = 7;
            sample.channels = kind == "rgb" ? 3 : 1;
            for (int b = 0; b < sample.height * sample.width * sample.channels; ++b)
                sample.pixels.push_back(static_cast<std::uint8_t>((i * 29 + b * 3) % 256));
        }
        samples.push_back(std::move(sample));
    }
    return std::make_shared<eenet::MemorySampleInputs>(std::move(samples));
}

void verifySameInputs(const eenet::SampleInputs& actual, const eenet::SampleInputs& expected) {
    QCOMPARE(actual.kind(), expected.kind());
    QCOMPARE(actual.shape(), expected.shape());
    for (int i = 0; i < expected.numSamples(); ++i) {
        const eenet::SampleInput a = actual.read(i);
        const eenet::SampleInput e = expected.read(i);
        QVERIFY2(a.pixels == e.pixels && a.text == e.text && a.height == e.height && a.width == e.width &&
                     a.channels == e.channels,
                 qPrintable(QStringLiteral("sample %1 differs").arg(i)));
    }
}

QString textAttribute(const H5FileBuilder& file, const char* name) {
    const H5AttributeValue& value = file.attribute(name);
    return std::holds_alternative<std::string>(value) ? QString::fromStdString(std::get<std::string>(value))
                                                      : QStringLiteral("<not a string>");
}

} // namespace

class TestPredictionsWriter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void writesFormatV1Layout_data();
    void writesFormatV1Layout();
    void replacesExistingFile();
    void failsWhenParentIsAFile();
    void failsInReadOnlyDirectory();
    void keepsExistingFileWhenWriteFails();
    void roundTripsInputs_data();
    void roundTripsInputs();
    void writesInputsAsTheFormatSays_data();
    void writesInputsAsTheFormatSays();
    void refusesInconsistentInputs();
    void copiesInputsReadFromAFile();
    void roundTripsCostModelsAndServingCosts();
    void refusesCostsTheReaderWouldRefuse();
};

void TestPredictionsWriter::roundTrip_data() {
    QTest::addColumn<bool>("withTest");
    QTest::addColumn<bool>("withFlops");
    QTest::addColumn<QString>("description");
    QTest::addColumn<int>("gzipLevel");
    QTest::newRow("val only, gzip 4") << false << false << "val only" << 4;
    QTest::newRow("val and test, gzip 4") << true << false << "val and test" << 4;
    QTest::newRow("flops, contiguous") << true << true << "flops" << 0;
    QTest::newRow("flops, gzip 9") << true << true << "gzip 9" << 9;
    QTest::newRow("no description") << true << true << QString() << 4;
}

void TestPredictionsWriter::roundTrip() {
    QFETCH(bool, withTest);
    QFETCH(bool, withFlops);
    QFETCH(QString, description);
    QFETCH(int, gzipLevel);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("out.h5");
    PredictionsShape shape;
    shape.withTest = withTest;
    shape.withFlops = withFlops;
    eenet::Predictions written = makePredictions(shape);
    written.description = utf8(description);

    try {
        eenet::writePredictions(utf8(path), written, {gzipLevel});
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("writePredictions threw: %1").arg(e.what())));
    }
    QCOMPARE(H5FileBuilder::openObjectCount(), 0L);
    const auto read = readOrFail(path);
    QVERIFY(read);
    verifySame(*read, written);
    QCOMPARE(QString::fromStdString(read->sourcePath), path);
    QCOMPARE(entries(dir.path()), QStringList{"out.h5"});
}

void TestPredictionsWriter::writesFormatV1Layout_data() {
    QTest::addColumn<int>("gzipLevel");
    QTest::newRow("gzip 0: contiguous") << 0;
    QTest::newRow("gzip 4: chunked, compressed") << 4;
}

// The round trip alone would pass if reader and writer agreed on a wrong layout; this reads the file with
// plain HDF5 and checks it against docs/format.md.
void TestPredictionsWriter::writesFormatV1Layout() {
    QFETCH(int, gzipLevel);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("layout.h5");
    const eenet::Predictions written = makePredictions({});
    try {
        eenet::writePredictions(utf8(path), written, {gzipLevel});
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("writePredictions threw: %1").arg(e.what())));
    }

    const H5FileBuilder file = H5FileBuilder::fromFile(path);
    QCOMPARE(textAttribute(file, "format"), "eenet-predictions");
    QVERIFY(std::holds_alternative<std::int64_t>(file.attribute("format_version")));
    QCOMPARE(std::get<std::int64_t>(file.attribute("format_version")), std::int64_t{1});
    QCOMPARE(textAttribute(file, "model"), "multi-exit-cnn");
    QCOMPARE(textAttribute(file, "dataset"), "fashion-mnist");
    QCOMPARE(textAttribute(file, "cost_unit"), "ms");

    QVERIFY(file.dataset("/exits/costs").type == H5ElementType::Float64);
    QCOMPARE(file.dataset("/exits/costs").values, written.costs);
    QCOMPARE(file.dataset("/exits/flops").values, written.flops);
    QCOMPARE(file.dataset("/exits/names").strings, written.exitNames);
    QCOMPARE(file.dataset("/classes/names").strings, written.classNames);
    for (const std::string group : {"/val", "/test"}) {
        const auto& split = group == "/val" ? written.val : *written.test;
        const auto& probs = file.dataset(group + "/probs");
        QVERIFY(probs.type == H5ElementType::Float32);
        QCOMPARE(probs.shape,
                 (std::vector<std::uint64_t>{3, static_cast<std::uint64_t>(split.numSamples), 4}));
        QCOMPARE(probs.chunkedGzip, gzipLevel > 0);
        QVERIFY(sameBits(std::vector<float>(probs.values.begin(), probs.values.end()), split.probs));
        const auto& labels = file.dataset(group + "/labels");
        QVERIFY(labels.type == H5ElementType::Int32 || labels.type == H5ElementType::Int64);
        QCOMPARE(std::vector<int>(labels.values.begin(), labels.values.end()), split.labels);
    }
}

void TestPredictionsWriter::replacesExistingFile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("out.h5");
    eenet::Predictions first = makePredictions({}, 1u);
    first.model = "first";
    eenet::Predictions second = makePredictions({}, 2u);
    second.model = "second";
    second.test.reset();

    try {
        eenet::writePredictions(utf8(path), first);
        eenet::writePredictions(utf8(path), second);
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("writePredictions threw: %1").arg(e.what())));
    }
    const auto read = readOrFail(path);
    QVERIFY(read);
    verifySame(*read, second);
    QCOMPARE(entries(dir.path()), QStringList{"out.h5"});
}

void TestPredictionsWriter::failsWhenParentIsAFile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // A regular file where a directory should be: fails for every user, root included.
    const QString blocker = dir.filePath("blocker");
    {
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a directory\n");
    }
    const QString path = blocker + "/out.h5";

    try {
        eenet::writePredictions(utf8(path), makePredictions({}));
        QFAIL("writePredictions succeeded below a regular file");
    } catch (const eenet::IoError& e) {
        QCOMPARE(QString::fromStdString(e.file()), path);
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("expected eenet::IoError, got: %1").arg(e.what())));
    }
    QCOMPARE(H5FileBuilder::openObjectCount(), 0L);
    QCOMPARE(entries(dir.path()), QStringList{"blocker"});
    QCOMPARE(eenet::test::readBytes(blocker), QByteArray("not a directory\n"));
}

void TestPredictionsWriter::failsInReadOnlyDirectory() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString lockedDir = dir.filePath("locked");
    QVERIFY(QDir(dir.path()).mkdir("locked"));
    const QString path = lockedDir + "/out.h5";
    try {
        eenet::writePredictions(utf8(path), makePredictions({}, 1u));
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("writePredictions threw: %1").arg(e.what())));
    }
    const QByteArray before = eenet::test::readBytes(path);
    QVERIFY(!before.isEmpty());

    QFile::setPermissions(lockedDir, QFileDevice::ReadOwner | QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                         QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                         QFileDevice::ExeOther);
    // Restores write permission whatever happens, so QTemporaryDir can clean up.
    const auto unlock = qScopeGuard([&] {
        QFile::setPermissions(lockedDir,
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    });
    QFile probe(lockedDir + "/probe");
    if (probe.open(QIODevice::WriteOnly)) {
        probe.close();
        probe.remove();
        QSKIP("running as root (or with CAP_DAC_OVERRIDE): directory permissions do not stop writes; "
              "failsWhenParentIsAFile and keepsExistingFileWhenWriteFails cover failed writes without them");
    }

    try {
        eenet::writePredictions(utf8(path), makePredictions({}, 2u));
        QFAIL("writePredictions succeeded in a read-only directory");
    } catch (const eenet::IoError& e) {
        QCOMPARE(QString::fromStdString(e.file()), path);
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("expected eenet::IoError, got: %1").arg(e.what())));
    }
    QCOMPARE(H5FileBuilder::openObjectCount(), 0L);
    QCOMPARE(eenet::test::readBytes(path), before);
    QCOMPARE(entries(lockedDir), QStringList{"out.h5"});
}

// A write that fails half-way, for root too: a file-size limit makes the kernel refuse the temporary file's
// data with EFBIG after HDF5 has created it, the case where a non-atomic writer would destroy the old file.
void TestPredictionsWriter::keepsExistingFileWhenWriteFails() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("out.h5");
    const eenet::Predictions original = makePredictions({}, 1u);
    try {
        eenet::writePredictions(utf8(path), original);
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("writePredictions threw: %1").arg(e.what())));
    }
    const QByteArray before = eenet::test::readBytes(path);
    QVERIFY(!before.isEmpty());

    PredictionsShape big;
    big.numSamples = 4000;
    big.numClasses = 10;
    // 3 x 4000 x 10 float32 = 480 KB uncompressed, far past the 64 KiB limit.
    const eenet::Predictions replacement = makePredictions(big, 2u);
    bool limited = false;
    std::string error;
    std::string errorFile;
    {
        eenet::test::FileSizeLimit limit(64 * 1024);
        limited = limit.active();
        try {
            eenet::writePredictions(utf8(path), replacement, {0});
        } catch (const eenet::IoError& e) {
            error = e.what();
            errorFile = e.file();
        } catch (const std::exception& e) {
            error = std::string("not an IoError: ") + e.what();
        }
    }
    QVERIFY2(limited, "could not lower RLIMIT_FSIZE");
    QVERIFY2(!error.empty(), "writePredictions succeeded past the file-size limit");
    QVERIFY2(error.rfind("not an IoError", 0) != 0, error.c_str());
    QCOMPARE(QString::fromStdString(errorFile), path);
    QCOMPARE(eenet::test::readBytes(path), before);
    QCOMPARE(entries(dir.path()), QStringList{"out.h5"});
    const auto read = readOrFail(path);
    QVERIFY(read);
    verifySame(*read, original);
    // Checked last: a leaked handle cannot be closed any more and makes HDF5 crash at process exit, and the
    // checks above should report first.
    QVERIFY2(H5FileBuilder::openObjectCount() == 0,
             qPrintable(QStringLiteral("%1 HDF5 objects still open after the failed write")
                            .arg(H5FileBuilder::openObjectCount())));
}

void TestPredictionsWriter::roundTripsInputs_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("numSamples");
    QTest::addColumn<bool>("testInputs");
    QTest::addColumn<int>("gzipLevel");
    QTest::newRow("grey, gzip 4") << "grey" << 17 << true << 4;
    QTest::newRow("grey, 150 samples in 3 chunks") << "grey" << 150 << true << 4;
    QTest::newRow("RGB, contiguous") << "rgb" << 17 << true << 0;
    QTest::newRow("RGB, val only") << "rgb" << 17 << false << 9;
    QTest::newRow("texts, gzip 4") << "text" << 130 << true << 4;
    QTest::newRow("texts, contiguous") << "text" << 17 << true << 0;
}

void TestPredictionsWriter::roundTripsInputs() {
    QFETCH(QString, kind);
    QFETCH(int, numSamples);
    QFETCH(bool, testInputs);
    QFETCH(int, gzipLevel);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("inputs.h5");
    PredictionsShape shape;
    shape.numSamples = numSamples;
    eenet::Predictions written = makePredictions(shape);
    written.val.inputs = makeInputs(kind, numSamples);
    if (testInputs)
        written.test->inputs = makeInputs(kind, shape.numTestSamples);
    try {
        eenet::writePredictions(utf8(path), written, {gzipLevel});
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("writePredictions threw: %1").arg(e.what())));
    }
    QCOMPARE(H5FileBuilder::openObjectCount(), 0L);
    const auto read = readOrFail(path);
    QVERIFY(read);
    verifySame(*read, written);
    QVERIFY(read->val.inputs);
    verifySameInputs(*read->val.inputs, *written.val.inputs);
    QCOMPARE(read->test->inputs != nullptr, testInputs);
    if (testInputs)
        verifySameInputs(*read->test->inputs, *written.test->inputs);
}

void TestPredictionsWriter::writesInputsAsTheFormatSays_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("gzipLevel");
    QTest::newRow("grey, contiguous") << "grey" << 0;
    QTest::newRow("RGB, chunked, compressed") << "rgb" << 4;
    QTest::newRow("texts, chunked, compressed") << "text" << 4;
}

void TestPredictionsWriter::writesInputsAsTheFormatSays() {
    QFETCH(QString, kind);
    QFETCH(int, gzipLevel);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("layout.h5");
    eenet::Predictions written = makePredictions({});
    written.val.inputs = makeInputs(kind, written.val.numSamples);
    eenet::writePredictions(utf8(path), written, {gzipLevel});

    const H5FileBuilder file = H5FileBuilder::fromFile(path);
    const auto& inputs = file.dataset("/val/inputs");
    QCOMPARE(inputs.chunkedGzip, gzipLevel > 0);
    const std::vector<int> shape = written.val.inputs->shape();
    QCOMPARE(inputs.shape, std::vector<std::uint64_t>(shape.begin(), shape.end()));
    std::vector<double> pixels;
    std::vector<std::string> texts;
    for (int i = 0; i < written.val.numSamples; ++i) {
        const eenet::SampleInput sample = written.val.inputs->read(i);
        pixels.insert(pixels.end(), sample.pixels.begin(), sample.pixels.end());
        texts.push_back(sample.text);
    }
    if (kind == "text") {
        QVERIFY(inputs.type == H5ElementType::String); // variable-length UTF-8
        QCOMPARE(inputs.strings, texts);
    } else {
        QVERIFY(inputs.type == H5ElementType::UInt8);
        QCOMPARE(inputs.values, pixels);
    }
    QVERIFY(!file.hasDataset("/test/inputs"));
}

void TestPredictionsWriter::refusesInconsistentInputs() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("never.h5");
    eenet::Predictions oneTooMany = makePredictions({});
    oneTooMany.val.inputs = makeInputs("grey", oneTooMany.val.numSamples + 1);
    QVERIFY_THROWS_EXCEPTION(eenet::ArgumentError, eenet::writePredictions(utf8(path), oneTooMany));
    eenet::Predictions mixed = makePredictions({});
    mixed.val.inputs = makeInputs("grey", mixed.val.numSamples);
    mixed.test->inputs = makeInputs("rgb", mixed.test->numSamples);
    QVERIFY_THROWS_EXCEPTION(eenet::ArgumentError, eenet::writePredictions(utf8(path), mixed));
    QVERIFY(!QFile::exists(path));
    QCOMPARE(H5FileBuilder::openObjectCount(), 0L);
}

// Inputs read on demand take the HDF5 lock the writer holds: the writer must let go of it while it reads
// them, or this test hangs. Rewriting the very file the inputs come from must work too (the studio's Save
// As).
void TestPredictionsWriter::copiesInputsReadFromAFile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString original = dir.filePath("original.h5");
    PredictionsShape shape;
    shape.numSamples = 150;
    eenet::Predictions written = makePredictions(shape);
    written.val.inputs = makeInputs("rgb", shape.numSamples);
    written.test->inputs = makeInputs("rgb", shape.numTestSamples);
    eenet::writePredictions(utf8(original), written);
    const auto loaded = readOrFail(original);
    QVERIFY(loaded && loaded->val.inputs);

    const QString copy = dir.filePath("copy.h5");
    try {
        eenet::writePredictions(utf8(copy), *loaded);
        eenet::writePredictions(utf8(original), *loaded);
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("writePredictions threw: %1").arg(e.what())));
    }
    QCOMPARE(loaded->val.inputs->bytesRead(), std::uint64_t(shape.numSamples) * 5 * 7 * 3);
    for (const QString& path : {copy, original}) {
        const auto read = readOrFail(path);
        QVERIFY(read);
        verifySameInputs(*read->val.inputs, *written.val.inputs);
        verifySameInputs(*read->test->inputs, *written.test->inputs);
    }
    QCOMPARE(H5FileBuilder::openObjectCount(), 0L);
}

// Named cost vectors, the FLOPs' unit and the serving costs come back as written (docs/format.md, "Cost
// models" and "Serving costs").
void TestPredictionsWriter::roundTripsCostModelsAndServingCosts() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("costs.h5");
    eenet::Predictions written = makePredictions({});
    written.flopsUnit = "GFLOPs";
    written.extraCosts = {{"energy", "mJ", {0.25, 0.5, 1.125}}, {"phone ms", "ms", {3.5, 7.25, 11}}};
    written.batchCosts = {{1, 2, 8, 256}, {0.1, 0.15, 0.4, 9, 0.2, 0.3, 0.8, 18, 0.3, 0.45, 1.2, 27}, "ms"};
    try {
        eenet::writePredictions(utf8(path), written);
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("writePredictions threw: %1").arg(e.what())));
    }
    const auto read = readOrFail(path);
    QVERIFY(read);
    verifySame(*read, written);
    QCOMPARE(read->flopsUnit, written.flopsUnit);
    QCOMPARE(read->extraCosts.size(), written.extraCosts.size());
    for (size_t i = 0; i < written.extraCosts.size(); ++i) {
        QCOMPARE(read->extraCosts[i].name, written.extraCosts[i].name);
        QCOMPARE(read->extraCosts[i].unit, written.extraCosts[i].unit);
        QCOMPARE(read->extraCosts[i].values, written.extraCosts[i].values);
    }
    QCOMPARE(read->batchCosts.batchSizes, written.batchCosts.batchSizes);
    QCOMPARE(read->batchCosts.values, written.batchCosts.values);
    QCOMPARE(read->batchCosts.unit, written.batchCosts.unit);
    QCOMPARE(H5FileBuilder::openObjectCount(), 0L);
}

// What the reader would refuse is never written: the writer checks by the same rules.
void TestPredictionsWriter::refusesCostsTheReaderWouldRefuse() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("never.h5");
    const auto refuses = [&](const eenet::Predictions& p, const QString& keyword) {
        try {
            eenet::writePredictions(utf8(path), p);
            QFAIL(qPrintable("wrote predictions the reader would refuse: " + keyword));
        } catch (const eenet::ArgumentError& e) {
            QVERIFY2(QString(e.what()).contains(keyword), e.what());
        }
    };
    eenet::Predictions shortVector = makePredictions({});
    shortVector.extraCosts = {{"phone", "ms", {1, 2}}};
    refuses(shortVector, "/exits/extra_costs/phone: has 2 entries, expected 3");
    eenet::Predictions noUnit = makePredictions({});
    noUnit.extraCosts = {{"phone", "", {1, 2, 3}}};
    refuses(noUnit, "'unit' is empty");
    eenet::Predictions twice = makePredictions({});
    twice.extraCosts = {{"phone", "ms", {1, 2, 3}}, {"phone", "ms", {1, 2, 4}}};
    refuses(twice, "used twice");
    eenet::Predictions unsorted = makePredictions({});
    unsorted.batchCosts = {{4, 1}, {1, 2, 3, 4, 5, 6}, "ms"};
    refuses(unsorted, "/exits/batch_sizes: must be strictly increasing");
    eenet::Predictions wrongCount = makePredictions({});
    wrongCount.batchCosts = {{1, 4}, {1, 2, 3, 4, 5}, "ms"};
    refuses(wrongCount, "/exits/batch_costs: has 5 values, expected 6");
    QVERIFY(!QFile::exists(path));
    QCOMPARE(H5FileBuilder::openObjectCount(), 0L);
}

QTEST_GUILESS_MAIN(TestPredictionsWriter)
#include "tst_predictionswriter.moc"
