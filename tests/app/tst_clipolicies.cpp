// eenet-cli evaluate / train / apply, end to end on the shipped sample and a synthetic file.

#include "io/PredictionsReader.h"
#include "policy/ExitData.h"

#include "CliRunner.h"
#include "TestData.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

class TestCliPolicies : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void evaluateEveryMethodAsJson();
    void evaluateTextTableAndSweep();
    void trainThenApplyReproducesTheFit_data();
    void trainThenApplyReproducesTheFit();
    void badArguments_data();
    void badArguments();
    void percentBudgetIsTheAbsoluteBudget_data();
    void percentBudgetIsTheAbsoluteBudget();
    void rangeTypedAsPrintedIsAccepted();

private:
    QTemporaryDir m_dir;
    const QString m_sample = eenet::test::samplePath();
};

void TestCliPolicies::initTestCase() {
    QVERIFY(QFile::exists(m_sample));
}

void TestCliPolicies::evaluateEveryMethodAsJson() {
    const auto predictions = eenet::readPredictions(m_sample.toStdString());
    const double c1 = predictions->costs.front();
    const double cK = predictions->costs.back();
    const double budget = c1 + 0.4 * (cK - c1);
    const CliRun run =
        runCli({"evaluate", m_sample, "--methods",
                "eenet,eenet-opt,maxprob,entropy,patience,agreement,maxprob-opt,entropy-opt,oracle,static",
                "--budgets", QString::number(budget, 'g', 17), "--split", "both", "--json"});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject root = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(root["cost_unit"].toString(), QString::fromStdString(predictions->costUnit));
    const QJsonArray results = root["results"].toArray();
    // 9 budgeted methods x 2 splits + K static exits x 2 splits.
    QCOMPARE(results.size(), 9 * 2 + predictions->numExits * 2);
    QMap<QString, double> valAccuracy;
    for (const QJsonValue& value : results) {
        const QJsonObject r = value.toObject();
        const QString method = r["method"].toString();
        QCOMPARE(r["exit_fractions"].toArray().size(), predictions->numExits);
        QCOMPARE(r["per_exit_accuracy"].toArray().size(), predictions->numExits);
        double total = 0;
        for (const QJsonValue& f : r["exit_fractions"].toArray())
            total += f.toDouble();
        QVERIFY(std::abs(total - 1) < 1e-9);
        if (method.startsWith("exit-")) {
            QVERIFY(r["budget"].isNull());
            continue;
        }
        QCOMPARE(r["budget"].toDouble(), budget);
        if (r["split"].toString() == "val") {
            valAccuracy[method] = r["accuracy"].toDouble();
            // Every budgeted method honours the budget on the validation split (paper-protocol heuristics
            // may overshoot through ties; EENet is budget-matched, searches stay below).
            if (method == "eenet")
                QVERIFY2(std::abs(r["cost"].toDouble() - budget) <= 0.005 * budget, qPrintable(method));
            if (method.endsWith("-opt") || method == "oracle")
                QVERIFY2(r["cost"].toDouble() <= budget * (1 + 1e-9), qPrintable(method));
        }
        if (method == "eenet" || method == "maxprob")
            QCOMPARE(r["thresholds"].toArray().last().toString(), QString("-inf"));
    }
    for (const QString& method : valAccuracy.keys())
        QVERIFY2(valAccuracy["oracle"] >= valAccuracy[method], qPrintable(method));
    QVERIFY(valAccuracy["maxprob-opt"] >= valAccuracy["maxprob"] - 1e-9);
}

void TestCliPolicies::evaluateTextTableAndSweep() {
    const CliRun run =
        runCli({"evaluate", m_sample, "--methods", "maxprob,oracle", "--sweep", "4", "--split", "val"});
    QCOMPARE(run.exitCode, 0);
    const QString text = QString::fromUtf8(run.out);
    QVERIFY(text.contains("method"));
    QCOMPARE(text.count(QRegularExpression("^maxprob ", QRegularExpression::MultilineOption)), 4);
    QCOMPARE(text.count(QRegularExpression("^oracle ", QRegularExpression::MultilineOption)), 4);
}

void TestCliPolicies::trainThenApplyReproducesTheFit_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("extension");
    QTest::newRow("eenet json") << "eenet"
                                << "json";
    QTest::newRow("eenet torchscript") << "eenet"
                                       << "pt";
    QTest::newRow("maxprob-opt json") << "maxprob-opt"
                                      << "json";
    QTest::newRow("patience torchscript") << "patience"
                                          << "pt";
}

