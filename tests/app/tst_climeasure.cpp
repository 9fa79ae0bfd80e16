#include "CliRunner.h"
#include "H5FileBuilder.h"
#include "ReadChecks.h"
#include "TestData.h"

#include "io/PredictionsReader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using eenet::test::H5DatasetSpec;
using eenet::test::H5FileBuilder;
using eenet::test::readOrFail;

namespace {

/// Datasets the measurement writes; every other dataset must come back exactly.
const QStringList kMeasured{"/exits/batch_sizes", "/exits/batch_costs", "/exits/extra_costs/measured_ms",
                            "/exits/extra_costs/latency"};

bool sameDataset(const H5DatasetSpec& a, const H5DatasetSpec& b) {
    return a.type == b.type && a.shape == b.shape && a.values == b.values && a.strings == b.strings &&
           a.chunkedGzip == b.chunkedGzip && a.chunk == b.chunk;
}

} // namespace

/// `eenet-cli measure`: times the scripted model of tests/app/make_exit_model.py at batch sizes 1, 2, 4, ...
/// on the stored inputs, writes the serving costs and batch 1's latencies into the file, and keeps every
/// other dataset and attribute as it was; refuses other models, files without inputs and bad options.
class TestCliMeasure : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void helpListsMeasure();
    void writesServingCostsAndKeepsTheRest();
    void measuresInPlaceWithOptions();
    void rejected_data();
    void rejected();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QTemporaryDir m_dir;
};

