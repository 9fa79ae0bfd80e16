// eenet-cli --cost (issue 10, item 4): the cost vector every figure is in, from evaluate's table to a trained
// scheduler's "cost_model", which apply follows; and the scheduler keys of cost models and budget rules,
// checked strictly and optional for older files.

#include "io/PredictionsReader.h"

#include "CliRunner.h"
#include "TestData.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

class TestCliCostModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void costFlopsChangesTheUnitOfEvaluate();
    void costFlopsFollowsTheSchedulerThroughTrainAndApply();
    void costFlopsReachesCompareAndReport();
    void unknownCostModelIsAClearError();
    void schedulerKeysAreValidated_data();
    void schedulerKeysAreValidated();
    void olderSchedulerWithoutCostModelStillLoads();

private:
    static QJsonObject jsonOf(const CliRun& run) { return QJsonDocument::fromJson(run.out).object(); }
    /// The scheduler m_maxprob with `key` set to `value` (or removed when `value` is undefined).
    QString editedScheduler(const QString& name, const QString& key, const QJsonValue& value) const;

    QTemporaryDir m_dir;
    const QString m_sample = eenet::test::samplePath();
    /// maxprob trained on the sample at 40 % of the full cost, in the file's own costs.
    QString m_maxprob;
};

void TestCliCostModels::initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY(QFile::exists(m_sample));
    m_maxprob = m_dir.filePath("maxprob.json");
    const CliRun train =
        runCli({"train", m_sample, "--budget", "40%", "--method", "maxprob", "--out", m_maxprob});
    QVERIFY2(train.exitCode == 0, qPrintable(train.err));
}

