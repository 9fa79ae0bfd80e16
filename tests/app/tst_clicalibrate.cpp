#include "eval/CalibrationSummary.h"
#include "io/PredictionsReader.h"
#include "io/PredictionsWriter.h"
#include "io/SchedulerFile.h"
#include "io/TorchScriptPolicy.h"

#include "CliRunner.h"
#include "TestData.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace eenet;

/// `eenet-cli calibrate` and `evaluate|report|train --calibrate temperature` on the shipped sample: the
/// JSON's shape, its numbers against the library's, what calibration changes in evaluate and what it must
/// not, and a calibrated scheduler that `apply` runs on the model's own probabilities.
class TestCliCalibrate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void helpListsCalibrate();
    void jsonShapeAndNumbersOnTheSample();
    void textTableOnTheSample();
    void aFileWithoutTestHasNullTest();
    void anExitRightEverywhereStopsAtTheEdge();
    void evaluateOnCalibratedProbabilities();
    void reportSaysItIsCalibrated();
    void trainedSchedulerCarriesTheTemperatures_data();
    void trainedSchedulerCarriesTheTemperatures();
    void trainAndApplySayTheyAreCalibrated();
    void rejected_data();
    void rejected();

private:
    QJsonObject evaluateJson(const QStringList& extra) const;

    QTemporaryDir m_dir;
    QString m_sample;
};

namespace {

const char* const kMetrics[] = {"ece", "mce", "nll", "brier"};

double metricOf(const CalibrationMetrics& m, const QString& name) {
    return name == "ece" ? m.ece : name == "mce" ? m.mce : name == "nll" ? m.nll : m.brier;
}

} // namespace

void TestCliCalibrate::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_sample = test::samplePath();
}

void TestCliCalibrate::helpListsCalibrate() {
    const CliRun help = runCli({"help"});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("  eenet-cli calibrate FILE [--json]\n"));
    QVERIFY(help.out.contains("[--calibrate temperature]"));
    QVERIFY(runCli({"report", "--help"}).out.contains("--calibrate temperature"));
    QVERIFY(runCli({"train", "--help"}).out.contains("[--calibrate temperature]"));
    const CliRun own = runCli({"calibrate", "--help"});
    QCOMPARE(own.exitCode, 0);
    QVERIFY(own.out.startsWith("usage: eenet-cli calibrate FILE [--json]\n"));
    QVERIFY(own.out.contains("--json"));
    const CliRun evaluate = runCli({"evaluate", "--help"});
    QVERIFY(evaluate.out.contains("--calibrate temperature"));
}

