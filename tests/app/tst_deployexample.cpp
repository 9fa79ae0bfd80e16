#include "CliRunner.h"
#include "TestData.h"

#include "eval/TemperatureScaling.h"
#include "io/PredictionsReader.h"
#include "io/PredictionsWriter.h"
#include "io/SchedulerFile.h"
#include "io/TorchScriptPolicy.h"
#include "policy/DeployedPolicy.h"
#include "policy/EENetTrainer.h"
#include "policy/ThresholdSolver.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <set>

using namespace eenet;

namespace {

using Score = DeployedPolicy::Score;

/// Runs examples/apply_scheduler.py; returns its stderr (empty on success) or why it failed.
QString runExample(const QStringList& arguments) {
    return runPython(QStringLiteral(EENET_SOURCE_DIR "/examples/apply_scheduler.py"), arguments);
}

} // namespace

/// examples/apply_scheduler.py, the deployment engineers' reference, decides exactly as `eenet-cli apply`
/// for every score type, from the JSON scheduler (NumPy only) and from the TorchScript one, also for a
/// scheduler fitted on temperature-scaled probabilities and fed the model's own.
class TestDeployExample : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void exampleMatchesTheCli_data();
    void exampleMatchesTheCli();
    void roundingTiesAreRaisedAsInTheStudio();

private:
    QTemporaryDir m_dir;
    QString m_predictionsPath;
    std::shared_ptr<const Predictions> m_predictions;
    /// m_predictions scaled by the temperatures fitted on their validation split.
    Predictions m_scaled;
};

void TestDeployExample::initTestCase() {
    QProcess probe;
    probe.start(QStringLiteral(EENET_PYTHON),
                {QStringLiteral("-c"), QStringLiteral("import h5py, numpy, torch")});
    if (!probe.waitForFinished(120000) || probe.exitStatus() != QProcess::NormalExit || probe.exitCode() != 0)
        // scripts/setup.sh installs python3-h5py, python3-numpy and python3-torch: their absence is a
        // failure.
        QFAIL(EENET_PYTHON " cannot import h5py, numpy and torch: run scripts/setup.sh");
    QVERIFY(m_dir.isValid());
    m_predictionsPath = m_dir.filePath(QStringLiteral("synthetic.h5"));
    test::writeSynthetic(m_predictionsPath, {4, 10, 2000, 1000, 7});
    m_predictions = readPredictions(m_predictionsPath.toStdString());
    m_scaled = temperatureScaled(*m_predictions, temperaturesOf(fitTemperatures(*m_predictions)));
}

void TestDeployExample::exampleMatchesTheCli_data() {
    QTest::addColumn<int>("score");
    QTest::addColumn<bool>("calibrated");
    for (bool calibrated : {false, true})
        for (Score score : {Score::EENet, Score::MaxProb, Score::Entropy, Score::Patience, Score::Agreement})
            QTest::newRow(((calibrated ? "calibrated " : "") + scoreName(score)).c_str())
                << static_cast<int>(score) << calibrated;
}

void TestDeployExample::exampleMatchesTheCli() {
    QFETCH(int, score);
    QFETCH(bool, calibrated);
    // Fitted on p; the CLI and the example read the file, the model's own probabilities.
    const Predictions& p = calibrated ? m_scaled : *m_predictions;
    const double budget = test::budgetAt(p, 0.3);
    DeployedPolicy policy;
    policy.score = static_cast<Score>(score);
    policy.numExits = p.numExits;
    policy.numClasses = p.numClasses;
    if (policy.score == Score::EENet) {
        EENetOptions options;
        options.seed = 11;
        policy.eenet = trainEENet(p, budget, options).scheduler;
        policy.thresholds = exportThresholds(policy.eenet.thresholds);
    } else {
        policy.eenet = EENetScheduler::maxProbInitialised(p.numExits, p.numClasses);
        policy.thresholds = exportThresholds(thresholdsFromDistribution(
            policy.scores(p.val), geometricDistributionForBudget(p.costs, budget)));
    }
    policy.eenet.thresholds = policy.thresholds;
    policy.eenet.budget = budget;
    policy.temperatures = p.temperatures;

    const QString name =
        QString(calibrated ? "calibrated-" : "") + QString::fromStdString(scoreName(policy.score));
    SchedulerFile file;
    file.policy = name.toStdString();
    file.score = policy.score;
    file.scheduler = policy.eenet;
    file.costs = p.costs;
    file.costUnit = p.costUnit;
    file.temperatures = p.temperatures;
    const QString json = m_dir.filePath(name + QStringLiteral(".json"));
    writeSchedulerFile(json.toStdString(), file);
    const QString pt = m_dir.filePath(name + QStringLiteral(".pt"));
    writeTorchScriptPolicy(pt.toStdString(), policy, R"({"budget": )" + std::to_string(budget) + "}");

    const QString cliCsv = m_dir.filePath(name + QStringLiteral("_cli.csv"));
    const CliRun cli = runCli({QStringLiteral("apply"), json, m_predictionsPath, QStringLiteral("--split"),
                               QStringLiteral("test"), QStringLiteral("--decisions"), cliCsv});
    QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
    const QByteArray expected = test::readBytes(cliCsv);

    // The CLI's decisions are the studio's: DeployedPolicy::exits, one line per test sample.
    const std::vector<int> studio = policy.exits(*m_predictions->test);
    const QList<QByteArray> lines = expected.trimmed().split('\n');
    QCOMPARE(lines.size(), p.test->numSamples + 1);
    for (int i = 0; i < p.test->numSamples; ++i)
        QCOMPARE(lines[i + 1].split(',')[1].toInt(), studio[static_cast<size_t>(i)]);
    QVERIFY2(std::set<int>(studio.begin(), studio.end()).size() >= 2, "everyone leaves at one exit");
    if (calibrated) {
        // The temperatures change decisions, so an example that ignored them would be caught.
        DeployedPolicy uncalibrated = policy;
        uncalibrated.temperatures.clear();
        QVERIFY(uncalibrated.exits(*m_predictions->test) != studio);
    }

    for (const QString& scheduler : {json, pt}) {
        const QString csv = scheduler + QStringLiteral(".csv");
        const QString error = runExample({scheduler, m_predictionsPath, QStringLiteral("--split"),
                                          QStringLiteral("test"), QStringLiteral("--out"), csv});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QByteArray actual = test::readBytes(csv);
        QVERIFY2(actual == expected, qPrintable(scheduler + ": " + firstDifference(actual, expected)));
    }
}

