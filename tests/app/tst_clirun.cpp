#include "CliRunner.h"
#include "TestData.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace eenet;

namespace {

const char* const kMethods[] = {"maxprob", "entropy", "patience", "eenet"};

} // namespace

/// `eenet-cli run`: real early exit of a scripted multi-exit model (written at test time by
/// tests/app/make_exit_model.py) decides exactly as `eenet-cli apply` on the model's own predictions, in
/// every mode and at every batch size, with JSON and TorchScript schedulers of every kind of score; so does
/// examples/early_exit_runtime.py; and broken models, files and options are refused by name.
class TestCliRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void helpListsRun();
    void decisionsEqualApply_data();
    void decisionsEqualApply();
    void jsonHasTheMeasurements();
    void textIsReadable();
    void pythonExampleEqualsRun_data();
    void pythonExampleEqualsRun();
    void rejected_data();
    void rejected();
    void noCheckRunsAnotherModel();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QStringList runArguments(const QString& scheduler, const QStringList& extra = {}) const;
    void addSchedulerRows() const;

    QTemporaryDir m_dir;
};

void TestCliRun::initTestCase() {
    QVERIFY(m_dir.isValid());
    // scripts/setup.sh installs python3-torch, python3-h5py and python3-numpy: their absence is a failure.
    const QString error =
        runPython(QStringLiteral(EENET_SOURCE_DIR "/tests/app/make_exit_model.py"), {m_dir.path()});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    for (const char* method : kMethods) {
        for (const char* suffix : {".json", ".pt"}) {
            const QString scheduler = path(QString(method) + suffix);
            const CliRun train =
                runCli({QStringLiteral("train"), path("predictions.h5"), QStringLiteral("--budget"),
                        QStringLiteral("0.006"), QStringLiteral("--method"), method, QStringLiteral("--out"),
                        scheduler});
            QVERIFY2(train.exitCode == 0, qPrintable(train.err));
            const CliRun apply = runCli({QStringLiteral("apply"), scheduler, path("predictions.h5"),
                                         QStringLiteral("--decisions"), scheduler + ".apply.csv"});
            QVERIFY2(apply.exitCode == 0, qPrintable(apply.err));
        }
    }
}

QStringList TestCliRun::runArguments(const QString& scheduler, const QStringList& extra) const {
    return QStringList{QStringLiteral("run"),
                       QStringLiteral("--model"),
                       path("model.pt"),
                       QStringLiteral("--scheduler"),
                       scheduler,
                       path("predictions.h5")} +
           extra;
}

void TestCliRun::addSchedulerRows() const {
    QTest::addColumn<QString>("scheduler");
    for (const char* method : kMethods)
        for (const char* suffix : {".json", ".pt"})
            QTest::newRow((QString(method) + suffix).toUtf8().constData()) << path(QString(method) + suffix);
}