void TestCliCalibrate::jsonShapeAndNumbersOnTheSample() {
    const CliRun run = runCli({"calibrate", m_sample, "--json"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.err.isEmpty());
    const QJsonObject root = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(root["file"].toString(), m_sample);
    QCOMPARE(root["reliability_bins"].toInt(), 15);
    const QJsonArray exits = root["exits"].toArray();
    QCOMPARE(exits.size(), 4);

    const auto predictions = readPredictions(m_sample.toStdString());
    const CalibrationSummary expected = summarizeCalibration(*predictions);
    // The sample's temperatures, as docs/performance.md lists them: early exits underconfident (T < 1), the
    // last one overconfident.
    const double temperatures[] = {0.7695, 0.7836, 0.8396, 1.3092};
    for (int k = 0; k < 4; ++k) {
        const QJsonObject exit = exits[k].toObject();
        const ExitCalibration& want = expected.exits[size_t(k)];
        QCOMPARE(exit["exit"].toInt(), k + 1);
        QCOMPARE(exit["name"].toString(), QString::fromStdString(predictions->exitNames[size_t(k)]));
        QCOMPARE(exit["temperature"].toDouble(), want.fit.temperature);
        QVERIFY(std::abs(exit["temperature"].toDouble() - temperatures[k]) < 5e-5);
        QCOMPARE(exit["temperature_at_bound"].toBool(), false);
        for (const char* side : {"before", "after"}) {
            for (const char* split : {"val", "test"}) {
                const BeforeAfter& pair = QString(split) == "val" ? want.val : *want.test;
                const CalibrationMetrics& m = QString(side) == "before" ? pair.before : pair.after;
                const QJsonObject metrics = exit[side].toObject()[split].toObject();
                QCOMPARE(metrics.keys(), QStringList({"brier", "ece", "mce", "nll"}));
                for (const char* name : kMetrics)
                    QCOMPARE(metrics[name].toDouble(), metricOf(m, name));
                // ECE and MCE are fractions, not percentages.
                QVERIFY(metrics["ece"].toDouble() >= 0 &&
                        metrics["ece"].toDouble() <= metrics["mce"].toDouble());
                QVERIFY(metrics["mce"].toDouble() <= 1);
            }
        }
        const QJsonObject before = exit["before"].toObject()["val"].toObject();
        const QJsonObject after = exit["after"].toObject()["val"].toObject();
        QVERIFY(after["nll"].toDouble() <= before["nll"].toDouble());
        // On the sample temperature scaling cuts every exit's validation ECE at least in half.
        QVERIFY(after["ece"].toDouble() < 0.5 * before["ece"].toDouble());
    }
}

void TestCliCalibrate::textTableOnTheSample() {
    const CliRun run = runCli({"calibrate", m_sample});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QString text = QString::fromUtf8(run.out);
    QVERIFY(text.startsWith("file: " + m_sample + "\n"));
    QVERIFY(text.contains("as fractions (0..1)"));
    const QStringList lines = text.split('\n', Qt::SkipEmptyParts);
    const auto predictions = readPredictions(m_sample.toStdString());
    const CalibrationSummary expected = summarizeCalibration(*predictions);
    for (int k = 0; k < 4; ++k) {
        const ExitCalibration& e = expected.exits[size_t(k)];
        const QString valRow = QString("%1 %2 %3 val %4")
                                   .arg(k + 1)
                                   .arg(QString::fromStdString(predictions->exitNames[size_t(k)]))
                                   .arg(e.fit.temperature, 0, 'f', 4)
                                   .arg(e.val.before.ece, 0, 'f', 4);
        const QString testRow =
            QString("test %1 %2").arg(e.test->before.ece, 0, 'f', 4).arg(e.test->after.ece, 0, 'f', 4);
        bool valFound = false;
        bool testFound = false;
        for (const QString& line : lines) {
            const QString simple = line.simplified();
            valFound = valFound || simple.startsWith(valRow);
            testFound = testFound || simple.startsWith(testRow);
        }
        QVERIFY2(valFound, qPrintable(valRow + "\n" + text));
        QVERIFY2(testFound, qPrintable(testRow + "\n" + text));
    }
    QVERIFY(!text.contains("note:"));
}

void TestCliCalibrate::aFileWithoutTestHasNullTest() {
    const QString file = test::writeSynthetic(m_dir.filePath("val-only.h5"), {3, 5, 400, 0, 4});
    const CliRun json = runCli({"calibrate", file, "--json"});
    QVERIFY2(json.exitCode == 0, qPrintable(json.err));
    const QJsonArray exits = QJsonDocument::fromJson(json.out).object()["exits"].toArray();
    QCOMPARE(exits.size(), 3);
    for (const QJsonValue& exit : exits) {
        for (const char* side : {"before", "after"}) {
            QVERIFY(exit[side]["test"].isNull());
            QVERIFY(exit[side]["val"]["nll"].isDouble());
        }
    }
    const CliRun text = runCli({"calibrate", file});
    QCOMPARE(text.exitCode, 0);
    QVERIFY(!text.out.contains(" test "));
}

void TestCliCalibrate::anExitRightEverywhereStopsAtTheEdge() {
    // The last exit is one-hot on the label for every sample: its NLL keeps falling as T goes to 0.
    Predictions p = makeSyntheticPredictions({2, 3, 60, 0, 8});
    for (int i = 0; i < p.val.numSamples; ++i)
        for (int c = 0; c < 3; ++c)
            p.val.probs[size_t((60 + i) * 3 + c)] = c == p.val.labels[size_t(i)] ? 1.0f : 0.0f;
    const QString file = m_dir.filePath("right-everywhere.h5");
    writePredictions(file.toStdString(), p);
    const CliRun json = runCli({"calibrate", file, "--json"});
    QVERIFY2(json.exitCode == 0, qPrintable(json.err));
    const QJsonArray exits = QJsonDocument::fromJson(json.out).object()["exits"].toArray();
    QCOMPARE(exits[0]["temperature_at_bound"].toBool(), false);
    QCOMPARE(exits[1]["temperature_at_bound"].toBool(), true);
    QCOMPARE(exits[1]["temperature"].toDouble(), 0.01);
    const CliRun text = runCli({"calibrate", file});
    QVERIFY2(text.out.endsWith("note: exit 2's validation NLL still falls at T = 0.01, the edge of the range "
                               "searched [0.01, 100]; its best temperature lies beyond\n"),
             text.out.constData());
}

QJsonObject TestCliCalibrate::evaluateJson(const QStringList& extra) const {
    const CliRun run = runCli(QStringList{"evaluate", m_sample, "--methods", "maxprob,oracle,static",
                                          "--budgets", "30%", "--json"} +
                              extra);
    if (run.exitCode != 0)
        qWarning("%s", qPrintable(run.err));
    return QJsonDocument::fromJson(run.out).object();
}

void TestCliCalibrate::evaluateOnCalibratedProbabilities() {
    const QJsonObject plain = evaluateJson({});
    const QJsonObject calibrated = evaluateJson({"--calibrate", "temperature"});
    QCOMPARE(plain["calibration"].toString(), QString("none"));
    QVERIFY(!plain.contains("temperatures"));
    QCOMPARE(calibrated["calibration"].toString(), QString("temperature"));
    const QJsonArray temperatures = calibrated["temperatures"].toArray();
    const auto predictions = readPredictions(m_sample.toStdString());
    const std::vector<TemperatureFit> fits = fitTemperatures(*predictions);
    QCOMPARE(temperatures.size(), 4);
    for (int k = 0; k < 4; ++k)
        QCOMPARE(temperatures[k].toDouble(), fits[size_t(k)].temperature);

    const QJsonArray before = plain["results"].toArray();
    const QJsonArray after = calibrated["results"].toArray();
    QCOMPARE(after.size(), before.size());
    bool maxprobMoved = false;
    for (int r = 0; r < before.size(); ++r) {
        const QJsonObject b = before[r].toObject();
        const QJsonObject a = after[r].toObject();
        QCOMPARE(a["method"], b["method"]);
        QCOMPARE(a["split"], b["split"]);
        if (b["method"].toString() == "maxprob") {
            // Thresholds are read off calibrated max probabilities: they differ.
            maxprobMoved = maxprobMoved || a["thresholds"] != b["thresholds"];
        } else {
            // The oracle and each exit alone depend only on which class each exit predicts, which
            // temperature scaling never changes.
            QCOMPARE(a["accuracy"].toDouble(), b["accuracy"].toDouble());
            QCOMPARE(a["exit_fractions"], b["exit_fractions"]);
        }
    }
    QVERIFY(maxprobMoved);

    const CliRun text = runCli({"evaluate", m_sample, "--methods", "oracle", "--budgets", "30%",
                                "--calibrate", "temperature", "--split", "val"});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(
        text.out.contains("calibration: temperature scaling fitted on val, T = 0.7695 0.7836 0.8396 1.3092"),
        text.out.constData());
}

void TestCliCalibrate::reportSaysItIsCalibrated() {
    const QString html = m_dir.filePath("calibrated.html");
    const CliRun run = runCli({"report", m_sample, "--method", "maxprob", "--budget", "40%", "--calibrate",
                               "temperature", "--out", html});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.startsWith("calibration: temperature scaling fitted on val, T = 0.7695 0.7836 0.8396 "
                                "1.3092 (exits 1..4)\nwrote "),
             run.out.constData());
    // The file section lists the temperatures among the load notes.
    QVERIFY(test::readBytes(html).contains("<dt>note</dt><dd>probabilities temperature-scaled per exit "
                                           "(--calibrate temperature), T = 0.7695 0.7836 0.8396 1.3092 for "
                                           "exits 1..4, fitted on the validation split</dd>"));
}

