#include "CacheFixtures.h"

#include "Error.h"
#include "import/CacheImport.h"
#include "io/PredictionsReader.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using eenet::CacheImportRequest;

namespace {

std::vector<double> toDoubles(const QJsonValue& value) {
    std::vector<double> values;
    for (const QJsonValue& v : value.toArray())
        values.push_back(v.toDouble());
    return values;
}

std::vector<int> toInts(const QJsonValue& value) {
    std::vector<int> values;
    for (const QJsonValue& v : value.toArray())
        values.push_back(v.toInt(-1));
    return values;
}

/// Probabilities as written (float32) against the source's, computed in float64: equal to float precision.
void compareProbabilities(const std::vector<float>& written, const std::vector<double>& source) {
    QCOMPARE(written.size(), source.size());
    for (std::size_t i = 0; i < source.size(); ++i)
        QVERIFY2(
            std::abs(written[i] - source[i]) <= 1e-6,
            qPrintable(
                QStringLiteral("value %1: %2, the source has %3").arg(i).arg(written[i]).arg(source[i])));
}

std::string sha256Of(const QString& path) {
    QFile file(path);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    return file.open(QIODevice::ReadOnly) && hash.addData(&file) ? hash.result().toHex().toStdString() : "";
}

} // namespace

class TestCacheImport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void roundTrip_data();
    void roundTrip();
    void costsAndFlops_data();
    void costsAndFlops();
    void classNames();
    void reportsWhatItDetected();
    void descriptionRecordsProvenance();
    void rejected_data();
    void rejected();
    void needsCosts();
    void refusesToOverwriteAnInput();

private:
    std::string fixture(const QString& name) const { return m_dir.filePath(name).toStdString(); }
    /// `source` with the latencies that give every cache its costs.
    CacheImportRequest requestFor(const QString& source) const;

    QTemporaryDir m_dir;
    QJsonObject m_summary;
};

CacheImportRequest TestCacheImport::requestFor(const QString& source) const {
    CacheImportRequest request;
    request.source = fixture(source);
    request.secondsPath = fixture("msdnet-run/seconds.csv");
    return request;
}

void TestCacheImport::initTestCase() {
    QVERIFY(m_dir.isValid());
    makeCacheFixtures(m_dir.path(), m_summary);
}

void TestCacheImport::roundTrip_data() {
    QTest::addColumn<QString>("source");
    for (const QString& source : m_summary["caches"].toObject().keys())
        QTest::newRow(qPrintable(source)) << source;
}

void TestCacheImport::roundTrip() {
    QFETCH(QString, source);
    const QJsonObject expected = m_summary["caches"].toObject()[source].toObject();
    const std::string out = fixture(QFileInfo(source).completeBaseName() + "-imported.h5");
    eenet::importCacheToFile(requestFor(source), out);

    const auto p = eenet::readPredictions(out);
    const std::vector<int> shape = toInts(expected["samples"]);
    QCOMPARE(p->numExits, shape[0]);
    QCOMPARE(p->val.numSamples, shape[1]);
    QCOMPARE(p->numClasses, shape[2]);
    QCOMPARE(p->val.labels, toInts(expected["val_labels"]));
    compareProbabilities(p->val.probs, toDoubles(expected["val_probs"]));
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(p->test.has_value(), expected.contains("test_probs"));
    if (p->test) {
        QCOMPARE(p->test->labels, toInts(expected["test_labels"]));
        compareProbabilities(p->test->probs, toDoubles(expected["test_probs"]));
    }
    QCOMPARE(p->costs, toDoubles(m_summary["seconds"]));
    QCOMPARE(QString::fromStdString(p->costUnit), QStringLiteral("ms"));
}