void TestCliPolicies::trainThenApplyReproducesTheFit() {
    QFETCH(QString, method);
    QFETCH(QString, extension);
    const auto predictions = eenet::readPredictions(m_sample.toStdString());
    const double budget = 0.5 * (predictions->costs.front() + predictions->costs.back());
    const QString scheduler = m_dir.filePath(method + "." + extension);
    const CliRun train = runCli({"train", m_sample, "--budget", QString::number(budget, 'g', 17), "--method",
                                 method, "--out", scheduler, "--seed", "3", "--json"});
    QCOMPARE(train.exitCode, 0);
    const QJsonObject trained = QJsonDocument::fromJson(train.out).object();
    QCOMPARE(trained["policy"].toString(), method);
    // The written file was reloaded and replayed before it replaced the target.
    QCOMPARE(trained["replay"].toString(),
             QStringLiteral("decisions identical on %1/%1 val and %2/%2 test samples")
                 .arg(predictions->val.numSamples)
                 .arg(predictions->test->numSamples));
    const QJsonObject metrics = trained["metrics"].toObject();

    for (const QString split : {"val", "test"}) {
        const QString decisions = m_dir.filePath(split + ".csv");
        const CliRun apply =
            runCli({"apply", scheduler, m_sample, "--split", split, "--decisions", decisions, "--json"});
        QCOMPARE(apply.exitCode, 0);
        const QJsonObject applied = QJsonDocument::fromJson(apply.out).object();
        QCOMPARE(applied["accuracy"].toDouble(), metrics[split].toObject()["accuracy"].toDouble());
        QCOMPARE(applied["cost"].toDouble(), metrics[split].toObject()["cost"].toDouble());

        QFile csv(decisions);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        const auto& data = split == "val" ? predictions->val : *predictions->test;
        QCOMPARE(lines.size(), data.numSamples + 1);
        QCOMPARE(lines.front(), QByteArray("index,exit,prediction"));
        const eenet::ExitData exitData = eenet::makeExitData(*predictions, data);
        int correct = 0;
        for (int i = 0; i < data.numSamples; ++i) {
            const QList<QByteArray> fields = lines[i + 1].split(',');
            QCOMPARE(fields[0].toInt(), i);
            const int exit = fields[1].toInt();
            QVERIFY(exit >= 0 && exit < predictions->numExits);
            QCOMPARE(fields[2].toInt(), exitData.predictions(exit, i));
            correct += fields[2].toInt() == data.labels[size_t(i)];
        }
        QVERIFY(std::abs(100.0 * correct / data.numSamples - applied["accuracy"].toDouble()) < 1e-9);
    }
}

void TestCliPolicies::badArguments_data() {
    addRejectedColumns();
    QTest::newRow("unknown method") << QStringList{"evaluate", m_sample, "--methods", "magic"} << 2
                                    << "unknown method 'magic'";
    const auto predictions = eenet::readPredictions(m_sample.toStdString());
    const double c1 = predictions->costs.front();
    const double cK = predictions->costs.back();
    const QString unit = QString::fromStdString(predictions->costUnit);
    auto g = [](double value) { return QString::number(value, 'g', 6); };
    // The valid range in the file's unit and in percent of the full cost (lowest share rounded up).
    const QString range =
        QStringLiteral("outside the valid range [%1, %2] %3 = [%4 %, 100 %] of the full cost")
            .arg(g(c1), g(cK), unit, QString::number(std::ceil(10000 * c1 / cK) / 100, 'g', 4));
    QTest::newRow("budget below c_1")
        << QStringList{"evaluate", m_sample, "--methods", "maxprob", "--budgets", "0.000001"} << 1
        << QStringLiteral("--budgets 0.000001: 1e-06 %1 (%2 % of the full cost) is %3")
               .arg(unit, QString::number(1e-4 / cK, 'g', 4), range);
    QTest::newRow("percent below c_1")
        << QStringList{"evaluate", m_sample, "--methods", "maxprob", "--budgets", "40%,5%"} << 1
        << QStringLiteral("--budgets 5%: 5 % of the full cost %1 %2 is %3 %2, %4")
               .arg(g(cK), unit, g(0.05 * cK), range);
    QTest::newRow("percent above 100")
        << QStringList{"train",    m_sample,  "--budget", "100.5%",
                       "--method", "maxprob", "--out",    m_dir.filePath("above.json")}
        << 1
        << QStringLiteral("--budget 100.5%: 100.5 % of the full cost %1 %2 is %3 %2, %4")
               .arg(g(cK), unit, g(1.005 * cK), range);
    QTest::newRow("percent not a number")
        << QStringList{"train", m_sample, "--budget", "forty%", "--out", m_dir.filePath("x.json")} << 2
        << "--budget needs a cost in the file's unit or a percentage of the full cost (40%), got 'forty%'";
    QTest::newRow("percent list not numbers")
        << QStringList{"evaluate", m_sample, "--budgets", "40%,%"} << 2
        << "--budgets needs comma-separated costs in the file's unit or percentages of the full cost";
    QTest::newRow("budgets and sweep")
        << QStringList{"evaluate", m_sample, "--budgets", "1", "--sweep", "3"} << 2 << "not both";
    QTest::newRow("bad split") << QStringList{"evaluate", m_sample, "--split", "train"} << 2 << "--split";
    QTest::newRow("train the oracle")
        << QStringList{"train", m_sample, "--budget", "0.2", "--method", "oracle", "--out", "x.json"} << 2
        << "policy a deployment can run";
    QTest::newRow("train without budget")
        << QStringList{"train", m_sample, "--out", "x.json"} << 2 << "missing --budget";
    QTest::newRow("apply missing scheduler")
        << QStringList{"apply", "/nonexistent/s.json", m_sample} << 1 << "no such file";
}

