#include "Error.h"
#include "TestData.h"
#include "eval/CustomPolicy.h"
#include "eval/SchedulerExport.h"
#include "io/PredictionsReader.h"
#include "io/PredictionsWriter.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>

using namespace eenet;

/// Exported schedulers must reproduce the studio's decisions exactly, say where they came from, and never
/// leave a broken or half-written file behind.
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

private:
    PolicySnapshot snapshotOf(const std::string& method);
    QString readAll(const QString& path);

    QTemporaryDir m_dir;
    std::shared_ptr<const Predictions> m_predictions;
    std::unique_ptr<Evaluator> m_evaluator;
    std::shared_ptr<const TrainedScheduler> m_trained;
    double m_budget = 0;
};

void TestSchedulerExport::initTestCase() {
    QVERIFY(m_dir.isValid());
    const QString input = test::writeSynthetic(m_dir.filePath("input.h5"), {4, 10, 3000, 2000, 21});
    m_predictions = readPredictions(input.toStdString());
    m_evaluator = std::make_unique<Evaluator>(m_predictions);
    m_budget = test::budgetAt(*m_predictions, 0.3);
    m_trained = std::make_shared<const TrainedScheduler>(
        describeFit(*m_evaluator, m_budget, trainEENet(*m_predictions, m_budget)));
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

QTEST_MAIN(TestSchedulerExport)
#include "tst_schedulerexport.moc"
