// eenet-cli's budget rules (issue 10, items 3 and 6): --serving bounds the cost per sample of batched
// serving,
// --guarantee makes the budget hold on new data; train records both, apply and run report the serving cost,
// and info lists the cost models and batch costs they use.

#include "io/PredictionsReader.h"

#include "CliRunner.h"
#include "TestData.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

class TestCliServing : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void infoListsTheCostModels();
    void servingSyncMeetsTheBudgetOnVal();
    void trainedUnderServingAppliesWithItsServingCost_data();
    void trainedUnderServingAppliesWithItsServingCost();
    void badOptions_data();
    void badOptions();
    void guaranteeKeepsTheCostBelowTheBudget();
    void runSimulatesItsOwnServingCost();

private:
    static QJsonObject jsonOf(const CliRun& run) { return QJsonDocument::fromJson(run.out).object(); }
    /// Copies the predictions file `source` to `target` with batch costs b^0.6 c_k in place of any it had,
    /// and to `plain` with none.
    QString addBatchCosts(const QString& source, const QString& target, const QString& plain) const;

    QTemporaryDir m_dir;
    const QString m_sample = eenet::test::samplePath();
    /// The sample with measured batch costs added (/exits/batch_sizes, /exits/batch_costs).
    QString m_batched;
    /// The same without batch costs.
    QString m_plain;
    /// maxprob trained on the sample at 40 % of the full cost, for apply's usage errors.
    QString m_maxprob;
};

void TestCliServing::initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY(QFile::exists(m_sample));
    m_batched = m_dir.filePath("batched.h5");
    m_plain = m_dir.filePath("plain.h5");
    const QString failure = addBatchCosts(m_sample, m_batched, m_plain);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    const auto batched = eenet::readPredictions(m_batched.toStdString());
    QCOMPARE(batched->batchCosts.batchSizes.size(), size_t(6));

    m_maxprob = m_dir.filePath("maxprob.json");
    const CliRun train =
        runCli({"train", m_sample, "--budget", "40%", "--method", "maxprob", "--out", m_maxprob});
    QVERIFY2(train.exitCode == 0, qPrintable(train.err));
}

