#include "Error.h"
#include "TestData.h"
#include "data/SyntheticPredictions.h"
#include "eval/TemperatureScaling.h"
#include "io/PredictionsReader.h"
#include "io/TorchScriptPolicy.h"
#include "policy/DeployedPolicy.h"
#include "policy/EENetTrainer.h"
#include "policy/ThresholdSolver.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <map>
#include <memory>
#include <set>

using namespace eenet;

namespace {

using Score = DeployedPolicy::Score;

const Score kScores[] = {Score::EENet, Score::MaxProb, Score::Entropy, Score::Patience, Score::Agreement};

} // namespace

/// A policy saved as TorchScript decides exactly as the studio's DeployedPolicy does, called whole or exit by
/// exit, also when it carries temperatures and is fed the model's own probabilities, and its file is written
/// atomically and rejected clearly when broken.
class TestTorchScriptPolicy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void decisionsMatchTheStudio_data();
    void decisionsMatchTheStudio();
    void exitByExitMatchesForward_data();
    void exitByExitMatchesForward();
    void calibratedPolicyOnRawProbabilitiesDecidesAsOnScaled_data();
    void calibratedPolicyOnRawProbabilitiesDecidesAsOnScaled();
    void roundingTiesAreRaisedAsInTheStudio();
    void malformedTemperaturesAreRefused();
    void keepsMetadataAndCosts();
    void unwritablePathThrowsIoError_data();
    void unwritablePathThrowsIoError();
    void failedWriteKeepsTheExistingFile();
    void rejectsBrokenFiles_data();
    void rejectsBrokenFiles();
    void rejectsPredictionsOfAnotherShape();

private:
    void addPolicyRows();
    /// What a policy on `name` is fed: "calibrated" is the sample's own probabilities.
    const Predictions& data(const QString& name) const;
    /// What a policy on `name` is fitted on: for "calibrated", the sample temperature-scaled.
    const Predictions& fittedOn(const QString& name) const;
    /// The policy `score` fitted at 30 % of the cost range, thresholds as exported; cached per data set.
    /// On "calibrated" it carries the temperatures of its fit.
    const DeployedPolicy& policy(const QString& dataName, Score score);
    /// policy() saved as TorchScript; cached.
    QString policyFile(const QString& dataName, Score score);

    QTemporaryDir m_dir;
    Predictions m_synthetic;
    std::shared_ptr<const Predictions> m_sample;
    /// The sample scaled by the temperatures fitted on its validation split.
    Predictions m_scaled;
    std::map<std::pair<QString, int>, DeployedPolicy> m_policies;
    std::map<std::pair<QString, int>, QString> m_files;
};

void TestTorchScriptPolicy::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_synthetic = makeSyntheticPredictions({4, 10, 2000, 1000, 5});
    m_sample = readPredictions(test::samplePath().toStdString());
    QVERIFY(m_sample->test.has_value());
    m_scaled = temperatureScaled(*m_sample, temperaturesOf(fitTemperatures(*m_sample)));
}

const Predictions& TestTorchScriptPolicy::data(const QString& name) const {
    return name == QLatin1String("synthetic") ? m_synthetic : *m_sample;
}

const Predictions& TestTorchScriptPolicy::fittedOn(const QString& name) const {
    return name == QLatin1String("calibrated") ? m_scaled : data(name);
}

const DeployedPolicy& TestTorchScriptPolicy::policy(const QString& dataName, Score score) {
    const auto key = std::make_pair(dataName, static_cast<int>(score));
    auto found = m_policies.find(key);
    if (found != m_policies.end())
        return found->second;
    const Predictions& p = fittedOn(dataName);
    const double budget = test::budgetAt(p, 0.3);
    DeployedPolicy policy;
    policy.score = score;
    policy.numExits = p.numExits;
    policy.numClasses = p.numClasses;
    if (score == Score::EENet) {
        EENetOptions options;
        options.seed = 3;
        policy.eenet = trainEENet(p, budget, options).scheduler;
        policy.thresholds = exportThresholds(policy.eenet.thresholds);
    } else {
        policy.thresholds = exportThresholds(thresholdsFromDistribution(
            policy.scores(p.val), geometricDistributionForBudget(p.costs, budget)));
    }
    policy.temperatures = p.temperatures;
    return m_policies.emplace(key, policy).first->second;
}

QString TestTorchScriptPolicy::policyFile(const QString& dataName, Score score) {
    const auto key = std::make_pair(dataName, static_cast<int>(score));
    auto found = m_files.find(key);
    if (found != m_files.end())
        return found->second;
    const QString path =
        m_dir.filePath(dataName + "_" + QString::fromStdString(scoreName(score)) + QStringLiteral(".pt"));
    writeTorchScriptPolicy(path.toStdString(), policy(dataName, score), "{}");
    return m_files.emplace(key, path).first->second;
}

