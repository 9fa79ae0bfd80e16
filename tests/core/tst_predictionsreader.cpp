#include "H5FileBuilder.h"
#include "ReadChecks.h"

#include "Error.h"
#include "io/PredictionsReader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <sys/resource.h>

using eenet::test::BaselineOptions;
using eenet::test::H5DatasetSpec;
using eenet::test::H5ElementType;
using eenet::test::H5FileBuilder;
using eenet::test::H5FixedString;
using eenet::test::readOrFail;
using eenet::test::verifyFormatError;

/// Builds the (possibly broken) content of one file; each bad-content row owns one.
using FileFactory = std::function<H5FileBuilder()>;
/// Puts a broken file (or nothing) into the given directory and returns the path to read.
using BrokenFileMaker = std::function<QString(const QString& dir)>;

Q_DECLARE_METATYPE(FileFactory)
Q_DECLARE_METATYPE(BrokenFileMaker)
Q_DECLARE_METATYPE(H5ElementType)

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string utf8(const QString& s) {
    return s.toStdString();
}

FileFactory mutated(std::function<void(H5FileBuilder&)> change, BaselineOptions options = {}) {
    return [change, options] {
        H5FileBuilder builder = H5FileBuilder::validBaseline(options);
        change(builder);
        return builder;
    };
}

FileFactory withCosts(std::vector<double> costs) {
    return mutated([costs](H5FileBuilder& b) {
        b.setDataset("/exits/costs", H5DatasetSpec::numbers(H5ElementType::Float64, {costs.size()}, costs));
    });
}

// Overwrites one sample's probabilities at one exit, so exactly one row of the file breaks a rule.
void setRow(H5FileBuilder& builder, const std::string& path, int exit, int sample,
            const std::vector<double>& row) {
    H5DatasetSpec& spec = builder.dataset(path);
    const std::size_t offset = (static_cast<std::size_t>(exit) * spec.shape[1] + sample) * spec.shape[2];
    std::copy(row.begin(), row.end(), spec.values.begin() + static_cast<std::ptrdiff_t>(offset));
}

FileFactory withValRow(std::vector<double> row) {
    return mutated([row](H5FileBuilder& b) { setRow(b, "/val/probs", 1, 3, row); });
}

// Logits in [offset - 4, offset + 4], already rounded to float32 so a test's expected softmax sees what the
// file holds.
std::vector<double> makeLogits(std::size_t count, double offset) {
    std::mt19937 rng(7u);
    std::vector<double> logits;
    for (std::size_t i = 0; i < count; ++i)
        logits.push_back(static_cast<float>(offset + (rng() % 8001) / 1000.0 - 4.0));
    return logits;
}

void replaceProbsWithLogits(H5FileBuilder& builder, const std::vector<double>& logits, H5ElementType type) {
    const std::vector<std::uint64_t> shape = builder.dataset("/val/probs").shape;
    builder.removeDataset("/val/probs");
    builder.setDataset("/val/logits", H5DatasetSpec::numbers(type, shape, logits));
}

std::vector<double> softmaxRows(const std::vector<double>& logits, std::size_t numClasses) {
    std::vector<double> probs(logits.size());
    for (std::size_t row = 0; row < logits.size(); row += numClasses) {
        const double top = *std::max_element(logits.begin() + row, logits.begin() + row + numClasses);
        double total = 0;
        for (std::size_t c = 0; c < numClasses; ++c)
            total += probs[row + c] = std::exp(logits[row + c] - top);
        for (std::size_t c = 0; c < numClasses; ++c)
            probs[row + c] /= total;
    }
    return probs;
}

std::vector<int> toInts(const std::vector<double>& values) {
    return std::vector<int>(values.begin(), values.end());
}

std::vector<float> toFloats(const std::vector<double>& values) {
    return std::vector<float>(values.begin(), values.end());
}

QString attributeText(const H5FileBuilder& builder, const char* name) {
    return QString::fromStdString(std::get<std::string>(builder.attribute(name)));
}

QString describe(const std::exception& e) {
    return QString::fromUtf8(e.what());
}

// Everything the builder put into the file must come back, exactly: the baseline's probabilities are
// multiples of 1/1024, exact in float16, float32 and float64 alike.
void verifySplit(const eenet::SplitPredictions& split, const H5FileBuilder& builder,
                 const std::string& group) {
    const H5DatasetSpec& probs = builder.dataset(group + "/probs");
    QCOMPARE(split.numSamples, static_cast<int>(probs.shape[1]));
    QVERIFY(split.probs == toFloats(probs.values));
    QVERIFY(split.labels == toInts(builder.dataset(group + "/labels").values));
}