namespace {

/// The exit column of a decisions CSV.
std::vector<int> exitsOf(const QByteArray& csv) {
    std::vector<int> exits;
    const QList<QByteArray> lines = csv.trimmed().split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i)
        exits.push_back(lines[i].split(',')[1].toInt());
    return exits;
}

} // namespace

void TestCliCalibrate::trainedSchedulerCarriesTheTemperatures_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("extension");
    QTest::newRow("maxprob json") << "maxprob"
                                  << "json";
    QTest::newRow("entropy-opt json") << "entropy-opt"
                                      << "json";
    QTest::newRow("eenet torchscript") << "eenet"
                                       << "pt";
}

void TestCliCalibrate::trainedSchedulerCarriesTheTemperatures() {
    QFETCH(QString, method);
    QFETCH(QString, extension);
    const QString scheduler = m_dir.filePath("calibrated-" + method + "." + extension);
    const CliRun train = runCli({"train", m_sample, "--budget", "40%", "--method", method, "--calibrate",
                                 "temperature", "--out", scheduler, "--seed", "3", "--json"});
    QVERIFY2(train.exitCode == 0, qPrintable(train.err));
    const QJsonObject trained = QJsonDocument::fromJson(train.out).object();
    QCOMPARE(trained["calibration"].toString(), QString("temperature"));
    const auto predictions = readPredictions(m_sample.toStdString());
    const std::vector<double> fitted = temperaturesOf(fitTemperatures(*predictions));
    const QJsonArray printed = trained["temperatures"].toArray();
    QCOMPARE(printed.size(), 4);
    for (int k = 0; k < 4; ++k)
        QCOMPARE(printed[k].toDouble(), fitted[size_t(k)]);
    // Replayed on the file's own probabilities, the scheduler applying its temperatures.
    QCOMPARE(trained["replay"].toString(),
             QString("decisions identical on 10000/10000 val and 10000/10000 test samples"));
    const std::string path = scheduler.toStdString();
    const SchedulerFile file =
        extension == "pt" ? schedulerFromJson(QByteArray::fromStdString(readTorchScriptMetadata(path)), path)
                          : readSchedulerFile(path);
    QCOMPARE(file.temperatures, fitted);

    // apply on the file's own probabilities takes the decisions the policy takes on the calibrated ones.
    const Predictions scaled = temperatureScaled(*predictions, fitted);
    DeployedPolicy onScaled = file.deployedPolicy();
    onScaled.temperatures.clear();
    const QJsonObject metrics = trained["metrics"].toObject();
    for (const QString split : {"val", "test"}) {
        const QString decisions = m_dir.filePath(method + "-" + split + ".csv");
        const CliRun apply =
            runCli({"apply", scheduler, m_sample, "--split", split, "--decisions", decisions, "--json"});
        QVERIFY2(apply.exitCode == 0, qPrintable(apply.err));
        const QJsonObject applied = QJsonDocument::fromJson(apply.out).object();
        QCOMPARE(applied["accuracy"].toDouble(), metrics[split].toObject()["accuracy"].toDouble());
        QCOMPARE(applied["cost"].toDouble(), metrics[split].toObject()["cost"].toDouble());
        QCOMPARE(applied["temperatures"].toArray(), printed);
        QCOMPARE(exitsOf(test::readBytes(decisions)),
                 onScaled.exits(split == "val" ? scaled.val : *scaled.test));
    }
    if (extension == "pt")
        return;
    // Without its temperatures the same scheduler decides otherwise: apply did use them.
    QJsonObject stripped = QJsonDocument::fromJson(test::readBytes(scheduler)).object();
    stripped.remove("temperatures");
    const QString strippedPath = m_dir.filePath("stripped-" + method + ".json");
    QVERIFY(test::writeBytes(strippedPath, QJsonDocument(stripped).toJson()));
    const QString strippedCsv = m_dir.filePath("stripped-" + method + ".csv");
    const CliRun apply = runCli({"apply", strippedPath, m_sample, "--decisions", strippedCsv});
    QVERIFY2(apply.exitCode == 0, qPrintable(apply.err));
    QVERIFY(exitsOf(test::readBytes(strippedCsv)) !=
            exitsOf(test::readBytes(m_dir.filePath(method + "-test.csv"))));
}

