#include "Error.h"
#include "TestData.h"
#include "eval/CustomPolicy.h"
#include "eval/SchedulerExport.h"
#include "eval/TemperatureScaling.h"
#include "io/PredictionsReader.h"
#include "io/PredictionsWriter.h"
#include "io/TorchScriptPolicy.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <functional>
#include <limits>

using namespace eenet;

/// Exported schedulers must reproduce the studio's decisions exactly, also when fitted on temperature-scaled
/// probabilities and fed the model's own, say where they came from, and never leave a broken or half-written
/// file behind.
class TestSchedulerExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void exportedSchedulersReplayIdentically_data();
    void exportedSchedulersReplayIdentically();
    void customThresholdsReplayIdentically_data();
    void customThresholdsReplayIdentically();
    void provenanceNamesTheInputAndItsHash();
    void boundsAndUntrainedMethodsAreRefused();
    void aDisagreeingReplayKeepsTheTarget();
    void anUnwritablePathKeepsTheTarget();
    void temperaturesRoundTripThroughJson();
    void malformedTemperaturesAreFormatErrors_data();
    void malformedTemperaturesAreFormatErrors();
    void calibratedSchedulersReplayOnTheModelsProbabilities_data();
    void calibratedSchedulersReplayOnTheModelsProbabilities();
    void calibratedPredictionsAreRefusedForTheReplay();

private:
    PolicySnapshot snapshotOf(const std::string& method);
    QString readAll(const QString& path);
    /// The scheduler JSON `edit` was applied to, written to `name`: for the reader's strictness.
    std::string editedScheduler(const QString& name, const std::function<void(QJsonObject&)>& edit);

    QTemporaryDir m_dir;
    std::shared_ptr<const Predictions> m_predictions;
    std::unique_ptr<Evaluator> m_evaluator;
    std::shared_ptr<const TrainedScheduler> m_trained;
    double m_budget = 0;
    /// m_predictions scaled by the temperatures fitted on their validation split, and EENet fitted on them.
    std::shared_ptr<const Predictions> m_scaled;
    std::unique_ptr<Evaluator> m_scaledEvaluator;
    std::shared_ptr<const TrainedScheduler> m_scaledTrained;
};

void TestSchedulerExport::initTestCase() {
    QVERIFY(m_dir.isValid());
    const QString input = test::writeSynthetic(m_dir.filePath("input.h5"), {4, 10, 3000, 2000, 21});
    m_predictions = readPredictions(input.toStdString());
    m_evaluator = std::make_unique<Evaluator>(m_predictions);
    m_budget = test::budgetAt(*m_predictions, 0.3);
    m_trained = std::make_shared<const TrainedScheduler>(
        describeFit(*m_evaluator, m_budget, trainEENet(*m_predictions, m_budget)));
    m_scaled = std::make_shared<const Predictions>(
        temperatureScaled(*m_predictions, temperaturesOf(fitTemperatures(*m_predictions))));
    m_scaledEvaluator = std::make_unique<Evaluator>(m_scaled);
    m_scaledTrained = std::make_shared<const TrainedScheduler>(
        describeFit(*m_scaledEvaluator, m_budget, trainEENet(*m_scaled, m_budget)));
}

PolicySnapshot TestSchedulerExport::snapshotOf(const std::string& method) {
    return computeSnapshot(*m_evaluator, *Method::parse(method), m_budget, {m_trained});
}

QString TestSchedulerExport::readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

void TestSchedulerExport::exportedSchedulersReplayIdentically_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("extension");
    for (const char* method : {"eenet", "eenet-opt", "maxprob", "entropy-opt", "patience", "agreement"})
        for (const char* extension : {"json", "pt"})
            QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(method, extension))) << method << extension;
}