QString TestCliServing::addBatchCosts(const QString& source, const QString& target,
                                      const QString& plain) const {
    // Batches are cheaper per sample the larger they are (b^0.6): a serving mode changes the cost. Known
    // costs, in place of the sample's measured ones, so the expected figures can be computed here.
    const QString script = m_dir.filePath("add_batch_costs.py");
    if (!eenet::test::writeBytes(script, R"(import shutil, sys
import h5py, numpy as np
source, target, plain = sys.argv[1], sys.argv[2], sys.argv[3]
shutil.copyfile(source, target)
with h5py.File(target, "r+") as f:
    costs = f["exits/costs"][:].astype(np.float64)
    sizes = np.array([1, 2, 4, 8, 16, 32], dtype=np.int32)
    for name in ("exits/batch_sizes", "exits/batch_costs", "exits/extra_costs"):  # the sample's measured ones
        if name in f:
            del f[name]
    f["exits/batch_sizes"] = sizes
    f["exits/batch_costs"] = costs[:, None] * sizes[None, :].astype(np.float64) ** 0.6
    f["exits/batch_costs"].attrs["unit"] = "ms"
# The same file without any serving costs.
shutil.copyfile(target, plain)
with h5py.File(plain, "r+") as f:
    del f["exits/batch_sizes"]
    del f["exits/batch_costs"]
)"))
        return QStringLiteral("cannot write ") + script;
    return runPython(script, {source, target, plain});
}

void TestCliServing::infoListsTheCostModels() {
    const CliRun text = runCli({"info", m_batched});
    QVERIFY2(text.exitCode == 0, qPrintable(text.err));
    QVERIFY2(text.out.contains("cost models: costs (ms), flops (MFLOPs)\n") &&
                 text.out.contains("batch costs: 6 batch sizes, 1 to 32 (ms)\n"),
             text.out.constData());
    QVERIFY(runCli({"info", m_plain}).out.contains("batch costs: none"));
    const CliRun json = runCli({"info", m_batched, "--json"});
    QCOMPARE(json.exitCode, 0);
    const QJsonObject root = jsonOf(json);
    const QJsonArray models = root["cost_models"].toArray();
    QCOMPARE(models.size(), 2);
    QCOMPARE(models[1].toObject()["name"].toString(), QString("flops"));
    const auto predictions = eenet::readPredictions(m_batched.toStdString());
    QCOMPARE(models[1].toObject()["values"].toArray()[3].toDouble(), predictions->flops[3]);
    const QJsonObject batch = root["batch_costs"].toObject();
    QCOMPARE(batch["batch_sizes"].toArray().size(), 6);
    // Row k, column j: one batch of batch_sizes[j] samples to exit k, here c_k b^0.6.
    const double expected = predictions->costs[2] * std::pow(32.0, 0.6);
    QVERIFY(std::abs(batch["values"].toArray()[2].toArray()[5].toDouble() - expected) <= 1e-12 * expected);
}

void TestCliServing::servingSyncMeetsTheBudgetOnVal() {
    const CliRun run = runCli({"evaluate", m_batched, "--serving", "sync:8", "--methods",
                               "maxprob,eenet,maxprob-opt", "--budgets", "60%", "--split", "both", "--json"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject root = jsonOf(run);
    QCOMPARE(root["serving"].toString(), QString("sync:8"));
    QCOMPARE(root["serving_unit"].toString(), QString("ms"));
    QCOMPARE(root["serving_measured"].toBool(), true);
    const auto predictions = eenet::readPredictions(m_batched.toStdString());
    // The full model's cost per sample in batches of 8 (b^0.6 / b): the budget is 60 % of it.
    const double full = predictions->costs.back() * std::pow(8.0, 0.6) / 8;
    int checked = 0;
    for (const QJsonValue& value : root["results"].toArray()) {
        const QJsonObject r = value.toObject();
        const double budget = r["budget"].toDouble();
        QVERIFY(std::abs(budget - 0.6 * full) <= 1e-9 * full);
        QVERIFY(r.contains("fitted_budget"));
        // Synchronised batches wait for their deepest sample: the same thresholds cost more per sample than
        // one at a time would suggest, so the per-sample budget fitted is below the serving budget's share.
        QVERIFY(r["serving_cost"].toDouble() > r["cost"].toDouble() * std::pow(8.0, 0.6) / 8);
        if (r["split"].toString() != "val")
            continue;
        ++checked;
        // A search maximises accuracy under the budget and may leave some of it unused.
        if (r["method"].toString().endsWith("-opt")) {
            QVERIFY(r["serving_cost"].toDouble() <= budget * (1 + 1e-9));
            continue;
        }
        QVERIFY2(std::abs(r["serving_cost"].toDouble() - budget) <= 0.005 * budget,
                 qPrintable(QString("%1: serving cost %2, budget %3")
                                .arg(r["method"].toString())
                                .arg(r["serving_cost"].toDouble())
                                .arg(budget)));
    }
    QCOMPARE(checked, 3);
}

void TestCliServing::trainedUnderServingAppliesWithItsServingCost_data() {
    QTest::addColumn<QString>("method");
    QTest::newRow("maxprob") << "maxprob";
    QTest::newRow("eenet") << "eenet";
}

void TestCliServing::trainedUnderServingAppliesWithItsServingCost() {
    QFETCH(QString, method);
    const QString scheduler = m_dir.filePath("sync8-" + method + ".json");
    const CliRun train = runCli({"train", m_batched, "--serving", "sync:8", "--budget", "60%", "--method",
                                 method, "--out", scheduler, "--json"});
    QVERIFY2(train.exitCode == 0, qPrintable(train.err));
    const QJsonObject trained = jsonOf(train);
    QVERIFY2(trained["replay"].toString().startsWith("decisions identical on 10000/10000 val"),
             qPrintable(trained["replay"].toString()));
    QCOMPARE(trained["serving"].toString(), QString("sync:8"));
    QCOMPARE(trained["budget_unit"].toString(), QString("ms"));
    const double budget = trained["budget"].toDouble();
    const QJsonObject metrics = trained["metrics"].toObject();
    const double valServing = metrics["val"].toObject()["serving_cost"].toDouble();
    QVERIFY2(std::abs(valServing - budget) <= 0.005 * budget, qPrintable(QString::number(valServing)));
    // The file keeps the cost per sample (sum_k f_k c_k, in ms) apart from the serving cost.
    const auto predictions = eenet::readPredictions(m_batched.toStdString());
    const QJsonObject val = metrics["val"].toObject();
    double perSample = 0;
    for (int k = 0; k < 4; ++k)
        perSample += val["exit_fractions"].toArray()[k].toDouble() * predictions->costs[size_t(k)];
    QVERIFY(std::abs(val["cost"].toDouble() - perSample) <= 1e-9 * perSample);
    QVERIFY(metrics["fitted_budget"].toDouble() > 0);

    const QJsonObject file = QJsonDocument::fromJson(eenet::test::readBytes(scheduler)).object();
    QCOMPARE(file["serving"].toString(), QString("sync:8"));
    QCOMPARE(file["serving_unit"].toString(), QString("ms"));
    QCOMPARE(file["budget"].toDouble(), budget);
    QVERIFY(!file.contains("guarantee"));

    // apply reports the scheduler's serving cost by default, and another mode's when asked.
    const CliRun apply = runCli({"apply", scheduler, m_batched, "--split", "val", "--json"});
    QVERIFY2(apply.exitCode == 0, qPrintable(apply.err));
    const QJsonObject applied = jsonOf(apply);
    QCOMPARE(applied["serving"].toString(), QString("sync:8"));
    QVERIFY(std::abs(applied["serving_cost"].toDouble() - valServing) <= 1e-12 * valServing);
    const CliRun compact =
        runCli({"apply", scheduler, m_batched, "--split", "val", "--serving", "compact:8", "--json"});
    QCOMPARE(compact.exitCode, 0);
    // Dropping samples that left never costs more than running the whole batch to its deepest exit.
    QVERIFY(jsonOf(compact)["serving_cost"].toDouble() < valServing);
    const CliRun text = runCli({"apply", scheduler, m_batched, "--split", "val"});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(QString::fromUtf8(text.out).contains(" ms under sync:8"), text.out.constData());
}

void TestCliServing::badOptions_data() {
    addRejectedColumns();
    for (const char* serving : {"sync", "sync:0", "sync:x", "batch:8", "compact:-2", ""})
        QTest::newRow(qPrintable(QString("--serving '%1'").arg(serving)))
            << QStringList{"evaluate", m_sample, "--methods", "maxprob", "--serving", serving} << 2
            << "--serving must be sample, sync:B or compact:B";
    for (const char* guarantee : {"0", "1", "1.5", "-0.1"})
        QTest::newRow(qPrintable(QString("--guarantee %1").arg(guarantee)))
            << QStringList{"train",       m_sample, "--budget", "40%", "--out", m_dir.filePath("g.json"),
                           "--guarantee", guarantee}
            << 2 << "--guarantee needs a confidence strictly between 0 and 1";
    QTest::newRow("--guarantee not a number")
        << QStringList{"evaluate", m_sample, "--guarantee", "high"} << 2 << "--guarantee needs a number";
    QTest::newRow("--serving on apply")
        << QStringList{"apply", m_maxprob, m_sample, "--serving", "sync:"} << 2 << "--serving must be";
    QTest::newRow("--cost without a name")
        << QStringList{"evaluate", m_sample, "--cost", ""} << 2 << "--cost needs the name of a cost model";
    QTest::newRow("--guarantee on apply") << QStringList{"apply", m_maxprob, m_sample, "--guarantee", "0.9"}
                                          << 2 << "unknown option '--guarantee'";
}

void TestCliServing::badOptions() {
    CliRun run;
    runRejectedRow(run);
}

void TestCliServing::guaranteeKeepsTheCostBelowTheBudget() {
    const auto predictions = eenet::readPredictions(m_sample.toStdString());
    const CliRun run = runCli({"evaluate", m_sample, "--guarantee", "0.95", "--methods",
                               "maxprob,maxprob-opt", "--budgets", "40%", "--split", "val", "--json"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject root = jsonOf(run);
    QCOMPARE(root["guarantee"].toDouble(), 0.95);
    const QJsonArray results = root["results"].toArray();
    QCOMPARE(results.size(), 2);
    for (const QJsonValue& value : results) {
        const QJsonObject r = value.toObject();
        const double budget = r["budget"].toDouble();
        QCOMPARE(budget, 0.4 * predictions->costs.back());
        QVERIFY2(r["cost"].toDouble() < budget, qPrintable(r["method"].toString()));
        QVERIFY(r["cost_upper_bound"].toDouble() <= budget * (1 + 1e-9));
        QVERIFY(r["cost_upper_bound"].toDouble() >= r["cost"].toDouble());
        QVERIFY(std::abs(r["margin"].toDouble() - (budget - r["cost"].toDouble())) <= 1e-9 * budget);
        // A search may leave budget unused at a per-sample budget above it; the geometric protocol spends it.
        if (r["method"].toString() == "maxprob")
            QVERIFY(r["fitted_budget"].toDouble() < budget);
        QVERIFY(r["accuracy_cost"].isDouble());
    }

    const QString scheduler = m_dir.filePath("guaranteed.json");
    const CliRun train = runCli({"train", m_sample, "--guarantee", "0.95", "--budget", "40%", "--method",
                                 "maxprob", "--out", scheduler});
    QVERIFY2(train.exitCode == 0, qPrintable(train.err));
    QVERIFY2(QString::fromUtf8(train.out).contains("with 95 % confidence the average cost on new data stays"),
             train.out.constData());
    const QJsonObject file = QJsonDocument::fromJson(eenet::test::readBytes(scheduler)).object();
    QCOMPARE(file["guarantee"].toDouble(), 0.95);
    QVERIFY(!file.contains("serving"));
    const QJsonObject metrics = file["metrics"].toObject();
    QVERIFY(metrics["cost_upper_bound"].toDouble() <= file["budget"].toDouble() * (1 + 1e-9));
    QVERIFY(metrics["val"].toObject()["cost"].toDouble() < file["budget"].toDouble());
}

void TestCliServing::runSimulatesItsOwnServingCost() {
    // A scripted multi-exit model and its predictions (tst_clirun's fixture), with batch costs added.
    QTemporaryDir dir;
    const QString error =
        runPython(QStringLiteral(EENET_SOURCE_DIR "/tests/app/make_exit_model.py"), {dir.path()});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString batched = dir.filePath("batched.h5");
    const QString failure = addBatchCosts(dir.filePath("predictions.h5"), batched, dir.filePath("plain.h5"));
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    const QString scheduler = dir.filePath("maxprob.json");
    QCOMPARE(
        runCli({"train", batched, "--budget", "0.006", "--method", "maxprob", "--out", scheduler}).exitCode,
        0);

    const CliRun run = runCli({"run", "--model", dir.filePath("model.pt"), "--scheduler", scheduler, batched,
                               "--batch", "4", "--mode", "sync", "--json"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject measured = jsonOf(run);
    QCOMPARE(measured["serving_unit"].toString(), QString("ms"));
    QCOMPARE(measured["cost_model"].toString(), QString("costs"));
    // The same decisions priced by apply under the same serving mode.
    const CliRun apply = runCli({"apply", scheduler, batched, "--serving", "sync:4", "--json"});
    QVERIFY2(apply.exitCode == 0, qPrintable(apply.err));
    const double expected = jsonOf(apply)["serving_cost"].toDouble();
    QVERIFY(expected > 0);
    QVERIFY(std::abs(measured["simulated_serving_cost"].toDouble() - expected) <= 1e-12 * expected);
    // Without batch costs there is nothing to simulate it from.
    const CliRun plain = runCli({"run", "--model", dir.filePath("model.pt"), "--scheduler", scheduler,
                                 dir.filePath("predictions.h5"), "--json"});
    QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
    QVERIFY(!jsonOf(plain).contains("simulated_serving_cost"));
}

QTEST_GUILESS_MAIN(TestCliServing)
#include "tst_cliserving.moc"