void TestCliCostModels::costFlopsChangesTheUnitOfEvaluate() {
    const auto predictions = eenet::readPredictions(m_sample.toStdString());
    const std::vector<double>& flops = predictions->flops;
    QCOMPARE(flops.size(), size_t(4));
    const CliRun run = runCli({"evaluate", m_sample, "--cost", "flops", "--methods", "maxprob,static",
                               "--budgets", "40%", "--split", "val", "--json"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject root = jsonOf(run);
    QCOMPARE(root["cost_model"].toString(), QString("flops"));
    QCOMPARE(root["cost_unit"].toString(), QString("MFLOPs"));
    const QJsonArray results = root["results"].toArray();
    QCOMPARE(results.size(), 1 + 4);
    for (const QJsonValue& value : results) {
        const QJsonObject r = value.toObject();
        // Every cost is the exit fractions priced in MFLOPs.
        double expected = 0;
        const QJsonArray fractions = r["exit_fractions"].toArray();
        for (int k = 0; k < 4; ++k)
            expected += fractions[k].toDouble() * flops[size_t(k)];
        QVERIFY2(std::abs(r["cost"].toDouble() - expected) <= 1e-9 * expected,
                 qPrintable(r["method"].toString()));
        QCOMPARE(r["serving_cost"].toDouble(), r["cost"].toDouble());
        if (r["method"].toString() == "maxprob") {
            QCOMPARE(r["budget"].toDouble(), 0.4 * flops.back());
            // The budget is met in MFLOPs (within the geometric protocol's ties), not in ms.
            QVERIFY(std::abs(r["cost"].toDouble() - 0.4 * flops.back()) < 0.05 * flops.back());
        }
    }
    const CliRun text = runCli(
        {"evaluate", m_sample, "--cost", "flops", "--methods", "maxprob", "--sweep", "2", "--split", "val"});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(QString::fromUtf8(text.out).contains("(costs in MFLOPs, cost model flops)"),
             text.out.constData());
    QVERIFY(QString::fromUtf8(text.out).contains("cost MFLOPs"));
}

void TestCliCostModels::costFlopsFollowsTheSchedulerThroughTrainAndApply() {
    const auto predictions = eenet::readPredictions(m_sample.toStdString());
    const QString scheduler = m_dir.filePath("flops.json");
    const CliRun train = runCli({"train", m_sample, "--cost", "flops", "--budget", "40%", "--method",
                                 "maxprob-opt", "--out", scheduler, "--json"});
    QVERIFY2(train.exitCode == 0, qPrintable(train.err));
    const QJsonObject trained = jsonOf(train);
    QCOMPARE(trained["cost_model"].toString(), QString("flops"));
    QCOMPARE(trained["cost_unit"].toString(), QString("MFLOPs"));
    QCOMPARE(trained["budget"].toDouble(), 0.4 * predictions->flops.back());
    const QJsonObject valMetrics = trained["metrics"].toObject()["val"].toObject();
    QVERIFY(valMetrics["cost"].toDouble() <= trained["budget"].toDouble() * (1 + 1e-9));
    QVERIFY(valMetrics["cost"].toDouble() > predictions->flops.front());

    // The scheduler records its cost model, with those costs.
    const QJsonObject file = QJsonDocument::fromJson(eenet::test::readBytes(scheduler)).object();
    QCOMPARE(file["cost_model"].toString(), QString("flops"));
    QCOMPARE(file["cost_unit"].toString(), QString("MFLOPs"));
    const QJsonArray costs = file["costs"].toArray();
    for (int k = 0; k < 4; ++k)
        QCOMPARE(costs[k].toDouble(), predictions->flops[size_t(k)]);

    // apply prices the decisions in the scheduler's cost model without being told.
    const CliRun apply = runCli({"apply", scheduler, m_sample, "--split", "test", "--json"});
    QVERIFY2(apply.exitCode == 0, qPrintable(apply.err));
    const QJsonObject applied = jsonOf(apply);
    QCOMPARE(applied["cost_model"].toString(), QString("flops"));
    QCOMPARE(applied["cost_unit"].toString(), QString("MFLOPs"));
    QCOMPARE(applied["budget_unit"].toString(), QString("MFLOPs"));
    QCOMPARE(applied["cost"].toDouble(), trained["metrics"].toObject()["test"].toObject()["cost"].toDouble());
    // --cost overrides it: the same decisions priced in ms, the budget still in the scheduler's unit.
    const CliRun inMs =
        runCli({"apply", scheduler, m_sample, "--split", "test", "--cost", "costs", "--json"});
    QVERIFY2(inMs.exitCode == 0, qPrintable(inMs.err));
    const QJsonObject ms = jsonOf(inMs);
    QCOMPARE(ms["cost_unit"].toString(), QString("ms"));
    QCOMPARE(ms["scheduler_cost_model"].toString(), QString("flops"));
    QCOMPARE(ms["accuracy"].toDouble(), applied["accuracy"].toDouble());
    double expected = 0;
    for (int k = 0; k < 4; ++k)
        expected += ms["exit_fractions"].toArray()[k].toDouble() * predictions->costs[size_t(k)];
    QVERIFY(std::abs(ms["cost"].toDouble() - expected) <= 1e-9 * expected);
    const CliRun text = runCli({"apply", scheduler, m_sample});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(QString::fromUtf8(text.out).contains("MFLOPs, cost model flops) to"), text.out.constData());
}

void TestCliCostModels::costFlopsReachesCompareAndReport() {
    const auto predictions = eenet::readPredictions(m_sample.toStdString());
    const CliRun compare = runCli(
        {"compare", m_sample, "--methods", "entropy,maxprob", "--sweep", "3", "--cost", "flops", "--json"});
    QVERIFY2(compare.exitCode == 0, qPrintable(compare.err));
    const QJsonObject comparison = jsonOf(compare);
    QCOMPARE(comparison["cost_model"].toString(), QString("flops"));
    QCOMPARE(comparison["cost_unit"].toString(), QString("MFLOPs"));
    // The one budget between the sweep's ends is halfway along the MFLOPs range.
    const QJsonArray perBudget = comparison["per_budget"].toArray();
    QCOMPARE(perBudget.size(), 1);
    const double middle = 0.5 * (predictions->flops.front() + predictions->flops.back());
    QVERIFY(std::abs(perBudget[0].toObject()["budget"].toDouble() - middle) <= 1e-9 * middle);

    const QString report = m_dir.filePath("flops.html");
    const CliRun run = runCli(
        {"report", m_sample, "--method", "maxprob", "--budget", "40%", "--cost", "flops", "--out", report});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(QString::fromUtf8(run.out).contains(" MFLOPs (40% of the full cost) in cost model flops"),
             run.out.constData());
    QVERIFY(eenet::test::readBytes(report).contains("MFLOPs"));
}

void TestCliCostModels::unknownCostModelIsAClearError() {
    const CliRun evaluate = runCli({"evaluate", m_sample, "--cost", "joules", "--methods", "maxprob"});
    QCOMPARE(evaluate.exitCode, 1);
    QVERIFY2(evaluate.err.contains("no cost model 'joules'") && evaluate.err.contains("costs, flops"),
             qPrintable(evaluate.err));
    QVERIFY(evaluate.err.contains(m_sample));
    // A scheduler priced in a cost model the file lacks: apply says which, and how to go on.
    const QString gpu = editedScheduler("gpu.json", "cost_model", "gpu_ms");
    const CliRun apply = runCli({"apply", gpu, m_sample});
    QCOMPARE(apply.exitCode, 1);
    QVERIFY2(apply.err.contains("cost model 'gpu_ms'") && apply.err.contains("--cost"),
             qPrintable(apply.err));
    QCOMPARE(runCli({"apply", gpu, m_sample, "--cost", "costs"}).exitCode, 0);
}

QString TestCliCostModels::editedScheduler(const QString& name, const QString& key,
                                           const QJsonValue& value) const {
    QJsonObject json = QJsonDocument::fromJson(eenet::test::readBytes(m_maxprob)).object();
    if (value.isUndefined())
        json.remove(key);
    else
        json[key] = value;
    const QString path = m_dir.filePath(name);
    return eenet::test::writeBytes(path, QJsonDocument(json).toJson()) ? path : QString();
}

void TestCliCostModels::schedulerKeysAreValidated_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("cost_model a number") << "cost_model" << QJsonValue(3) << "/cost_model: must be the name";
    QTest::newRow("cost_model empty") << "cost_model" << QJsonValue("") << "/cost_model: must be the name";
    QTest::newRow("cost_model a path") << "cost_model" << QJsonValue("a/b") << "got 'a/b'";
    QTest::newRow("serving unknown") << "serving" << QJsonValue("turbo:8")
                                     << "/serving: must be sample, sync:B";
    QTest::newRow("serving batch 0") << "serving" << QJsonValue("sync:0") << "got 'sync:0'";
    QTest::newRow("serving a number") << "serving" << QJsonValue(8) << "/serving: must be";
    QTest::newRow("guarantee 1") << "guarantee" << QJsonValue(1) << "/guarantee: must be a confidence";
    QTest::newRow("guarantee text") << "guarantee" << QJsonValue("0.95") << "got '0.95'";
    QTest::newRow("serving_unit alone") << "serving_unit" << QJsonValue("ms") << "/serving_unit: is set but";
}

void TestCliCostModels::schedulerKeysAreValidated() {
    QFETCH(QString, key);
    QFETCH(QJsonValue, value);
    QFETCH(QString, expected);
    const QString path = editedScheduler("bad.json", key, value);
    QVERIFY(!path.isEmpty());
    const CliRun run = runCli({"apply", path, m_sample});
    QCOMPARE(run.exitCode, 1);
    // A FormatError names the file and the key.
    QVERIFY2(run.err.contains(path) && run.err.contains(expected), qPrintable(run.err));
}

void TestCliCostModels::olderSchedulerWithoutCostModelStillLoads() {
    const QJsonObject written = QJsonDocument::fromJson(eenet::test::readBytes(m_maxprob)).object();
    QCOMPARE(written["cost_model"].toString(), QString("costs"));
    QVERIFY(!written.contains("serving") && !written.contains("guarantee"));
    const QString older = editedScheduler("older.json", "cost_model", QJsonValue(QJsonValue::Undefined));
    const CliRun run = runCli({"apply", older, m_sample, "--json"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject applied = jsonOf(run);
    QCOMPARE(applied["scheduler_cost_model"].toString(), QString("costs"));
    QCOMPARE(applied["cost_unit"].toString(), QString("ms"));
    QCOMPARE(applied["cost"].toDouble(), written["metrics"].toObject()["test"].toObject()["cost"].toDouble());
}

QTEST_GUILESS_MAIN(TestCliCostModels)
#include "tst_clicostmodels.moc"