void verifyMatches(const eenet::Predictions& p, const H5FileBuilder& builder, const QString& path) {
    QCOMPARE(QString::fromStdString(p.sourcePath), path);
    QCOMPARE(QString::fromStdString(p.model), attributeText(builder, "model"));
    QCOMPARE(QString::fromStdString(p.dataset), attributeText(builder, "dataset"));
    QCOMPARE(QString::fromStdString(p.costUnit), attributeText(builder, "cost_unit"));
    if (builder.hasAttribute("description"))
        QCOMPARE(QString::fromStdString(p.description), attributeText(builder, "description"));
    const H5DatasetSpec& probs = builder.dataset("/val/probs");
    QCOMPARE(p.numExits, static_cast<int>(probs.shape[0]));
    QCOMPARE(p.numClasses, static_cast<int>(probs.shape[2]));
    QVERIFY(p.costs == builder.dataset("/exits/costs").values);
    verifySplit(p.val, builder, "/val");
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(p.test.has_value(), builder.hasDataset("/test/probs"));
    if (p.test)
        verifySplit(*p.test, builder, "/test");
}

void writeBytes(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        throw std::runtime_error("cannot write " + utf8(path));
}

QByteArray readBytes(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error("cannot read " + utf8(path));
    return file.readAll();
}

// Overwrites bytes at `offset` where they are certain to matter (an object header or a compressed chunk).
void overwrite(const QString& path, std::uint64_t offset, int count) {
    QByteArray bytes = readBytes(path);
    bytes.replace(static_cast<int>(offset), count, QByteArray(count, '\xa5'));
    writeBytes(path, bytes);
}

} // namespace

class TestPredictionsReader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsFloat32Baseline();
    void readsProbabilityTypes_data();
    void readsProbabilityTypes();
    void readsLabelTypes_data();
    void readsLabelTypes();
    void readsLogitsInPlaceOfProbs_data();
    void readsLogitsInPlaceOfProbs();
    void readsFileWithoutTestSplit();
    void readsOptionalNamesAndFlops_data();
    void readsOptionalNamesAndFlops();
    void fillsDefaultsWhenOptionalsAbsent();
    void acceptsRowSumsWithinTolerance_data();
    void acceptsRowSumsWithinTolerance();
    void rejectsBrokenFile_data();
    void rejectsBrokenFile();
    void rejectsUnreadableFileAsIoError();
    void rejectsBadContent_data();
    void rejectsBadContent();
    void rejectsHostileFile_data();
    void rejectsHostileFile();
    void rejectsFuzzFindings_data();
    void rejectsFuzzFindings();
};

void TestPredictionsReader::readsFloat32Baseline() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("baseline.h5");
    const H5FileBuilder builder = H5FileBuilder::validBaseline();
    builder.write(path);

    const auto p = readOrFail(path);
    QVERIFY(p);
    QCOMPARE(p->numExits, 3);
    QCOMPARE(p->numClasses, 5);
    QCOMPARE(p->val.numSamples, 40);
    QVERIFY(p->test.has_value());
    QCOMPARE(p->test->numSamples, 20);
    QCOMPARE(p->costs, (std::vector<double>{1, 2, 3}));
    QCOMPARE(QString::fromStdString(p->model), "baseline-mlp");
    QCOMPARE(QString::fromStdString(p->dataset), "synthetic-blobs");
    QCOMPARE(QString::fromStdString(p->costUnit), "ms");
    QCOMPARE(QString::fromStdString(p->description), "H5FileBuilder baseline");
    QCOMPARE(p->val.probs.size(), std::size_t{3 * 40 * 5});
    verifyMatches(*p, builder, path);
}

void TestPredictionsReader::readsProbabilityTypes_data() {
    QTest::addColumn<H5ElementType>("type");
    QTest::addColumn<bool>("chunkedGzip");
    QTest::newRow("float16") << H5ElementType::Float16 << false;
    QTest::newRow("float32") << H5ElementType::Float32 << false;
    QTest::newRow("float64") << H5ElementType::Float64 << false;
    QTest::newRow("float16 chunked gzip") << H5ElementType::Float16 << true;
    QTest::newRow("float32 chunked gzip") << H5ElementType::Float32 << true;
    QTest::newRow("float64 chunked gzip") << H5ElementType::Float64 << true;
}

void TestPredictionsReader::readsProbabilityTypes() {
    QFETCH(H5ElementType, type);
    QFETCH(bool, chunkedGzip);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("typed.h5");
    H5FileBuilder builder = H5FileBuilder::validBaseline();
    builder.dataset("/val/probs").type = type;
    builder.dataset("/test/probs").type = type;
    builder.setAllChunkedGzip(chunkedGzip);
    builder.write(path);

    const auto p = readOrFail(path);
    QVERIFY(p);
    verifyMatches(*p, builder, path);
}