void TestCliMeasure::initTestCase() {
    QVERIFY(m_dir.isValid());
    const QString error =
        runPython(QStringLiteral(EENET_SOURCE_DIR "/tests/app/make_exit_model.py"), {m_dir.path()});
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestCliMeasure::helpListsMeasure() {
    const CliRun help = runCli({QStringLiteral("help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("eenet-cli measure --model MODEL.pt FILE"));
    const CliRun own = runCli({QStringLiteral("measure"), QStringLiteral("--help")});
    QCOMPARE(own.exitCode, 0);
    for (const char* option : {"--model MODEL.pt", "--split val|test", "--out OUT.h5", "--name NAME",
                               "--max-batch B", "--seconds S", "--no-check"})
        QVERIFY2(own.out.contains(option), option);
}

void TestCliMeasure::writesServingCostsAndKeepsTheRest() {
    const QString source = path("predictions.h5");
    const QByteArray before = eenet::test::readBytes(source);
    const CliRun run = runCli({QStringLiteral("measure"), QStringLiteral("--model"), path("model.pt"), source,
                               QStringLiteral("--out"), path("measured.h5"), QStringLiteral("--seconds"),
                               QStringLiteral("1")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains("wrote " + path("measured.h5").toUtf8()), run.out.constData());
    QCOMPARE(eenet::test::readBytes(source), before);

    const auto measured = readOrFail(path("measured.h5"));
    QVERIFY(measured);
    // The test split's 200 inputs: batch sizes up to 128.
    const eenet::BatchCosts& costs = measured->batchCosts;
    QCOMPARE(costs.batchSizes, (std::vector<int>{1, 2, 4, 8, 16, 32, 64, 128}));
    QCOMPARE(costs.unit, std::string("ms"));
    QCOMPARE(costs.values.size(), size_t{3 * 8});
    for (size_t j = 0; j < costs.batchSizes.size(); ++j) {
        QVERIFY(costs.at(0, int(j)) > 0);
        for (int k = 1; k < 3; ++k)
            QVERIFY(costs.at(k, int(j)) > costs.at(k - 1, int(j)));
    }
    QCOMPARE(measured->extraCosts.size(), size_t{1});
    QCOMPARE(measured->extraCosts[0].name, std::string("measured_ms"));
    QCOMPARE(measured->extraCosts[0].unit, std::string("ms"));
    QCOMPARE(measured->extraCosts[0].values,
             (std::vector<double>{costs.at(0, 0), costs.at(1, 0), costs.at(2, 0)}));
    // The file's own costs stay what it budgets in.
    QCOMPARE(measured->costs, (std::vector<double>{0.004, 0.006, 0.008}));
    QCOMPARE(measured->costUnit, std::string("MFLOPs"));

    // Every other dataset (probabilities, labels, inputs, costs) and every root attribute as it was, with
    // its type, shape, chunks and filters.
    const H5FileBuilder original = H5FileBuilder::fromFile(source);
    const H5FileBuilder updated = H5FileBuilder::fromFile(path("measured.h5"));
    for (const std::string& dataset : original.datasetPaths())
        QVERIFY2(updated.hasDataset(dataset) &&
                     sameDataset(original.dataset(dataset), updated.dataset(dataset)),
                 dataset.c_str());
    for (const std::string& dataset : updated.datasetPaths())
        QVERIFY2(original.hasDataset(dataset) || kMeasured.contains(QString::fromStdString(dataset)),
                 dataset.c_str());
    for (const char* attribute : {"format", "model", "dataset", "cost_unit"})
        QVERIFY2(std::get<std::string>(original.attribute(attribute)) ==
                     std::get<std::string>(updated.attribute(attribute)),
                 attribute);
    QVERIFY(std::get<std::int64_t>(updated.attribute("format_version")) == 1);
}

// Without --out the file itself is replaced; --split, --name and --max-batch choose what is measured, and a
// second measurement replaces the first.
void TestCliMeasure::measuresInPlaceWithOptions() {
    const QString file = path("in-place.h5");
    QVERIFY(QFile::copy(path("predictions.h5"), file));
    for (const char* maxBatch : {"8", "4"}) {
        const CliRun run =
            runCli({QStringLiteral("measure"), QStringLiteral("--model"), path("model.pt"), file,
                    QStringLiteral("--split"), QStringLiteral("val"), QStringLiteral("--name"),
                    QStringLiteral("latency"), QStringLiteral("--max-batch"), maxBatch,
                    QStringLiteral("--seconds"), QStringLiteral("0.5")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains("(val, batches of stored inputs, 1 thread)"), run.out.constData());
    }
    const auto measured = readOrFail(file);
    QVERIFY(measured);
    QCOMPARE(measured->batchCosts.batchSizes, (std::vector<int>{1, 2, 4}));
    QCOMPARE(measured->extraCosts.size(), size_t{1});
    QCOMPARE(measured->extraCosts[0].name, std::string("latency"));
    QCOMPARE(measured->extraCosts[0].values.front(), measured->batchCosts.at(0, 0));
    const auto original = readOrFail(path("predictions.h5"));
    QVERIFY(original);
    QVERIFY(measured->val.probs == original->val.probs);
    QVERIFY(measured->test->probs == original->test->probs);
}

void TestCliMeasure::rejected_data() {
    addRejectedColumns();
    const QString model = path("model.pt");
    const QString file = path("predictions.h5");
    const QString out = path("never.h5");
    auto measure = [&](const QStringList& extra) {
        return QStringList{QStringLiteral("measure"), QStringLiteral("--out"), out} + extra;
    };
    QTest::newRow("no model") << measure({file}) << 2 << "--model";
    QTest::newRow("no file") << measure({"--model", model}) << 2 << "FILE";
    QTest::newRow("reserved name") << measure({"--model", model, file, "--name", "flops"}) << 2
                                   << "--name: the name 'flops' is taken by /exits/flops";
    QTest::newRow("name with a slash") << measure({"--model", model, file, "--name", "a/b"}) << 2 << "'/'";
    QTest::newRow("max batch 0") << measure({"--model", model, file, "--max-batch", "0"}) << 2
                                 << "--max-batch must be a positive number";
    QTest::newRow("seconds 0") << measure({"--model", model, file, "--seconds", "0"}) << 2
                               << "--seconds must be a positive number";
    QTest::newRow("bad split") << measure({"--model", model, file, "--split", "train"}) << 2
                               << "--split must be val or test";
    QTest::newRow("no inputs") << measure({"--model", model, path("no_inputs.h5")}) << 1
                               << "/test/inputs: missing";
    QTest::newRow("other model") << measure({"--model", path("other.pt"), file}) << 1 << "does not reproduce";
    QTest::newRow("two exits") << measure({"--model", path("two_exits.pt"), file}) << 1
                               << "num_exits() is 2 but";
    QTest::newRow("no head") << measure({"--model", path("no_head.pt"), file}) << 1 << "head";
    QTest::newRow("missing file") << measure({"--model", model, path("missing.h5")}) << 1 << "no such file";
}

void TestCliMeasure::rejected() {
    CliRun run;
    runRejectedRow(run);
    QVERIFY(!QFile::exists(path("never.h5")));
}

QTEST_GUILESS_MAIN(TestCliMeasure)
#include "tst_climeasure.moc"