void TestTorchScriptPolicy::addPolicyRows() {
    QTest::addColumn<QString>("dataName");
    QTest::addColumn<int>("score");
    for (const char* dataName : {"synthetic", "sample", "calibrated"})
        for (Score score : kScores)
            QTest::newRow((std::string(dataName) + " " + scoreName(score)).c_str())
                << QString(dataName) << static_cast<int>(score);
}

void TestTorchScriptPolicy::decisionsMatchTheStudio_data() {
    addPolicyRows();
}

void TestTorchScriptPolicy::decisionsMatchTheStudio() {
    QFETCH(QString, dataName);
    QFETCH(int, score);
    const Predictions& p = data(dataName);
    const DeployedPolicy& expected = policy(dataName, static_cast<Score>(score));
    const QString path = policyFile(dataName, static_cast<Score>(score));
    for (const SplitPredictions* split : {&p.val, &*p.test}) {
        const char* splitName = split == &p.val ? "val" : "test";
        const std::vector<int> studio = expected.exits(*split);
        const TorchScriptDecisions saved =
            runTorchScriptPolicy(path.toStdString(), *split, p.numExits, p.numClasses);
        QCOMPARE(saved.exits.size(), studio.size());
        int identical = 0;
        int firstDifference = -1;
        for (size_t i = 0; i < studio.size(); ++i) {
            if (saved.exits[i] == studio[i])
                ++identical;
            else if (firstDifference < 0)
                firstDifference = static_cast<int>(i);
        }
        for (int i = 0; i < split->numSamples; ++i)
            QCOMPARE(saved.predictions[static_cast<size_t>(i)],
                     predictedClass(*split, p.numClasses, studio[static_cast<size_t>(i)], i));
        // Every exit's score, including where a policy stops early: equal up to a log()'s last bit.
        const ScoreMatrix studioScores = expected.scores(*split);
        const ScoreMatrix savedScores =
            torchScriptScores(path.toStdString(), *split, p.numExits, p.numClasses);
        const long bitIdentical = (studioScores.array() == savedScores.array()).count();
        const double maxDifference = (studioScores - savedScores).cwiseAbs().maxCoeff();
        const std::set<int> used(studio.begin(), studio.end());
        qInfo(
            "%s %s: decisions identical on %d/%d, scores bit-identical %ld/%ld (max |diff| %.3g), %zu exits "
            "used, file %lld bytes",
            qPrintable(QTest::currentDataTag()), splitName, identical, split->numSamples, bitIdentical,
            static_cast<long>(studioScores.size()), maxDifference, used.size(), QFileInfo(path).size());
        QVERIFY2(
            identical == split->numSamples,
            qPrintable(QString("%1: first difference at sample %2").arg(splitName).arg(firstDifference)));
        QVERIFY2(maxDifference <= 1e-12, qPrintable(QString("max score difference %1").arg(maxDifference)));
        QVERIFY2(used.size() >= 2, "the policy sends everyone to one exit: not a test of the thresholds");
    }
}

void TestTorchScriptPolicy::exitByExitMatchesForward_data() {
    addPolicyRows();
}

void TestTorchScriptPolicy::exitByExitMatchesForward() {
    QFETCH(QString, dataName);
    QFETCH(int, score);
    const Predictions& p = data(dataName);
    const std::string path = policyFile(dataName, static_cast<Score>(score)).toStdString();
    for (const SplitPredictions* split : {&p.val, &*p.test}) {
        const TorchScriptDecisions whole = runTorchScriptPolicy(path, *split, p.numExits, p.numClasses);
        const TorchScriptDecisions stepwise =
            runTorchScriptPolicy(path, *split, p.numExits, p.numClasses, TorchScriptCall::ExitByExit);
        QCOMPARE(stepwise.exits, whole.exits);
        QCOMPARE(stepwise.predictions, whole.predictions);
    }
}

void TestTorchScriptPolicy::calibratedPolicyOnRawProbabilitiesDecidesAsOnScaled_data() {
    QTest::addColumn<int>("score");
    for (Score score : kScores)
        QTest::newRow(scoreName(score).c_str()) << static_cast<int>(score);
}