void TestPredictionsReader::readsLabelTypes_data() {
    QTest::addColumn<H5ElementType>("type");
    QTest::newRow("int32") << H5ElementType::Int32;
    QTest::newRow("int64") << H5ElementType::Int64;
}

void TestPredictionsReader::readsLabelTypes() {
    QFETCH(H5ElementType, type);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("labels.h5");
    H5FileBuilder builder = H5FileBuilder::validBaseline();
    builder.dataset("/val/labels").type = type;
    builder.dataset("/test/labels").type = type;
    builder.write(path);

    const auto p = readOrFail(path);
    QVERIFY(p);
    verifyMatches(*p, builder, path);
}

void TestPredictionsReader::readsLogitsInPlaceOfProbs_data() {
    QTest::addColumn<double>("offset");
    QTest::addColumn<H5ElementType>("type");
    QTest::newRow("float32 logits") << 0.0 << H5ElementType::Float32;
    QTest::newRow("float64 logits") << 0.0 << H5ElementType::Float64;
    // A softmax that does not subtract the row maximum overflows (exp(100) is Inf in float) or underflows to
    // 0/0.
    QTest::newRow("large positive logits") << 100.0 << H5ElementType::Float32;
    QTest::newRow("large negative logits") << -110.0 << H5ElementType::Float32;
}

void TestPredictionsReader::readsLogitsInPlaceOfProbs() {
    QFETCH(double, offset);
    QFETCH(H5ElementType, type);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("logits.h5");
    H5FileBuilder builder = H5FileBuilder::validBaseline();
    const std::vector<double> logits = makeLogits(builder.dataset("/val/probs").elementCount(), offset);
    replaceProbsWithLogits(builder, logits, type);
    builder.write(path);

    const auto p = readOrFail(path);
    QVERIFY(p);
    QCOMPARE(p->numExits, 3);
    QCOMPARE(p->numClasses, 5);
    QCOMPARE(p->val.numSamples, 40);
    const std::vector<double> expected = softmaxRows(logits, 5);
    QCOMPARE(p->val.probs.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        if (!(std::abs(p->val.probs[i] - expected[i]) <= 1e-5))
            QFAIL(qPrintable(QStringLiteral("probability %1 is %2, softmax gives %3")
                                 .arg(i)
                                 .arg(double(p->val.probs[i]), 0, 'g', 9)
                                 .arg(expected[i], 0, 'g', 9)));
    }
    QVERIFY(p->val.labels == toInts(builder.dataset("/val/labels").values));
    QVERIFY(p->test.has_value());
    verifySplit(*p->test, builder, "/test");
    // The user must learn that the file held logits, not probabilities.
    QVERIFY2(std::any_of(p->loadNotes.begin(), p->loadNotes.end(),
                         [](const std::string& note) {
                             return QString::fromStdString(note).contains("logits", Qt::CaseInsensitive);
                         }),
             "no load note mentions logits");
}

void TestPredictionsReader::readsFileWithoutTestSplit() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("val-only.h5");
    H5FileBuilder builder = H5FileBuilder::validBaseline({3, 40, 5, 20, false});
    builder.write(path);

    const auto p = readOrFail(path);
    QVERIFY(p);
    QVERIFY(!p->test.has_value());
    verifyMatches(*p, builder, path);
}

void TestPredictionsReader::readsOptionalNamesAndFlops_data() {
    QTest::addColumn<bool>("chunkedGzip");
    QTest::newRow("contiguous") << false;
    QTest::newRow("chunked gzip, strings included") << true;
}

void TestPredictionsReader::readsOptionalNamesAndFlops() {
    QFETCH(bool, chunkedGzip);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("named.h5");
    const std::vector<std::string> exitNames{"stem", "block 2", "head"};
    const std::vector<std::string> classNames{"T-shirt/top", "Trouser", "café", "Bag", "Ankle boot"};
    const std::vector<double> flops{10.5, 21.0, 42.25};
    H5FileBuilder builder = H5FileBuilder::validBaseline();
    builder.setDataset("/exits/names", H5DatasetSpec::text(exitNames))
        .setDataset("/classes/names", H5DatasetSpec::text(classNames))
        .setDataset("/exits/flops", H5DatasetSpec::numbers(H5ElementType::Float64, {3}, flops))
        .setAllChunkedGzip(chunkedGzip);
    builder.write(path);

    const auto p = readOrFail(path);
    QVERIFY(p);
    QCOMPARE(p->exitNames, exitNames);
    QCOMPARE(p->classNames, classNames);
    QCOMPARE(p->flops, flops);
    verifyMatches(*p, builder, path);
}