void TestSchedulerExport::exportedSchedulersReplayIdentically() {
    QFETCH(QString, method);
    QFETCH(QString, extension);
    const PolicySnapshot snapshot = snapshotOf(method.toStdString());
    const Method parsed = *Method::parse(method.toStdString());
    const SchedulerFile file =
        schedulerFileFor(snapshot, *m_predictions, provenanceFor(*m_predictions, parsed, EENetOptions{}));
    const std::string path = m_dir.filePath(method + "." + extension).toStdString();
    const ReplayReport report = exportScheduler(path, file, snapshot, *m_predictions);
    QVERIFY2(report.identical(), report.summary().c_str());
    QCOMPARE(report.splits.size(), size_t(2));
    QCOMPARE(report.splits[0].total, 3000);
    QCOMPARE(report.splits[1].total, 2000);
    QVERIFY(QString::fromStdString(report.summary()).startsWith("decisions identical on 3000/3000 val"));
    // Independently of the report: the written file, reloaded, takes the studio's exits on both splits.
    for (const SplitPolicy& split : snapshot.splits)
        QCOMPARE(writtenSchedulerExits(path, *m_predictions, split.split), split.outcome.exitOf);
    // No partial file is left beside it.
    QCOMPARE(QDir(m_dir.path()).entryList(QStringList{"*.partial.*"}, QDir::Files | QDir::Hidden).size(), 0);
}

void TestSchedulerExport::customThresholdsReplayIdentically_data() {
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("extension");
    for (const char* base : {"maxprob", "entropy-opt", "agreement", "eenet", "eenet-opt"})
        for (const char* extension : {"json", "pt"})
            QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(base, extension))) << base << extension;
}

void TestSchedulerExport::customThresholdsReplayIdentically() {
    QFETCH(QString, base);
    QFETCH(QString, extension);
    const PolicySnapshot fitted = snapshotOf(base.toStdString());
    std::vector<double> thresholds = fitted.thresholds;
    // One threshold nobody reaches, one exactly on a validation sample's score, one off any score.
    thresholds[0] = std::numeric_limits<double>::infinity();
    thresholds[1] = (*fitted.splits[0].scores)(1, 42);
    thresholds[2] = 0.8123456789;
    const PolicySnapshot custom = customSnapshot(fitted, thresholds);
    const SchedulerFile file = schedulerFileFor(
        custom, *m_predictions, provenanceFor(*m_predictions, custom.scoreMethod, EENetOptions{}));
    const std::string path = m_dir.filePath("custom-" + base + "." + extension).toStdString();
    const ReplayReport report = exportScheduler(path, file, custom, *m_predictions);
    QVERIFY2(report.identical(), report.summary().c_str());
    for (const SplitPolicy& split : custom.splits)
        QCOMPARE(writtenSchedulerExits(path, *m_predictions, split.split), split.outcome.exitOf);
    // The file says what it is: custom thresholds on the base's scores.
    QCOMPARE(file.policy, std::string("custom"));
    QCOMPARE(file.score,
             *parseScoreName(custom.scheduler ? "eenet" : measureName(custom.scoreMethod.measure)));
    QCOMPARE(file.provenance.hyperParameters["thresholds"].toString(),
             QStringLiteral("set by hand in the studio"));
    QCOMPARE(file.provenance.hyperParameters["scores_of"].toString(), base);
    QVERIFY(std::isinf(file.scheduler.thresholds[0]));
}