void TestCacheImport::costsAndFlops_data() {
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("flops");
    QTest::addColumn<QString>("seconds");
    QTest::addColumn<QString>("unit");
    QTest::addColumn<QString>("costSource");
    QTest::addColumn<bool>("withFlops");
    const QString pth = QStringLiteral("msdnet-run/logits_single.pth");
    const QString seconds = QStringLiteral("msdnet-run/seconds.csv");
    QTest::newRow("latencies win over FLOPs") << pth << "msdnet-run/flops.pth" << seconds << "ms"
                                              << "seconds.csv" << true;
    QTest::newRow("FLOPs list as MFLOPs") << pth << "msdnet-run/flops.pth"
                                          << ""
                                          << "MFLOPs"
                                          << "flops.pth" << true;
    QTest::newRow("FLOPs tensor") << pth << "msdnet-run/flops_tensor.pth"
                                  << ""
                                  << "MFLOPs"
                                  << "flops_tensor.pth" << true;
    QTest::newRow("FLOPs of ints") << pth << "msdnet-run/flops_ints.pth"
                                   << ""
                                   << "MFLOPs"
                                   << "flops_ints.pth" << true;
    QTest::newRow("npz costs and unit") << "stored.npz"
                                        << ""
                                        << ""
                                        << "ms"
                                        << "costs in stored.npz" << true;
    QTest::newRow("npz costs without unit") << "compressed.npz"
                                            << ""
                                            << ""
                                            << "units"
                                            << "costs in compressed.npz" << false;
    QTest::newRow("npz FLOPs") << "zip64.npz"
                               << ""
                               << ""
                               << "MFLOPs"
                               << "flops in zip64.npz" << true;
}

void TestCacheImport::costsAndFlops() {
    QFETCH(QString, source);
    QFETCH(QString, flops);
    QFETCH(QString, seconds);
    QFETCH(QString, unit);
    QFETCH(QString, costSource);
    QFETCH(bool, withFlops);
    CacheImportRequest request;
    request.source = fixture(source);
    request.flopsPath = flops.isEmpty() ? "" : fixture(flops);
    request.secondsPath = seconds.isEmpty() ? "" : fixture(seconds);
    const eenet::ImportedCache imported = eenet::importCache(request);
    const eenet::Predictions& p = imported.predictions;
    QCOMPARE(QString::fromStdString(p.costUnit), unit);
    QVERIFY2(QString::fromStdString(imported.report.costSource).startsWith(costSource),
             imported.report.costSource.c_str());
    const std::vector<double> mflops = toDoubles(m_summary["flops_mflops"]);
    if (unit == QLatin1String("ms"))
        QCOMPARE(p.costs, toDoubles(m_summary["seconds"]));
    if (unit == QLatin1String("MFLOPs"))
        QCOMPARE(p.costs, mflops);
    if (unit == QLatin1String("units"))
        QCOMPARE(p.costs, (std::vector<double>{1, 2, 3}));
    QCOMPARE(p.flops, withFlops ? mflops : std::vector<double>{});
}

void TestCacheImport::classNames() {
    CacheImportRequest request = requestFor(QStringLiteral("msdnet-run/logits_single.pth"));
    const std::string out = fixture("named.h5");
    eenet::importCacheToFile(request, out);
    QCOMPARE(eenet::readPredictions(out)->classNames,
             (std::vector<std::string>{"class 0", "class 1", "class 2", "class 3"}));
    request.classesPath = fixture("msdnet-run/classes.txt");
    eenet::importCacheToFile(request, out);
    QCOMPARE(eenet::readPredictions(out)->classNames,
             (std::vector<std::string>{"cat", "dog", "ship", "truck"}));
}

void TestCacheImport::reportsWhatItDetected() {
    const eenet::CacheImportReport probs =
        eenet::importCache(requestFor(QStringLiteral("msdnet-run/logits_single.pth"))).report;
    QVERIFY(!probs.val.fromLogits);
    QVERIFY(probs.test && !probs.test->fromLogits);
    QCOMPARE(QString::fromStdString(probs.val.array), QStringLiteral("element 0 (val predictions)"));
    QCOMPARE(QString::fromStdString(probs.val.evidence),
             QStringLiteral("every row lies in [0, 1] and sums to 1"));

    const eenet::ImportedCache fromLogits =
        eenet::importCache(requestFor(QStringLiteral("logits_val_only.pth")));
    const eenet::CacheImportReport& logits = fromLogits.report;
    QVERIFY(logits.val.fromLogits);
    QCOMPARE(fromLogits.predictions.loadNotes,
             std::vector<std::string>{"softmax applied to element 0 (val predictions) of logits_val_only.pth "
                                      "(logits, not probabilities)"});
    QVERIFY(!logits.test);
    QCOMPARE(QString::fromStdString(logits.val.evidence), QStringLiteral("values lie outside [0, 1]"));

    const eenet::CacheImportReport npz =
        eenet::importCache(requestFor(QStringLiteral("compressed.npz"))).report;
    QVERIFY(npz.val.fromLogits);
    QCOMPARE(QString::fromStdString(npz.val.dtype), QStringLiteral("float16"));
    QCOMPARE(npz.notes, std::vector<std::string>{"ignored in compressed.npz: run_notes"});

    const std::vector<std::string> lines = eenet::reportLines(logits);
    QVERIFY(
        std::find(lines.begin(), lines.end(),
                  "val (N):     6 samples; element 0 (val predictions), float32: logits (values lie outside "
                  "[0, 1]); softmax applied") != lines.end());
    QVERIFY(std::find(lines.begin(), lines.end(), "test (M):    none") != lines.end());
    QCOMPARE(
        QString::fromStdString(eenet::importSummary(logits)),
        QStringLiteral("3 exits, 4 classes; val: 6 samples of logits (softmax applied); no test split; costs "
                       "in ms from seconds.csv (latencies in ms)"));
}