void TestPredictionsReader::fillsDefaultsWhenOptionalsAbsent() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("bare.h5");
    H5FileBuilder builder = H5FileBuilder::validBaseline();
    builder.removeAttribute("description");
    builder.write(path);

    const auto p = readOrFail(path);
    QVERIFY(p);
    QCOMPARE(p->exitNames, (std::vector<std::string>{"exit 1", "exit 2", "exit 3"}));
    QCOMPARE(p->classNames,
             (std::vector<std::string>{"class 0", "class 1", "class 2", "class 3", "class 4"}));
    QVERIFY(p->flops.empty());
    // description is optional; without it there is nothing to show.
    QCOMPARE(QString::fromStdString(p->description), QString());
    verifyMatches(*p, builder, path);
}

void TestPredictionsReader::acceptsRowSumsWithinTolerance_data() {
    QTest::addColumn<std::vector<double>>("row");
    QTest::newRow("sum 0.9995") << std::vector<double>{0.4995, 0.5, 0, 0, 0};
    QTest::newRow("sum 1.0005") << std::vector<double>{0.5005, 0.5, 0, 0, 0};
    // At the edge: the reader's fast check must hand rows this close to the exact one, not refuse them.
    QTest::newRow("sum 1.00099") << std::vector<double>{0.50099, 0.5, 0, 0, 0};
    QTest::newRow("sum 0.99901") << std::vector<double>{0.49901, 0.5, 0, 0, 0};
    QTest::newRow("exact 0 and 1") << std::vector<double>{0, 0, 1, 0, 0};
}

void TestPredictionsReader::acceptsRowSumsWithinTolerance() {
    QFETCH(std::vector<double>, row);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("tolerance.h5");
    H5FileBuilder builder = H5FileBuilder::validBaseline();
    setRow(builder, "/val/probs", 1, 3, row);
    builder.write(path);

    const auto p = readOrFail(path);
    QVERIFY(p);
    QCOMPARE(p->val.numSamples, 40);
}

void TestPredictionsReader::rejectsBrokenFile_data() {
    QTest::addColumn<BrokenFileMaker>("makeFile");
    QTest::addColumn<bool>("ioError");
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QString>("keyword");

    QTest::newRow("missing file") << BrokenFileMaker([](const QString& dir) {
        return dir + "/does-not-exist.h5";
    }) << true << QString() << "no such file";
    // Not in the list of spec'd messages: only the type and the file are checked.
    QTest::newRow("directory") << BrokenFileMaker([](const QString& dir) { return dir; }) << true << QString()
                               << QString();
    QTest::newRow("text file") << BrokenFileMaker([](const QString& dir) {
        const QString path = dir + "/notes.h5";
        writeBytes(path, "exit,accuracy\n1,0.71\n2,0.83\n3,0.90\n");
        return path;
    }) << false << "/"
                               << "not an HDF5 file";
    QTest::newRow("empty file") << BrokenFileMaker([](const QString& dir) {
        const QString path = dir + "/empty.h5";
        writeBytes(path, QByteArray());
        return path;
    }) << false << "/"
                                << "not an HDF5 file";
    QTest::newRow("truncated to half") << BrokenFileMaker([](const QString& dir) {
        const QString path = dir + "/truncated.h5";
        H5FileBuilder::validBaseline().write(path);
        const QByteArray bytes = readBytes(path);
        writeBytes(path, bytes.left(bytes.size() / 2));
        return path;
    }) << false << QString() << "corrupt";
    // HDF5 leaves unused gaps between objects, so the corruption cases aim at bytes the reader must use.
    QTest::newRow("object header overwritten") << BrokenFileMaker([](const QString& dir) {
        const QString path = dir + "/bad-header.h5";
        H5FileBuilder::validBaseline().write(path);
        overwrite(path, H5FileBuilder::objectHeaderOffset(path, "/val/probs"), 16);
        return path;
    }) << false << QString() << "corrupt";
    QTest::newRow("compressed chunk overwritten") << BrokenFileMaker([](const QString& dir) {
        const QString path = dir + "/bad-chunk.h5";
        H5FileBuilder::validBaseline().setAllChunkedGzip(true).write(path);
        const auto chunk = H5FileBuilder::firstChunkLocation(path, "/val/probs");
        overwrite(path, chunk.first + chunk.second / 3, 16);
        return path;
    }) << false << QString() << "corrupt";
}

void TestPredictionsReader::rejectsBrokenFile() {
    QFETCH(BrokenFileMaker, makeFile);
    QFETCH(bool, ioError);
    QFETCH(QString, dataset);
    QFETCH(QString, keyword);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = makeFile(dir.path());

    if (!ioError) {
        verifyFormatError(path, dataset, keyword);
        QCOMPARE(H5FileBuilder::openObjectCount(), 0L);
        return;
    }
    try {
        eenet::readPredictions(utf8(path));
    } catch (const eenet::IoError& e) {
        QVERIFY2(QString::fromStdString(e.file()) == path, qPrintable("wrong file in: " + describe(e)));
        QVERIFY2(describe(e).contains(keyword, Qt::CaseInsensitive),
                 qPrintable("expected \"" + keyword + "\" in: " + describe(e)));
        return;
    } catch (const std::exception& e) {
        QFAIL(qPrintable("expected eenet::IoError, got another exception: " + describe(e)));
    }
    QFAIL("readPredictions did not throw");
}