void TestSchedulerExport::provenanceNamesTheInputAndItsHash() {
    const PolicySnapshot snapshot = snapshotOf("eenet");
    EENetOptions options;
    options.seed = 17;
    const SchedulerFile file = schedulerFileFor(
        snapshot, *m_predictions, provenanceFor(*m_predictions, *Method::parse("eenet"), options));
    const std::string path = m_dir.filePath("provenance.json").toStdString();
    exportScheduler(path, file, snapshot, *m_predictions);
    const SchedulerFile read = readSchedulerFile(path);
    QCOMPARE(read.policy, std::string("eenet"));
    QCOMPARE(read.score, DeployedPolicy::Score::EENet);
    QCOMPARE(read.provenance.inputSha256, sha256OfFile(m_predictions->sourcePath));
    QCOMPARE(read.provenance.inputSha256.size(), size_t(64));
    QCOMPARE(read.provenance.seed, std::uint64_t(17));
    QCOMPARE(read.provenance.hyperParameters["steps"].toInt(), options.steps);
    QCOMPARE(read.provenance.hyperParameters["assign_all_classes_up_to"].toInt(),
             options.assignAllClassesUpTo);
    QCOMPARE(read.provenance.hyperParameters["assign_top_classes"].toInt(), options.assignTopClasses);
    QVERIFY(read.provenance.tool.find("eenet-studio") == 0);
    QVERIFY(!read.provenance.created.empty());
    QCOMPARE(read.scheduler.budget, m_budget);
    QCOMPARE(read.costs, m_predictions->costs);
    QCOMPARE(read.metrics["test"].toObject()["accuracy"].toDouble(),
             snapshot.split(Split::Test)->outcome.accuracyPercent);
    // Thresholds are the studio's, lowered by the export margin; the last exit takes everyone left.
    for (size_t k = 0; k + 1 < read.scheduler.thresholds.size(); ++k) {
        const double studio = snapshot.thresholds[k];
        QVERIFY(read.scheduler.thresholds[k] < studio || std::isinf(studio));
        QVERIFY(std::abs(read.scheduler.thresholds[k] - studio) <= 2e-9 * std::max(1.0, std::abs(studio)) ||
                std::isinf(studio));
    }
    QVERIFY(std::isinf(read.scheduler.thresholds.back()) && read.scheduler.thresholds.back() < 0);
}

void TestSchedulerExport::boundsAndUntrainedMethodsAreRefused() {
    const PolicySnapshot oracle = snapshotOf("oracle");
    QVERIFY_THROWS_EXCEPTION(ArgumentError, schedulerFileFor(oracle, *m_predictions, {}));
    const PolicySnapshot untrained = computeSnapshot(*m_evaluator, *Method::parse("eenet"), m_budget, {});
    QVERIFY_THROWS_EXCEPTION(ArgumentError, schedulerFileFor(untrained, *m_predictions, {}));
}

void TestSchedulerExport::aDisagreeingReplayKeepsTheTarget() {
    const QString target = m_dir.filePath("kept.json");
    {
        QFile existing(target);
        QVERIFY(existing.open(QIODevice::WriteOnly));
        existing.write("the previous scheduler\n");
    }
    PolicySnapshot snapshot = snapshotOf("maxprob");
    const SchedulerFile file = schedulerFileFor(snapshot, *m_predictions, {});
    // The studio claims another exit for one test sample than the file will take.
    auto& exits = snapshot.splits[1].outcome.exitOf;
    exits[7] = (exits[7] + 1) % m_predictions->numExits;
    try {
        exportScheduler(target.toStdString(), file, snapshot, *m_predictions);
        QFAIL("a disagreeing replay must fail");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("test sample 7"), e.what());
        QVERIFY2(QString(e.what()).contains("1999/2000 test"), e.what());
    }
    QCOMPARE(readAll(target), QStringLiteral("the previous scheduler\n"));
    QCOMPARE(QDir(m_dir.path()).entryList(QStringList{"*.partial.*"}, QDir::Files | QDir::Hidden).size(), 0);
}

void TestSchedulerExport::anUnwritablePathKeepsTheTarget() {
    // A directory that is a regular file: fails even for root, unlike permission bits.
    const QString notADirectory = m_dir.filePath("plain-file");
    {
        QFile plain(notADirectory);
        QVERIFY(plain.open(QIODevice::WriteOnly));
        plain.write("x");
    }
    const PolicySnapshot snapshot = snapshotOf("maxprob");
    const SchedulerFile file = schedulerFileFor(snapshot, *m_predictions, {});
    for (const char* name : {"s.json", "s.pt"}) {
        const std::string path = (notADirectory + "/" + name).toStdString();
        try {
            exportScheduler(path, file, snapshot, *m_predictions);
            QFAIL("writing under a file must fail");
        } catch (const IoError& e) {
            QVERIFY2(QString(e.what()).contains(QString::fromStdString(path)), e.what());
        }
    }
    QCOMPARE(readAll(notADirectory), QStringLiteral("x"));
}