void TestCacheImport::descriptionRecordsProvenance() {
    CacheImportRequest request = requestFor(QStringLiteral("msdnet-run/logits_single.pth"));
    request.flopsPath = fixture("msdnet-run/flops.pth");
    const eenet::Predictions p = eenet::importCache(request).predictions;
    QCOMPARE(QString::fromStdString(p.model), QStringLiteral("msdnet-run/logits_single.pth"));
    QCOMPARE(QString::fromStdString(p.dataset), QStringLiteral("unknown"));
    for (const std::string& input : {request.source, request.flopsPath, request.secondsPath}) {
        const std::string line = sha256Of(QString::fromStdString(input)) + "  " + input;
        QVERIFY2(p.description.find(line) != std::string::npos, p.description.c_str());
    }
    QVERIFY2(p.description.find("val: 6 samples; element 0 (val predictions), float32: probabilities") !=
                 std::string::npos,
             p.description.c_str());

    request.model = "MSDNet-5";
    request.dataset = "CIFAR-100";
    const eenet::Predictions named = eenet::importCache(request).predictions;
    QCOMPARE(QString::fromStdString(named.model), QStringLiteral("MSDNet-5"));
    QCOMPARE(QString::fromStdString(named.dataset), QStringLiteral("CIFAR-100"));
}

void TestCacheImport::rejected_data() {
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("flops");
    QTest::addColumn<QString>("seconds");
    QTest::addColumn<QString>("classes");
    QTest::addColumn<QString>("file");  // the file the error names
    QTest::addColumn<QString>("array"); // the array (or line) it names
    QTest::addColumn<QString>("problem");
    const QString pth = QStringLiteral("msdnet-run/logits_single.pth");
    const QString seconds = QStringLiteral("msdnet-run/seconds.csv");
    const auto row = [&](const char* name, const QString& source, const QString& flops,
                         const QString& latencies, const QString& classes, const QString& file,
                         const char* array, const char* problem) {
        QTest::newRow(name) << source << flops << latencies << classes << file << array << problem;
    };
    const auto torchRow = [&](const char* file, const char* array, const char* problem) {
        row(file, file, "", seconds, "", file, array, problem);
    };
    torchRow("rank2.pth", "element 0 (val predictions)", "has rank 2 (6 x 4), expected rank 3");
    torchRow("n_mismatch.pth", "element 1 (val targets)",
             "has 5 samples but element 0 (val predictions) has 6");
    torchRow("not_tuple.pth", "torch.save data", "holds a tensor of shape 3 x 6 x 4; expected a tuple");
    torchRow("three_tuple.pth", "torch.save data", "holds a tuple of 3 elements");
    torchRow("ambiguous.pth", "element 0 (val predictions)", "is ambiguous: every value lies in [0, 1]");
    torchRow("legacy.pth", "torch.save data", "legacy torch.save format");
    torchRow("fractional_labels.pth", "element 1 (val targets)",
             "label 0.5 of sample 0 is not a whole number");
    torchRow("short_storage.pth", "element 0 (val predictions)", "the file is truncated or corrupt");
    torchRow("nan.npz", "val_probs", "contains NaN or Inf (exit 1, sample 2, class 1)");
    torchRow("fortran.npz", "val_probs", "Fortran (column-major) order");
    torchRow("object.npz", "val_labels", "object array");
    torchRow("big_endian.npz", "val_probs", "big-endian ('>f4')");
    torchRow("both.npz", "val_probs", "is present and so is val_logits");
    torchRow("logits_are_probs.npz", "val_logits", "is named as logits, but every row lies in [0, 1]");
    torchRow("label_range.npz", "val_labels", "label 7 of sample 0 is outside [0, C) with C = 4");
    torchRow("test_exits.npz", "test_probs", "has 2 exits but the val predictions have 3");
    torchRow("samples_first.npz", "val_labels", "looks like [samples, exits, classes]");
    torchRow("truncated.npz", "ZIP directory", "not found");
    torchRow("corrupt.npz", "val_logits", "corrupt");
    torchRow("single.npy", "file", "is a single .npy array");
    row("decreasing npz costs", "decreasing_costs.npz", "", "", "", "decreasing_costs.npz", "costs",
        "must be strictly increasing (cumulative cost); exit 3 has 2 after 3");
    row("FLOPs in MFLOPs", pth, "flops_in_mflops.pth", "", "", "flops_in_mflops.pth", "flops",
        "too few to be a count of FLOPs");
    row("FLOPs as a string", pth, "flops_string.pth", "", "", "flops_string.pth", "flops", "holds a string");
    row("latencies with a header", pth, "", "msdnet-run/header.csv", "", "header.csv", "line 1",
        "'latency_ms' is not a number");
    row("two latencies", pth, "", "msdnet-run/two_seconds.csv", "", "two_seconds.csv", "latencies",
        "has 2 entries but the predictions have 3 exits");
    row("decreasing latencies", pth, "", "msdnet-run/decreasing.csv", "", "decreasing.csv", "latencies",
        "must be strictly increasing");
    row("three class names", pth, "", seconds, "msdnet-run/three_classes.txt", "three_classes.txt",
        "class names", "has 3 names but the predictions have 4 classes");
    row("missing cache", "no-such.pth", "", seconds, "", "no-such.pth", "", "cannot be read");
}