// Error.h: IoError is for files that cannot be opened at the operating-system level; a valid file the user
// may not read is that, not a format problem.
void TestPredictionsReader::rejectsUnreadableFileAsIoError() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("locked.h5");
    H5FileBuilder::validBaseline().write(path);
    QVERIFY(QFile::setPermissions(path, QFileDevice::Permissions()));
    const auto unlock =
        qScopeGuard([&] { QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner); });
    QFile probe(path);
    if (probe.open(QIODevice::ReadOnly))
        QSKIP("running as root (or with CAP_DAC_OVERRIDE): file permissions do not stop reads");

    try {
        eenet::readPredictions(utf8(path));
    } catch (const eenet::IoError& e) {
        QCOMPARE(QString::fromStdString(e.file()), path);
        return;
    } catch (const std::exception& e) {
        QFAIL(qPrintable("expected eenet::IoError, got: " + describe(e)));
    }
    QFAIL("readPredictions read a file without read permission");
}

void TestPredictionsReader::rejectsBadContent_data() {
    QTest::addColumn<FileFactory>("makeFile");
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QString>("keyword");
    const auto row = [](const char* name, FileFactory make, const char* dataset, const char* keyword) {
        QTest::newRow(name) << std::move(make) << QString(dataset) << QString(keyword);
    };
    using B = H5FileBuilder;

    // Root attributes.
    row("format missing", mutated([](B& b) { b.removeAttribute("format"); }), "/", "format");
    row("format not eenet-predictions",
        mutated([](B& b) { b.setAttribute("format", std::string("keras-predictions")); }), "/", "format");
    row("format_version 2", mutated([](B& b) { b.setAttribute("format_version", std::int64_t{2}); }), "/",
        "format_version");
    row("model missing", mutated([](B& b) { b.removeAttribute("model"); }), "/", "model");
    row("dataset missing", mutated([](B& b) { b.removeAttribute("dataset"); }), "/", "dataset");
    row("cost_unit missing", mutated([](B& b) { b.removeAttribute("cost_unit"); }), "/", "cost_unit");

    // Required datasets.
    row("/exits/costs missing", mutated([](B& b) { b.removeDataset("/exits/costs"); }), "/exits/costs",
        "missing");
    row("/val/probs and /val/logits missing", mutated([](B& b) { b.removeDataset("/val/probs"); }),
        "/val/probs", "missing");
    row("/val/labels missing", mutated([](B& b) { b.removeDataset("/val/labels"); }), "/val/labels",
        "missing");

    // Ranks and shapes.
    row("/val/probs rank 2", mutated([](B& b) {
            H5DatasetSpec& probs = b.dataset("/val/probs");
            probs.values.resize(40 * 5);
            probs.shape = {40, 5};
        }),
        "/val/probs", "rank");
    row("/val/labels rank 2", mutated([](B& b) {
            b.dataset("/val/labels").shape = {40, 1};
        }),
        "/val/labels", "rank");
    row("/exits/costs rank 2", mutated([](B& b) {
            b.dataset("/exits/costs").shape = {3, 1};
        }),
        "/exits/costs", "rank");
    // Without a test split, so only /val/probs disagrees with the 4 costs.
    row("/val/probs has 3 exits, /exits/costs 4", mutated([](B& b) {
            b.removeGroup("/test");
            b.setDataset("/exits/costs", H5DatasetSpec::numbers(H5ElementType::Float64, {4}, {1, 2, 3, 4}));
        }),
        "/val/probs", "/exits/costs");
    row("/val/labels shorter than N", mutated([](B& b) {
            H5DatasetSpec& labels = b.dataset("/val/labels");
            labels.values.pop_back();
            labels.shape = {39};
        }),
        "/val/labels", "samples");

    // Test split.
    row("/test/probs with 4 classes", mutated([](B& b) {
            b.setDataset("/test/probs", B::validBaseline({3, 40, 4, 20, true}).dataset("/test/probs"));
        }),
        "/test/probs", "classes");
    row("/test/probs with 2 exits", mutated([](B& b) {
            b.setDataset("/test/probs", B::validBaseline({2, 40, 5, 20, true}).dataset("/test/probs"));
        }),
        "/test/probs", "exits");
    row("/test/labels missing", mutated([](B& b) { b.removeDataset("/test/labels"); }), "/test/labels",
        "missing");
    row("/test/labels shorter than M", mutated([](B& b) {
            H5DatasetSpec& labels = b.dataset("/test/labels");
            labels.values.pop_back();
            labels.shape = {19};
        }),
        "/test/labels", "samples");

    // Degenerate sizes.
    row("one exit", mutated([](B&) {}, {1, 40, 5, 20, false}), "/val/probs", "at least 2 exits");
    row("one class", mutated([](B&) {}, {3, 40, 1, 20, false}), "/val/probs", "at least 2 classes");
    row("no samples", mutated([](B&) {}, {3, 0, 5, 20, false}), "/val/probs", "no samples");

    // Labels.
    row("float labels", mutated([](B& b) { b.dataset("/val/labels").type = H5ElementType::Float32; }),
        "/val/labels", "integer");
    row("label equals C", mutated([](B& b) { b.dataset("/val/labels").values[7] = 5; }), "/val/labels",
        "outside");
    row("label -1", mutated([](B& b) { b.dataset("/val/labels").values[7] = -1; }), "/val/labels", "outside");

    // Non-finite values.
    row("NaN in /val/probs", mutated([](B& b) { b.dataset("/val/probs").values[13] = kNaN; }), "/val/probs",
        "NaN or Inf");
    row("Inf in /val/probs", mutated([](B& b) { b.dataset("/val/probs").values[13] = kInf; }), "/val/probs",
        "NaN or Inf");
    row("Inf in /exits/costs", withCosts({1, 2, kInf}), "/exits/costs", "NaN or Inf");
    row("NaN in /val/logits", mutated([](B& b) {
            std::vector<double> logits = makeLogits(b.dataset("/val/probs").elementCount(), 0.0);
            logits[13] = kNaN;
            replaceProbsWithLogits(b, logits, H5ElementType::Float32);
        }),
        "/val/logits", "NaN or Inf");
    row("NaN in /test/probs", mutated([](B& b) { b.dataset("/test/probs").values[13] = kNaN; }),
        "/test/probs", "NaN or Inf");

    // Probability values and row sums.
    row("probability 1.5", withValRow({1.5, 0, 0, 0, 0}), "/val/probs", "outside [0, 1]");
    // The other values keep the row's sum at 1, so only the range rule is broken.
    row("probability -0.2", withValRow({-0.2, 0.6, 0.6, 0, 0}), "/val/probs", "outside [0, 1]");
    row("row sums to 0.9", withValRow({0.5, 0.4, 0, 0, 0}), "/val/probs", "sum");
    row("row sums to 1.002", withValRow({0.502, 0.5, 0, 0, 0}), "/val/probs", "sum");
    row("row sums to 1.00101", withValRow({0.50101, 0.5, 0, 0, 0}), "/val/probs", "sum");

    // Costs.
    row("costs 1 3 2", withCosts({1, 3, 2}), "/exits/costs", "strictly increasing");
    row("costs 1 2 2", withCosts({1, 2, 2}), "/exits/costs", "strictly increasing");
    row("cost 0", withCosts({0, 1, 2}), "/exits/costs", "positive");
    row("cost -1", withCosts({-1, 1, 2}), "/exits/costs", "positive");

    // Optional datasets of the wrong length.
    row("/exits/names 2 for 3 exits", mutated([](B& b) {
            b.setDataset("/exits/names", H5DatasetSpec::text({"stem", "head"}));
        }),
        "/exits/names", "expected");
    row("/classes/names 4 for 5 classes", mutated([](B& b) {
            b.setDataset("/classes/names", H5DatasetSpec::text({"a", "b", "c", "d"}));
        }),
        "/classes/names", "expected");
    row("/exits/flops 4 for 3 exits", mutated([](B& b) {
            b.setDataset("/exits/flops", H5DatasetSpec::numbers(H5ElementType::Float64, {4}, {1, 2, 3, 4}));
        }),
        "/exits/flops", "expected");
}