void TestDeployExample::roundingTiesAreRaisedAsInTheStudio() {
    // Sample 0's exit-1 row: class 1 leads by one float step; at T = 100 both round to one float, and the
    // studio raises class 1 by a step. The threshold sits between the two, so only a runtime that raises it
    // too lets sample 0 leave at exit 1.
    const float tie[2] = {0.5f, std::nextafter(0.5f, 1.0f)};
    float scaled[2];
    scaleRow(tie, 2, 100.0, scaled);
    Predictions p;
    p.numExits = 2;
    p.numClasses = 2;
    p.costs = {1, 2};
    p.costUnit = "ms";
    p.exitNames = {"exit 1", "exit 2"};
    p.classNames = {"a", "b"};
    p.val.numSamples = 2;
    p.val.labels = {1, 0};
    p.val.probs = {tie[0], tie[1], 0.3f, 0.7f, 0.9f, 0.1f, 0.2f, 0.8f};
    p.test = p.val;
    const QString predictionsPath = m_dir.filePath(QStringLiteral("tie.h5"));
    writePredictions(predictionsPath.toStdString(), p);

    DeployedPolicy policy;
    policy.score = Score::MaxProb;
    policy.numExits = 2;
    policy.numClasses = 2;
    policy.thresholds = exportThresholds({double(scaled[1]), -INFINITY});
    QVERIFY(policy.thresholds[0] > scaled[0]);
    policy.temperatures = {100.0, 1.0};
    QCOMPARE(policy.exits(*p.test), std::vector<int>({0, 0}));
    SchedulerFile file;
    file.policy = "maxprob";
    file.score = Score::MaxProb;
    file.scheduler = EENetScheduler::maxProbInitialised(2, 2);
    file.scheduler.thresholds = policy.thresholds;
    file.costs = p.costs;
    file.costUnit = p.costUnit;
    file.temperatures = policy.temperatures;
    const QString json = m_dir.filePath(QStringLiteral("tie.json"));
    writeSchedulerFile(json.toStdString(), file);
    const QString pt = m_dir.filePath(QStringLiteral("tie.pt"));
    writeTorchScriptPolicy(pt.toStdString(), policy, "{}");

    const QString cliCsv = m_dir.filePath(QStringLiteral("tie_cli.csv"));
    const CliRun cli =
        runCli({QStringLiteral("apply"), json, predictionsPath, QStringLiteral("--decisions"), cliCsv});
    QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
    const QByteArray expected = test::readBytes(cliCsv);
    QCOMPARE(expected, QByteArray("index,exit,prediction\n0,0,1\n1,0,1\n"));
    for (const QString& scheduler : {json, pt}) {
        const QString csv = scheduler + QStringLiteral(".csv");
        const QString error = runExample({scheduler, predictionsPath, QStringLiteral("--out"), csv});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QByteArray actual = test::readBytes(csv);
        QVERIFY2(actual == expected, qPrintable(scheduler + ": " + firstDifference(actual, expected)));
    }
}

QTEST_GUILESS_MAIN(TestDeployExample)
#include "tst_deployexample.moc"