std::string TestSchedulerExport::editedScheduler(const QString& name,
                                                 const std::function<void(QJsonObject&)>& edit) {
    SchedulerFile file = schedulerFileFor(snapshotOf("maxprob"), *m_predictions, {});
    file.temperatures = {1.5, 0.5, 2, 1};
    QJsonObject json = file.toJson();
    edit(json);
    const QString path = m_dir.filePath(name);
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(QJsonDocument(json).toJson()) < 0)
        qFatal("cannot write %s", qPrintable(path));
    return path.toStdString();
}

void TestSchedulerExport::temperaturesRoundTripThroughJson() {
    SchedulerFile file = schedulerFileFor(snapshotOf("eenet"), *m_predictions, {});
    QVERIFY(file.temperatures.empty());
    // No temperatures, no key: an uncalibrated scheduler is the file it always was.
    QVERIFY(!file.toJson().contains("temperatures"));
    const std::string plain = m_dir.filePath("plain.json").toStdString();
    writeSchedulerFile(plain, file);
    QVERIFY(readSchedulerFile(plain).temperatures.empty());
    QVERIFY(readSchedulerFile(plain).deployedPolicy().temperatures.empty());

    // Values that do not survive a short decimal: the JSON must keep every bit.
    file.temperatures = {0.76953125000000011, 0.1 + 0.2, 1.3092, 100};
    QCOMPARE(file.toJson()["temperatures"].toArray().size(), 4);
    const std::string path = m_dir.filePath("temperatures.json").toStdString();
    writeSchedulerFile(path, file);
    const SchedulerFile read = readSchedulerFile(path);
    QCOMPARE(read.temperatures, file.temperatures);
    QCOMPARE(read.deployedPolicy().temperatures, file.temperatures);
    // An empty array is the same as no key.
    const std::string empty = editedScheduler("empty-temperatures.json",
                                              [](QJsonObject& json) { json["temperatures"] = QJsonArray(); });
    QVERIFY(readSchedulerFile(empty).temperatures.empty());
}

void TestSchedulerExport::malformedTemperaturesAreFormatErrors_data() {
    QTest::addColumn<QJsonValue>("temperatures");
    QTest::addColumn<QString>("key");
    QTest::newRow("three for four exits") << QJsonValue(QJsonArray{1.0, 2.0, 3.0}) << "/temperatures";
    QTest::newRow("five for four exits")
        << QJsonValue(QJsonArray{1.0, 2.0, 3.0, 4.0, 5.0}) << "/temperatures";
    QTest::newRow("zero") << QJsonValue(QJsonArray{1.0, 0.0, 3.0, 4.0}) << "/temperatures[1]";
    QTest::newRow("negative") << QJsonValue(QJsonArray{1.0, 2.0, -3.0, 4.0}) << "/temperatures[2]";
    QTest::newRow("inf") << QJsonValue(QJsonArray{1.0, 2.0, 3.0, "inf"}) << "/temperatures[3]";
    QTest::newRow("a string") << QJsonValue(QJsonArray{"1.0", 2.0, 3.0, 4.0}) << "/temperatures[0]";
    QTest::newRow("null entry") << QJsonValue(QJsonArray{1.0, QJsonValue(), 3.0, 4.0}) << "/temperatures[1]";
    QTest::newRow("a number") << QJsonValue(1.5) << "/temperatures";
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << "/temperatures";
}

void TestSchedulerExport::malformedTemperaturesAreFormatErrors() {
    QFETCH(QJsonValue, temperatures);
    QFETCH(QString, key);
    const std::string path = editedScheduler(QStringLiteral("bad-%1.json").arg(QTest::currentDataTag()),
                                             [&](QJsonObject& json) { json["temperatures"] = temperatures; });
    try {
        readSchedulerFile(path);
        QFAIL("malformed temperatures were read");
    } catch (const FormatError& e) {
        QCOMPARE(QString::fromStdString(e.dataset()), key);
        QCOMPARE(e.file(), path);
        QVERIFY2(QString(e.what()).contains("temperatures"), e.what());
    }
}