void TestPredictionsReader::rejectsBadContent() {
    QFETCH(FileFactory, makeFile);
    QFETCH(QString, dataset);
    QFETCH(QString, keyword);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("bad.h5");
    makeFile().write(path);
    verifyFormatError(path, dataset, keyword);
    QCOMPARE(H5FileBuilder::openObjectCount(), 0L);
}

// A dataset that declares `shape` but stores nothing: the file stays a few KB whatever the shape says.
H5DatasetSpec declared(H5ElementType type, std::vector<std::uint64_t> shape,
                       std::vector<std::uint64_t> chunk = {}) {
    H5DatasetSpec spec = H5DatasetSpec::numbers(type, std::move(shape), {});
    spec.declaredOnly = true;
    spec.chunk = std::move(chunk);
    return spec;
}

// Val split only, with `exits` costs, so that the row's one hostile dataset is what the reader meets.
FileFactory valOnly(std::function<void(H5FileBuilder&)> change) {
    return mutated([change](H5FileBuilder& b) {
        b.removeGroup("/test");
        change(b);
    });
}

long peakRssKiB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

// Limits of docs/format.md ("Limits"): every row declares something huge, slow or outside the file, and must
// be refused from the metadata alone, naming the dataset, before the reader allocates or reads anything
// large.
void TestPredictionsReader::rejectsHostileFile_data() {
    QTest::addColumn<FileFactory>("makeFile");
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QString>("keyword");
    const auto row = [](const char* name, FileFactory make, const char* dataset, const char* keyword) {
        QTest::newRow(name) << std::move(make) << QString(dataset) << QString(keyword);
    };
    using B = H5FileBuilder;
    using T = H5ElementType;
    constexpr std::uint64_t kBillion = 1000000000;

    // Shapes that need more memory than any machine has (20 TB) or than the reader supports.
    row("probs [5, 1e9, 1000]", valOnly([](B& b) {
            b.setDataset("/exits/costs", H5DatasetSpec::numbers(T::Float64, {5}, {1, 2, 3, 4, 5}));
            b.setDataset("/val/probs", declared(T::Float32, {5, kBillion, 1000}));
        }),
        "/val/probs", "too large to load");
    row("logits [3, 2^31, 2]", valOnly([](B& b) {
            b.removeDataset("/val/probs");
            b.setDataset("/val/logits", declared(T::Float64, {3, std::uint64_t{1} << 31, 2}));
        }),
        "/val/logits", "too large to load");
    row("test probs [3, 1e12, 5]", mutated([](B& b) {
            b.setDataset("/test/probs", declared(T::Float32, {3, 1000 * kBillion, 5}));
        }),
        "/test/probs", "too large to load");
    // Fuzz finding: the length was compared as int, so 2^42 + 40 passed for 40 and 32 TiB were allocated.
    row("labels [2^42 + 40]", valOnly([](B& b) {
            b.setDataset("/val/labels", declared(T::Int64, {(std::uint64_t{1} << 42) + 40}));
        }),
        "/val/labels", "4398046511144 samples");
    row("costs [1e12]",
        valOnly([](B& b) { b.setDataset("/exits/costs", declared(T::Float64, {1000 * kBillion})); }),
        "/exits/costs", "at most 4096 exits");
    row("flops [1e12]",
        valOnly([](B& b) { b.setDataset("/exits/flops", declared(T::Float64, {1000 * kBillion})); }),
        "/exits/flops", "at most 4096 exits");

    // Element sizes: HDF5 sizes its conversion buffers by them (fuzz finding: a 4 GB float).
    row("costs of 1 MiB floats", valOnly([](B& b) {
            H5DatasetSpec costs = declared(T::Float64, {3});
            costs.elementBytes = 1024 * 1024;
            b.setDataset("/exits/costs", costs);
        }),
        "/exits/costs", "has elements of 1 MiB; numbers may be at most 16 bytes");
    row("labels of 64-byte integers", valOnly([](B& b) {
            H5DatasetSpec labels = declared(T::Int64, {40});
            labels.elementBytes = 64;
            b.setDataset("/val/labels", labels);
        }),
        "/val/labels", "has elements of 64 bytes");

    // Chunkings that make a small dataset slow to read: 4 million chunks of one value.
    row("probs in chunks of 1 value", valOnly([](B& b) {
            b.setDataset("/exits/costs", H5DatasetSpec::numbers(T::Float64, {2}, {1, 2}));
            b.setDataset("/val/probs", declared(T::Float32, {2, 1000000, 2}, {1, 1, 1}));
        }),
        "/val/probs", "is split into 4000000 chunks of 1 x 1 x 1 values");
    // HDF5 allocates a whole chunk to read any of it: one chunk of 1.25 GiB for 600 values.
    row("probs in one chunk of 1.25 GiB", valOnly([](B& b) {
            H5DatasetSpec probs = declared(T::Float32, {3, 40, 5}, {1, std::uint64_t{1} << 26, 5});
            probs.extendible = true;
            b.setDataset("/val/probs", probs);
        }),
        "/val/probs", "has chunks of 1 x 67108864 x 5 values (1.25 GiB), larger than the dataset itself");
    // Control: small chunks are fine while there are few of them (40 here); an empty keyword means "loads".
    row("labels in 40 chunks of 1 value loads", valOnly([](B& b) { b.dataset("/val/labels").chunk = {1}; }),
        "", "");

    // Filters this HDF5 does not have (h5py's LZF is 32000).
    row("probs through filter 32000", valOnly([](B& b) {
            b.dataset("/val/probs").chunk = {1, 20, 5};
            b.dataset("/val/probs").unavailableFilter = 32000;
        }),
        "/val/probs", "filter 32000");
    row("labels through filter 32001, gzipped", valOnly([](B& b) {
            b.dataset("/val/labels").chunkedGzip = true;
            b.dataset("/val/labels").unavailableFilter = 32001;
        }),
        "/val/labels", "filter 32001");

    // Links in place of datasets are not followed, wherever they point.
    row("labels soft link to nowhere", valOnly([](B& b) { b.setSoftLink("/val/labels", "/nowhere"); }),
        "/val/labels", "is a soft link to '/nowhere'");
    row("probs soft link to a valid dataset",
        mutated([](B& b) { b.setSoftLink("/val/probs", "/test/probs"); }), "/val/probs",
        "is a soft link to '/test/probs'");
    row("probs external link",
        valOnly([](B& b) { b.setExternalLink("/val/probs", "/dev/zero", "/val/probs"); }), "/val/probs",
        "is an external link to '/dev/zero:/val/probs'");
    row("/val a soft link to /test", mutated([](B& b) {
            b.removeGroup("/val");
            b.setSoftLink("/val", "/test");
        }),
        "/val/probs", "/val is a soft link to '/test'");
    row("/test an external link", mutated([](B& b) {
            b.removeGroup("/test");
            b.setExternalLink("/test", "other.h5", "/test");
        }),
        "/test/probs", "/test is an external link to 'other.h5:/test'");
    row("costs a soft link", valOnly([](B& b) { b.setSoftLink("/exits/costs", "/val/labels"); }),
        "/exits/costs", "soft link");
    row("probs is a group", valOnly([](B& b) {
            const H5DatasetSpec probs = b.dataset("/val/probs");
            b.removeDataset("/val/probs");
            b.setDataset("/val/probs/inner", probs);
        }),
        "/val/probs", "is a group, not a dataset");
    row("probs in an external raw file",
        valOnly([](B& b) { b.dataset("/val/probs").externalFile = "raw.bin"; }), "/val/probs",
        "external raw file");

    // Strings: attributes of megabytes, arrays where one string belongs, names of megabytes.
    row("model of 1 MiB (variable-length)",
        mutated([](B& b) { b.setAttribute("model", std::string(1024 * 1024, 'm')); }), "/",
        "attribute 'model' is 1 MiB long; attributes may be at most 64 KiB");
    row("description of 16 MiB (fixed-length)", mutated([](B& b) {
            b.setAttribute("description", H5FixedString{"long", 16 * 1024 * 1024});
        }),
        "/", "attribute 'description' is 16 MiB long");
    row("model holds 3 strings", mutated([](B& b) {
            b.setAttribute("model", std::vector<std::string>{"a", "b", "c"});
        }),
        "/", "attribute 'model' holds 3 strings");
    row("exit name of 100 KiB", mutated([](B& b) {
            b.setDataset("/exits/names", H5DatasetSpec::text({"stem", std::string(100 * 1024, 'x'), "head"}));
        }),
        "/exits/names", "name 1 is 100 KiB long");
}