void TestTorchScriptPolicy::calibratedPolicyOnRawProbabilitiesDecidesAsOnScaled() {
    QFETCH(int, score);
    const DeployedPolicy& calibrated = policy("calibrated", static_cast<Score>(score));
    QCOMPARE(calibrated.temperatures, m_scaled.temperatures);
    DeployedPolicy plain = calibrated;
    plain.temperatures.clear();
    using Splits = std::pair<const SplitPredictions*, const SplitPredictions*>;
    for (const auto& [raw, scaled] :
         {Splits{&m_sample->val, &m_scaled.val}, Splits{&*m_sample->test, &*m_scaled.test}}) {
        const ScoreMatrix fromRaw = calibrated.scores(*raw);
        QVERIFY((fromRaw.array() == plain.scores(*scaled).array()).all());
        QCOMPARE(calibrated.exits(*raw), plain.exits(*scaled));
        // The temperatures matter: without them the model's own probabilities score otherwise.
        QVERIFY(!(fromRaw.array() == plain.scores(*raw).array()).all());
    }
}

void TestTorchScriptPolicy::roundingTiesAreRaisedAsInTheStudio() {
    // Exit 1's first row: class 1 leads by one float step; at T = 100 both round to one float, and scaleRow
    // raises class 1 by a step. The module must do the same, or its max probability is one step lower.
    const float tie[2] = {0.5f, std::nextafter(0.5f, 1.0f)};
    SplitPredictions split;
    split.numSamples = 2;
    split.labels = {1, 0};
    split.probs = {tie[0], tie[1], 0.3f, 0.7f, 0.9f, 0.1f, 0.2f, 0.8f};
    float scaled[2];
    scaleRow(tie, 2, 100.0, scaled);
    QCOMPARE(scaled[1], std::nextafter(scaled[0], 2.0f));

    DeployedPolicy policy;
    policy.score = Score::MaxProb;
    policy.numExits = 2;
    policy.numClasses = 2;
    policy.thresholds = {0.6, -INFINITY};
    policy.temperatures = {100.0, 0.5};
    const std::string path = m_dir.filePath(QStringLiteral("tie.pt")).toStdString();
    writeTorchScriptPolicy(path, policy, "{}");
    const ScoreMatrix studio = policy.scores(split);
    QCOMPARE(studio(0, 0), double(scaled[1]));
    const ScoreMatrix saved = torchScriptScores(path, split, 2, 2);
    QVERIFY2((saved.array() == studio.array()).all(),
             qPrintable(
                 QString("module %1, studio %2").arg(saved(0, 0), 0, 'g', 17).arg(studio(0, 0), 0, 'g', 17)));
    for (TorchScriptCall call : {TorchScriptCall::Forward, TorchScriptCall::ExitByExit}) {
        const TorchScriptDecisions decisions = runTorchScriptPolicy(path, split, 2, 2, call);
        QCOMPARE(decisions.exits, policy.exits(split));
        for (int i = 0; i < 2; ++i)
            QCOMPARE(decisions.predictions[size_t(i)],
                     predictedClass(split, 2, decisions.exits[size_t(i)], i));
    }
}

void TestTorchScriptPolicy::malformedTemperaturesAreRefused() {
    const std::string path = m_dir.filePath(QStringLiteral("bad-temperatures.pt")).toStdString();
    for (const std::vector<double>& temperatures :
         {std::vector<double>{1, 2, 3}, {1, 2, 0, 1}, {1, -1, 1, 1}, {1, 1, INFINITY, 1}, {NAN, 1, 1, 1}}) {
        DeployedPolicy broken = policy("synthetic", Score::MaxProb);
        broken.temperatures = temperatures;
        QVERIFY_THROWS_EXCEPTION(ArgumentError, writeTorchScriptPolicy(path, broken, "{}"));
        QVERIFY_THROWS_EXCEPTION(ArgumentError, broken.scores(m_synthetic.val));
    }
    QVERIFY(!QFile::exists(QString::fromStdString(path)));
}

void TestTorchScriptPolicy::keepsMetadataAndCosts() {
    const QString path = m_dir.filePath(QStringLiteral("metadata.pt"));
    const std::string metadata = R"({"budget": 2.5, "costs": [1, 2, 3, 4], "provenance": {"seed": "7"}})";
    writeTorchScriptPolicy(path.toStdString(), policy("synthetic", Score::Patience), metadata);
    QCOMPARE(readTorchScriptMetadata(path.toStdString()), metadata);
    const Predictions& p = m_synthetic;
    QCOMPARE(applyTorchScriptPolicy(path.toStdString(), p.val, p.numExits, p.numClasses),
             policy("synthetic", Score::Patience).exits(p.val));
}

void TestTorchScriptPolicy::unwritablePathThrowsIoError_data() {
    QTest::addColumn<QString>("relativePath");
    QTest::newRow("missing directory") << "missing/policy.pt";
    QTest::newRow("under a file") << "plain.txt/policy.pt";
    QTest::newRow("a directory") << "adir";
}