void TestCliCalibrate::trainAndApplySayTheyAreCalibrated() {
    const QString scheduler = m_dir.filePath("said.json");
    const char* line =
        "calibration: temperature scaling fitted on val, T = 0.7695 0.7836 0.8396 1.3092 (exits 1..4)\n";
    const CliRun train = runCli({"train", m_sample, "--budget", "40%", "--method", "maxprob", "--calibrate",
                                 "temperature", "--out", scheduler});
    QVERIFY2(train.exitCode == 0, qPrintable(train.err));
    QVERIFY2(train.out.startsWith(QByteArray(line) + "fitted maxprob for budget "), train.out.constData());
    QVERIFY2(train.out.contains("\ndecisions identical on 10000/10000 val and 10000/10000 test samples\n"),
             train.out.constData());
    const CliRun apply = runCli({"apply", scheduler, m_sample});
    QVERIFY2(apply.exitCode == 0, qPrintable(apply.err));
    QVERIFY2(apply.out.contains("\n" + QByteArray(line) + "test: accuracy "), apply.out.constData());
    // Without the option nothing says so, and the JSON says "none".
    const CliRun plain = runCli({"train", m_sample, "--budget", "40%", "--method", "maxprob", "--out",
                                 m_dir.filePath("plain.json"), "--json"});
    QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
    const QJsonObject json = QJsonDocument::fromJson(plain.out).object();
    QCOMPARE(json["calibration"].toString(), QString("none"));
    QVERIFY(!json.contains("temperatures"));
    QVERIFY(!readSchedulerFile(m_dir.filePath("plain.json").toStdString()).toJson().contains("temperatures"));
}