void TestPredictionsReader::rejectsHostileFile() {
    QFETCH(FileFactory, makeFile);
    QFETCH(QString, dataset);
    QFETCH(QString, keyword);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("hostile.h5");
    makeFile().write(path);
    QVERIFY2(QFileInfo(path).size() < 32 * 1024 * 1024, "the test file itself should be small");
    const long rssBefore = peakRssKiB();
    if (keyword.isEmpty()) {
        QVERIFY(readOrFail(path));
    } else {
        verifyFormatError(path, dataset, keyword);
    }
    QCOMPARE(H5FileBuilder::openObjectCount(), 0L);
    // Refused from the metadata: the peak memory of the process grew by less than 64 MiB.
    QVERIFY2(peakRssKiB() - rssBefore < 64 * 1024,
             qPrintable(QStringLiteral("peak RSS grew by %1 KiB").arg(peakRssKiB() - rssBefore)));
}

// Inputs the fuzzer (tests/fuzz) found crashing or hanging the reader, kept byte for byte: each must now be
// refused with a FormatError.
void TestPredictionsReader::rejectsFuzzFindings_data() {
    QTest::addColumn<QString>("path");
    const QDir findings(QStringLiteral(EENET_SOURCE_DIR "/tests/fuzz/regressions/predictions"));
    const QStringList names = findings.entryList(QDir::Files, QDir::Name);
    QVERIFY(!names.isEmpty());
    for (const QString& name : names)
        QTest::newRow(qPrintable(name)) << findings.filePath(name);
}

void TestPredictionsReader::rejectsFuzzFindings() {
    QFETCH(QString, path);
    const long rssBefore = peakRssKiB();
    verifyFormatError(path, QString(), QString());
    QCOMPARE(H5FileBuilder::openObjectCount(), 0L);
    QVERIFY(peakRssKiB() - rssBefore < 64 * 1024);
}

QTEST_GUILESS_MAIN(TestPredictionsReader)
#include "tst_predictionsreader.moc"