void TestSchedulerExport::calibratedSchedulersReplayOnTheModelsProbabilities_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("extension");
    for (const char* method : {"eenet", "maxprob", "entropy-opt", "patience"})
        for (const char* extension : {"json", "pt"})
            QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(method, extension))) << method << extension;
}

void TestSchedulerExport::calibratedSchedulersReplayOnTheModelsProbabilities() {
    QFETCH(QString, method);
    QFETCH(QString, extension);
    const Method parsed = *Method::parse(method.toStdString());
    // Fitted and evaluated on the calibrated probabilities, as `train --calibrate temperature` does.
    const PolicySnapshot snapshot = computeSnapshot(*m_scaledEvaluator, parsed, m_budget, {m_scaledTrained});
    const SchedulerFile file =
        schedulerFileFor(snapshot, *m_scaled, provenanceFor(*m_predictions, parsed, EENetOptions{}));
    QCOMPARE(file.temperatures, m_scaled->temperatures);
    QCOMPARE(file.deployedPolicy().temperatures, m_scaled->temperatures);
    const std::string path = m_dir.filePath("calibrated-" + method + "." + extension).toStdString();
    // Replayed on the model's own probabilities: the file applies its temperatures as a runtime does.
    const ReplayReport report = exportScheduler(path, file, snapshot, *m_predictions);
    QVERIFY2(report.identical(), report.summary().c_str());
    QCOMPARE(report.splits.size(), size_t(2));
    for (const SplitPolicy& split : snapshot.splits)
        QCOMPARE(writtenSchedulerExits(path, *m_predictions, split.split), split.outcome.exitOf);
    const SchedulerFile read =
        extension == "pt" ? schedulerFromJson(QByteArray::fromStdString(readTorchScriptMetadata(path)), path)
                          : readSchedulerFile(path);
    QCOMPARE(read.temperatures, m_scaled->temperatures);

    // The proof can fail: without its temperatures the same scheduler takes other exits on the model's own
    // probabilities, and is not written.
    SchedulerFile uncalibrated = file;
    uncalibrated.temperatures.clear();
    const std::string other = m_dir.filePath("uncalibrated-" + method + "." + extension).toStdString();
    QVERIFY_THROWS_EXCEPTION(Error, exportScheduler(other, uncalibrated, snapshot, *m_predictions));
    QVERIFY(!QFile::exists(QString::fromStdString(other)));
}

void TestSchedulerExport::calibratedPredictionsAreRefusedForTheReplay() {
    const PolicySnapshot snapshot =
        computeSnapshot(*m_scaledEvaluator, *Method::parse("maxprob"), m_budget, {});
    const SchedulerFile file = schedulerFileFor(snapshot, *m_scaled, {});
    const std::string path = m_dir.filePath("scaled-twice.json").toStdString();
    // The file scales what it is fed: fed probabilities scaled already, it would scale them twice.
    try {
        exportScheduler(path, file, snapshot, *m_scaled);
        QFAIL("calibrated predictions were accepted for the replay");
    } catch (const ArgumentError& e) {
        QVERIFY2(QString(e.what()).contains("temperature-scaled already"), e.what());
    }
    QVERIFY(!QFile::exists(QString::fromStdString(path)));
    exportScheduler(path, file, snapshot, *m_predictions);
    QVERIFY_THROWS_EXCEPTION(ArgumentError, writtenSchedulerExits(path, *m_scaled, Split::Val));
    QCOMPARE(QDir(m_dir.path()).entryList(QStringList{"*.partial.*"}, QDir::Files | QDir::Hidden).size(), 0);
}

QTEST_MAIN(TestSchedulerExport)
#include "tst_schedulerexport.moc"