void TestCacheImport::rejected() {
    QFETCH(QString, source);
    QFETCH(QString, flops);
    QFETCH(QString, seconds);
    QFETCH(QString, classes);
    QFETCH(QString, file);
    QFETCH(QString, array);
    QFETCH(QString, problem);
    CacheImportRequest request;
    request.source = fixture(source);
    request.flopsPath = flops.isEmpty() ? "" : fixture(flops);
    request.secondsPath = seconds.isEmpty() ? "" : fixture(seconds);
    request.classesPath = classes.isEmpty() ? "" : fixture(classes);
    const std::string out = fixture("rejected.h5");
    try {
        eenet::importCacheToFile(request, out);
        QFAIL("the import was accepted");
    } catch (const eenet::FormatError& e) {
        QVERIFY2(!array.isEmpty(), e.what());
        QVERIFY2(QString::fromStdString(e.file()).endsWith(file), e.what());
        QCOMPARE(QString::fromStdString(e.dataset()), array);
        QVERIFY2(QString::fromStdString(e.problem()).contains(problem), e.what());
    } catch (const eenet::IoError& e) {
        QVERIFY2(array.isEmpty(), e.what());
        QVERIFY2(QString::fromStdString(e.file()).endsWith(file), e.what());
        QVERIFY2(QString::fromStdString(e.problem()).contains(problem), e.what());
    }
    QVERIFY2(!QFile::exists(QString::fromStdString(out)), "a rejected import wrote its output");
}

void TestCacheImport::needsCosts() {
    CacheImportRequest request;
    request.source = fixture("logits_val_only.pth");
    QVERIFY_THROWS_EXCEPTION(eenet::ArgumentError, eenet::importCache(request));
    try {
        eenet::importCache(request);
    } catch (const eenet::ArgumentError& e) {
        QVERIFY2(QString(e.what()).contains("logits_val_only.pth: no exit costs"), e.what());
    }
}

void TestCacheImport::refusesToOverwriteAnInput() {
    const CacheImportRequest request = requestFor(QStringLiteral("msdnet-run/logits_single.pth"));
    QVERIFY_THROWS_EXCEPTION(eenet::ArgumentError, eenet::importCacheToFile(request, request.secondsPath));
    QVERIFY_THROWS_EXCEPTION(
        eenet::ArgumentError,
        eenet::importCacheToFile(request, fixture("msdnet-run/../msdnet-run/logits_single.pth")));
    QFile seconds(QString::fromStdString(request.secondsPath));
    QVERIFY(seconds.open(QIODevice::ReadOnly));
    QCOMPARE(seconds.readAll(), QByteArray("1.5\n2.5\n4.0\n"));
}

QTEST_GUILESS_MAIN(TestCacheImport)
#include "tst_cacheimport.moc"