void TestTorchScriptPolicy::unwritablePathThrowsIoError() {
    QFETCH(QString, relativePath);
    QVERIFY(test::writeBytes(m_dir.filePath(QStringLiteral("plain.txt")), "plain"));
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("adir")));
    const std::string path = m_dir.filePath(relativePath).toStdString();
    try {
        writeTorchScriptPolicy(path, policy("synthetic", Score::MaxProb), "{}");
        QFAIL("no IoError");
    } catch (const IoError& error) {
        QCOMPARE(error.file(), path);
        QVERIFY2(QString(error.what()).contains(QString::fromStdString(path)), error.what());
    }
    QCOMPARE(test::readBytes(m_dir.filePath(QStringLiteral("plain.txt"))), QByteArray("plain"));
}

void TestTorchScriptPolicy::failedWriteKeepsTheExistingFile() {
    // QSaveFile writes "<name>.XXXXXX" beside the target first: at 250 characters the target fits in
    // NAME_MAX but its temporary does not, so the write fails where the old file lives (even for root).
    QTemporaryDir dir;
    const QString path = dir.filePath(QString(247, QLatin1Char('p')) + QStringLiteral(".pt"));
    writeTorchScriptPolicy(path.toStdString(), policy("synthetic", Score::Entropy), "{\"v\": 1}");
    const QByteArray before = test::readBytes(path);
    QVERIFY(!before.isEmpty());
    QVERIFY_THROWS_EXCEPTION(
        IoError, writeTorchScriptPolicy(path.toStdString(), policy("synthetic", Score::MaxProb), "{}"));
    QCOMPARE(test::readBytes(path), before);

    DeployedPolicy broken = policy("synthetic", Score::EENet);
    broken.eenet.auxWeights[2].pop_back();
    const QString shortPath = dir.filePath(QStringLiteral("policy.pt"));
    QVERIFY(QFile::copy(path, shortPath));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, writeTorchScriptPolicy(shortPath.toStdString(), broken, "{}"));
    QCOMPARE(test::readBytes(shortPath), before);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 2);
    QCOMPARE(readTorchScriptMetadata(shortPath.toStdString()), std::string("{\"v\": 1}"));
}

void TestTorchScriptPolicy::rejectsBrokenFiles_data() {
    QTest::addColumn<int>("breakage");
    QTest::addColumn<bool>("formatError");
    QTest::newRow("missing") << 0 << false;
    QTest::newRow("not an archive") << 1 << true;
    QTest::newRow("truncated") << 2 << true;
    QTest::newRow("empty") << 3 << true;
    QTest::newRow("bytes flipped in the middle") << 4 << true;
}

void TestTorchScriptPolicy::rejectsBrokenFiles() {
    QFETCH(int, breakage);
    QFETCH(bool, formatError);
    const QByteArray good = test::readBytes(policyFile("synthetic", Score::EENet));
    QVERIFY(good.size() > 1000);
    const QString path = m_dir.filePath(QStringLiteral("broken%1.pt").arg(breakage));
    QByteArray bytes;
    switch (breakage) {
    case 1:
        bytes = "{\"format\": \"eenet-scheduler\"}";
        break;
    case 2:
        bytes = good.left(good.size() / 2);
        break;
    case 4:
        bytes = good;
        for (qsizetype i = bytes.size() / 3; i < bytes.size() / 3 + 64; ++i)
            bytes[i] = static_cast<char>(~bytes[i]);
        break;
    default:
        break;
    }
    if (breakage != 0)
        QVERIFY(test::writeBytes(path, bytes));
    const Predictions& p = m_synthetic;
    try {
        applyTorchScriptPolicy(path.toStdString(), p.val, p.numExits, p.numClasses);
        QFAIL("no error");
    } catch (const FormatError& error) {
        QVERIFY2(formatError, error.what());
        QCOMPARE(error.file(), path.toStdString());
        qInfo("%s", error.what());
    } catch (const IoError& error) {
        QVERIFY2(!formatError, error.what());
        QCOMPARE(error.file(), path.toStdString());
    }
    QVERIFY_THROWS_EXCEPTION(Error, readTorchScriptMetadata(path.toStdString()));
}

void TestTorchScriptPolicy::rejectsPredictionsOfAnotherShape() {
    const Predictions other = makeSyntheticPredictions({3, 10, 50, 0, 1});
    const std::string path = policyFile("synthetic", Score::MaxProb).toStdString();
    QVERIFY_THROWS_EXCEPTION(ArgumentError, applyTorchScriptPolicy(path, other.val, 3, 10));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, applyTorchScriptPolicy(path, other.val, 4, 10));
}

QTEST_GUILESS_MAIN(TestTorchScriptPolicy)
#include "tst_torchscriptpolicy.moc"