void TestCliRun::helpListsRun() {
    const CliRun help = runCli({QStringLiteral("help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("eenet-cli run --model MODEL.pt --scheduler SCHED.json|SCHED.pt FILE"));
    const CliRun own = runCli({QStringLiteral("run"), QStringLiteral("--help")});
    QCOMPARE(own.exitCode, 0);
    for (const char* option : {"--model MODEL.pt", "--scheduler SCHED", "--split val|test", "--batch B",
                               "--mode M", "--threads T", "--no-check", "--decisions OUT.csv", "--json"})
        QVERIFY2(own.out.contains(option), option);
}

void TestCliRun::decisionsEqualApply_data() {
    addSchedulerRows();
}

void TestCliRun::decisionsEqualApply() {
    QFETCH(QString, scheduler);
    const QByteArray expected = test::readBytes(scheduler + ".apply.csv");
    QCOMPARE(expected.count('\n'), 201);
    const QList<QPair<QString, int>> runs = {{"sample", 1},  {"sync", 1},    {"sync", 4},   {"sync", 7},
                                             {"compact", 1}, {"compact", 4}, {"compact", 7}};
    for (const auto& [mode, batch] : runs) {
        const QString csv = scheduler + QStringLiteral(".%1-%2.csv").arg(mode).arg(batch);
        const CliRun run =
            runCli(runArguments(scheduler, {QStringLiteral("--mode"), mode, QStringLiteral("--batch"),
                                            QString::number(batch), QStringLiteral("--decisions"), csv}));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QByteArray actual = test::readBytes(csv);
        QVERIFY2(actual == expected, qPrintable(QStringLiteral("%1:%2: ").arg(mode).arg(batch) +
                                                firstDifference(actual, expected)));
    }
}

void TestCliRun::jsonHasTheMeasurements() {
    const QString scheduler = path("patience.pt");
    const CliRun run = runCli(
        runArguments(scheduler, {QStringLiteral("--batch"), QStringLiteral("4"), QStringLiteral("--json")}));
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject json = QJsonDocument::fromJson(run.out).object();
    const CliRun apply =
        runCli({QStringLiteral("apply"), scheduler, path("predictions.h5"), QStringLiteral("--json")});
    QVERIFY2(apply.exitCode == 0, qPrintable(apply.err));
    const QJsonObject applied = QJsonDocument::fromJson(apply.out).object();

    QCOMPARE(json["mode"].toString(), QStringLiteral("compact"));
    QCOMPARE(json["batch"].toInt(), 4);
    QCOMPARE(json["threads"].toInt(), 1);
    QCOMPARE(json["samples"].toInt(), 200);
    QCOMPARE(json["split"].toString(), QStringLiteral("test"));
    // The same decisions and predictions as apply: the same accuracy, exits and simulated cost.
    QCOMPARE(json["accuracy"].toDouble(), applied["accuracy"].toDouble());
    QCOMPARE(json["exit_fractions"].toArray(), applied["exit_fractions"].toArray());
    QVERIFY(qFuzzyCompare(json["simulated_cost"].toDouble(), applied["cost"].toDouble()));
    QVERIFY(qFuzzyCompare(json["simulated_speedup"].toDouble(), 0.008 / applied["cost"].toDouble()));
    for (const char* key : {"measured_ms_per_sample", "full_model_ms_per_sample", "speedup", "p50_ms",
                            "p95_ms", "p99_ms", "scheduler_us_per_exit", "scheduler_us_per_sample"})
        QVERIFY2(json[key].isDouble() && json[key].toDouble() > 0, key);
    QVERIFY(qFuzzyCompare(json["speedup"].toDouble(), json["full_model_ms_per_sample"].toDouble() /
                                                          json["measured_ms_per_sample"].toDouble()));
    QVERIFY(json["p50_ms"].toDouble() <= json["p95_ms"].toDouble());
    QVERIFY(json["p95_ms"].toDouble() <= json["p99_ms"].toDouble());
    QCOMPARE(json["checked"].toBool(), true);
}

void TestCliRun::textIsReadable() {
    const CliRun run =
        runCli(runArguments(path("maxprob.json"), {QStringLiteral("--mode"), QStringLiteral("sync"),
                                                   QStringLiteral("--batch"), QStringLiteral("7")}));
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QStringList lines = QString::fromUtf8(run.out).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 6);
    QVERIFY2(lines[0].endsWith("(test, 200 samples): sync, batch 7, 1 thread"), qPrintable(lines[0]));
    const QStringList starts = {"ran ", "accuracy:", "measured:", "simulated:", "latency:", "scheduler:"};
    for (int i = 0; i < starts.size(); ++i)
        QVERIFY2(lines[i].startsWith(starts[i]), qPrintable(lines[i]));
}

void TestCliRun::pythonExampleEqualsRun_data() {
    addSchedulerRows();
}

void TestCliRun::pythonExampleEqualsRun() {
    QFETCH(QString, scheduler);
    for (int batch : {1, 7}) {
        const QString cliCsv = scheduler + QStringLiteral(".run-%1.csv").arg(batch);
        const CliRun run = runCli(runArguments(scheduler, {QStringLiteral("--batch"), QString::number(batch),
                                                           QStringLiteral("--decisions"), cliCsv}));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QString csv = scheduler + QStringLiteral(".python-%1.csv").arg(batch);
        const QString error =
            runPython(QStringLiteral(EENET_SOURCE_DIR "/examples/early_exit_runtime.py"),
                      {path("model.pt"), scheduler, path("predictions.h5"), QStringLiteral("--batch"),
                       QString::number(batch), QStringLiteral("--out"), csv});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QByteArray actual = test::readBytes(csv);
        const QByteArray expected = test::readBytes(cliCsv);
        QVERIFY2(actual == expected,
                 qPrintable(QStringLiteral("batch %1: ").arg(batch) + firstDifference(actual, expected)));
    }
}

void TestCliRun::rejected_data() {
    addRejectedColumns();
    const QString model = path("model.pt");
    const QString scheduler = path("maxprob.json");
    const QString file = path("predictions.h5");
    const auto row = [&](const char* name, const QString& modelPath, const QString& predictionsPath,
                         const QStringList& extra, int exitCode, const QString& expected) {
        QTest::newRow(name) << (QStringList{QStringLiteral("run"), QStringLiteral("--model"), modelPath,
                                            QStringLiteral("--scheduler"), scheduler, predictionsPath} +
                                extra)
                            << exitCode << expected;
    };
    row("missing model", path("absent.pt"), file, {}, 1, path("absent.pt") + ": no such file");
    row("not TorchScript", scheduler, file, {}, 1, scheduler + ": /: not a TorchScript archive");
    row("a scheduler, not a model", path("maxprob.pt"), file, {}, 1,
        path("maxprob.pt") + ": num_exits: missing method; a multi-exit model has num_exits() -> int");
    row("no head", path("no_head.pt"), file, {}, 1, path("no_head.pt") + ": head: missing method");
    row("other number of exits", path("two_exits.pt"), file, {}, 1,
        path("two_exits.pt") + ": num_exits() is 2 but " + file + " has 3 exits");
    row("no inputs", model, path("no_inputs.h5"), {}, 1, path("no_inputs.h5") + ": /test/inputs: missing");
    row("no inputs, unchecked", model, path("no_inputs.h5"), {QStringLiteral("--no-check")}, 1,
        path("no_inputs.h5") + ": /test/inputs: missing");
    row("outputs disagree", path("other.pt"), file, {}, 1,
        path("other.pt") + " does not reproduce " + file + " (/test/probs): exit 1, sample 0, class 0");
    row("bad mode", model, file, {QStringLiteral("--mode"), QStringLiteral("fast")}, 2,
        QStringLiteral("--mode must be sample, sync or compact, got 'fast'"));
    row("zero batch", model, file, {QStringLiteral("--batch"), QStringLiteral("0")}, 2,
        QStringLiteral("--batch must be a positive number of samples, got 0"));
    row("sample mode with a batch", model, file,
        {QStringLiteral("--mode"), QStringLiteral("sample"), QStringLiteral("--batch"), QStringLiteral("4")},
        2, QStringLiteral("--mode sample runs one sample at a time; --batch 4 needs --mode sync or compact"));
    QTest::newRow("no model") << QStringList{QStringLiteral("run"), QStringLiteral("--scheduler"), scheduler,
                                             file}
                              << 2 << QStringLiteral("--model");
}

void TestCliRun::rejected() {
    CliRun run;
    runRejectedRow(run);
    QVERIFY(run.out.isEmpty());
}

void TestCliRun::noCheckRunsAnotherModel() {
    const CliRun run = runCli({QStringLiteral("run"), QStringLiteral("--model"), path("other.pt"),
                               QStringLiteral("--scheduler"), path("maxprob.json"), path("predictions.h5"),
                               QStringLiteral("--no-check")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.out.contains("note: --no-check: the model's outputs were not compared with the file's"));
}

QTEST_GUILESS_MAIN(TestCliRun)
#include "tst_clirun.moc"