void TestCliCalibrate::rejected_data() {
    addRejectedColumns();
    const QString sample = test::samplePath();
    QTest::newRow("no file") << QStringList{"calibrate"} << 2 << "missing FILE";
    QTest::newRow("two files") << QStringList{"calibrate", sample, sample} << 2 << "unexpected argument";
    QTest::newRow("unknown option") << QStringList{"calibrate", sample, "--split", "val"} << 2
                                    << "unknown option '--split'";
    QTest::newRow("usage shown") << QStringList{"calibrate", "--bogus"} << 2
                                 << "usage: eenet-cli calibrate FILE [--json]";
    QTest::newRow("missing file") << QStringList{"calibrate", "/no/such/file.h5"} << 1 << "/no/such/file.h5";
    QTest::newRow("evaluate, unknown calibration") << QStringList{"evaluate", sample, "--calibrate", "platt"}
                                                   << 2 << "--calibrate must be temperature, got 'platt'";
    QTest::newRow("evaluate, calibration without value")
        << QStringList{"evaluate", sample, "--calibrate"} << 2 << "option --calibrate needs a value";
    QTest::newRow("report, unknown calibration")
        << QStringList{"report", sample, "--budget", "40%", "--out", "x.html", "--calibrate", "histogram"}
        << 2 << "--calibrate must be temperature, got 'histogram'";
    QTest::newRow("train, unknown calibration")
        << QStringList{"train", sample, "--budget", "40%", "--out", "x.json", "--calibrate", "platt"} << 2
        << "--calibrate must be temperature, got 'platt'";
}

void TestCliCalibrate::rejected() {
    CliRun run;
    runRejectedRow(run);
    QVERIFY(run.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestCliCalibrate)
#include "tst_clicalibrate.moc"