void TestCliPolicies::badArguments() {
    CliRun run;
    runRejectedRow(run);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(run.out.isEmpty());
    QVERIFY(!QFile::exists(m_dir.filePath("above.json")));
}

namespace {

/// A result without what varies between identical runs (fitting time).
QJsonObject withoutTimes(QJsonObject object) {
    object.remove("train_seconds");
    return object;
}

} // namespace

void TestCliPolicies::percentBudgetIsTheAbsoluteBudget_data() {
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("method");
    QTest::addColumn<double>("percent");
    QTest::newRow("evaluate maxprob 40%") << "evaluate"
                                          << "maxprob" << 40.0;
    QTest::newRow("evaluate eenet,maxprob-opt,oracle 40%") << "evaluate"
                                                           << "eenet,maxprob-opt,oracle" << 40.0;
    QTest::newRow("evaluate maxprob 100%") << "evaluate"
                                           << "maxprob" << 100.0;
    QTest::newRow("train maxprob-opt 40%") << "train"
                                           << "maxprob-opt" << 40.0;
    QTest::newRow("train eenet 40%") << "train"
                                     << "eenet" << 40.0;
}

void TestCliPolicies::percentBudgetIsTheAbsoluteBudget() {
    QFETCH(QString, command);
    QFETCH(QString, method);
    QFETCH(double, percent);
    const auto predictions = eenet::readPredictions(m_sample.toStdString());
    const double absolute = percent / 100.0 * predictions->costs.back();
    const QString share = QString::number(percent) + "%";
    QJsonObject results[2];
    int i = 0;
    for (const QString& budget : {share, QString::number(absolute, 'g', 17)}) {
        QStringList arguments{command,
                              m_sample,
                              "--method" + QString(command == "evaluate" ? "s" : ""),
                              method,
                              command == "evaluate" ? "--budgets" : "--budget",
                              budget,
                              "--json"};
        if (command == "train")
            arguments << "--out" << m_dir.filePath(QString("percent%1.json").arg(i));
        const CliRun run = runCli(arguments);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        results[i++] = QJsonDocument::fromJson(run.out).object();
    }
    if (command == "evaluate") {
        const QJsonArray byShare = results[0]["results"].toArray();
        const QJsonArray byCost = results[1]["results"].toArray();
        QVERIFY(!byShare.isEmpty());
        QCOMPARE(byShare.size(), byCost.size());
        for (int r = 0; r < byShare.size(); ++r) {
            QCOMPARE(byShare[r]["budget"].toDouble(), absolute);
            QCOMPARE(withoutTimes(byShare[r].toObject()), withoutTimes(byCost[r].toObject()));
        }
        return;
    }
    QCOMPARE(results[0]["budget"].toDouble(), absolute);
    QCOMPARE(results[1]["budget"].toDouble(), absolute);
    QCOMPARE(withoutTimes(results[0]["metrics"].toObject()), withoutTimes(results[1]["metrics"].toObject()));
    // Same budget, same seed: the same scheduler, threshold for threshold.
    const QJsonObject first =
        QJsonDocument::fromJson(eenet::test::readBytes(m_dir.filePath("percent0.json"))).object();
    const QJsonObject second =
        QJsonDocument::fromJson(eenet::test::readBytes(m_dir.filePath("percent1.json"))).object();
    for (const char* key : {"budget", "score", "features", "exits"}) {
        QVERIFY2(first.contains(key), key);
        QCOMPARE(first[key], second[key]);
    }
}

void TestCliPolicies::rangeTypedAsPrintedIsAccepted() {
    // The range an out-of-range message prints (6 significant digits) is accepted when typed back.
    const auto predictions = eenet::readPredictions(m_sample.toStdString());
    const double c1 = predictions->costs.front();
    const double cK = predictions->costs.back();
    const CliRun run = runCli({"evaluate", m_sample, "--methods", "maxprob", "--split", "val", "--json",
                               "--budgets", QString::number(c1, 'g', 6) + "," + QString::number(cK, 'g', 6)});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonArray results = QJsonDocument::fromJson(run.out).object()["results"].toArray();
    QCOMPARE(results.size(), 2);
    QCOMPARE(results[0]["budget"].toDouble(), c1);
    QCOMPARE(results[1]["budget"].toDouble(), cK);
}

QTEST_GUILESS_MAIN(TestCliPolicies)
#include "tst_clipolicies.moc"
