#include "Error.h"
#include "data/SyntheticPredictions.h"
#include "eval/Method.h"
#include "io/SchedulerFile.h"
#include "io/SessionFile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <limits>

using namespace eenet;

class TestSessionFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripKeepsEverything();
    void customThresholdsRoundTrip_data();
    void customThresholdsRoundTrip();
    void aFileFromBeforeCustomThresholdsStillReads();
    void customThresholdsUseASchedulerOfTheProbabilitiesShown();
    void badFilesNameTheProblem_data();
    void badFilesNameTheProblem();
    void costModelAndBudgetRuleRoundTrip_data();
    void costModelAndBudgetRuleRoundTrip();
    void aFileFromBeforeBudgetRulesStillReads();
    void aFailedWriteKeepsTheOldFile();
    void hugeFilesAreRefusedBeforeReading_data();
    void hugeFilesAreRefusedBeforeReading();

private:
    QTemporaryDir m_dir;
};

void TestSessionFile::roundTripKeepsEverything() {
    const Predictions p = makeSyntheticPredictions({4, 10, 800, 0, 2});
    SessionState state;
    state.inputFile = "/data/model.h5";
    state.inputSha256 = std::string(64, 'a');
    state.budget = 2.25;
    state.method = "eenet-opt";
    state.split = Split::Val;
    state.fits.push_back({2.25, trainEENet(p, 2.25)});
    state.fits.push_back({2.5, trainEENet(p, 2.5), true});
    state.calibrated = true;
    state.windowGeometry = QByteArray("\x01\x02geometry");
    state.windowState = QByteArray("state\0bytes", 11);
    const std::string path = m_dir.filePath("round.eenet-session").toStdString();
    writeSessionFile(path, state);
    const SessionState read = readSessionFile(path);
    QCOMPARE(read.inputFile, state.inputFile);
    QCOMPARE(read.inputSha256, state.inputSha256);
    QCOMPARE(read.budget, state.budget);
    QCOMPARE(read.method, state.method);
    QCOMPARE(read.split, Split::Val);
    QCOMPARE(read.windowGeometry, state.windowGeometry);
    QCOMPARE(read.windowState, state.windowState);
    QVERIFY(read.calibrated);
    QCOMPARE(read.fits.size(), size_t(2));
    QVERIFY(!read.fits[0].calibrated);
    QVERIFY(read.fits[1].calibrated);
    QCOMPARE(read.fits[1].budget, 2.5);
    const EENetFit& a = state.fits[0].fit;
    const EENetFit& b = read.fits[0].fit;
    QCOMPARE(b.scheduler.classWeights, a.scheduler.classWeights);
    QCOMPARE(b.scheduler.auxWeights, a.scheduler.auxWeights);
    QCOMPARE(b.scheduler.thresholds, a.scheduler.thresholds);
    QCOMPARE(b.scheduler.budget, a.scheduler.budget);
    QCOMPARE(b.exitDistribution, a.exitDistribution);
    QCOMPARE(b.history.size(), a.history.size());
    QCOMPARE(b.history.back().expectedCost, a.history.back().expectedCost);
    QCOMPARE(b.history.back().scorePhase, a.history.back().scorePhase);
    // The restored scheduler scores exactly like the original.
    QCOMPARE(b.scheduler.scores(p.val), a.scheduler.scores(p.val));
}

void TestSessionFile::customThresholdsRoundTrip_data() {
    QTest::addColumn<QString>("base");
    QTest::newRow("heuristic") << "entropy-opt";
    QTest::newRow("learned") << "eenet";
}

void TestSessionFile::customThresholdsRoundTrip() {
    QFETCH(QString, base);
    const double inf = std::numeric_limits<double>::infinity();
    SessionState state;
    state.inputFile = "/data/model.h5";
    state.budget = 2.0;
    state.method = "custom";
    const bool learned = Method::parse(base.toStdString())->isLearned();
    if (learned)
        state.fits.push_back({1.75, trainEENet(makeSyntheticPredictions({4, 10, 300, 0, 3}), 1.75)});
    state.custom = SavedCustomPolicy{base.toStdString(),
                                     learned ? std::optional<double>(1.75) : std::nullopt,
                                     {0.123456789012345, inf, -0.5, -inf}};
    const std::string path = m_dir.filePath("custom.eenet-session").toStdString();
    writeSessionFile(path, state);
    const SessionState read = readSessionFile(path);
    QCOMPARE(read.method, std::string("custom"));
    QVERIFY(read.custom);
    QCOMPARE(read.custom->base, state.custom->base);
    QCOMPARE(read.custom->schedulerBudget, state.custom->schedulerBudget);
    // Bit for bit, infinities included: the restored policy makes the same decisions.
    QCOMPARE(read.custom->thresholds, state.custom->thresholds);
}

void TestSessionFile::aFileFromBeforeCustomThresholdsStillReads() {
    // As the studio wrote sessions before custom thresholds existed: no "custom" key.
    const QString path = m_dir.filePath("older.eenet-session");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(R"({"format": "eenet-session", "format_version": 1, "input_file": "/a.h5", "input_sha256": "",
        "budget": 1.25, "method": "patience-opt", "split": "test", "schedulers": [],
        "window": {"geometry": "", "state": ""}})");
    file.close();
    const SessionState read = readSessionFile(path.toStdString());
    QCOMPARE(read.method, std::string("patience-opt"));
    QCOMPARE(read.budget, 1.25);
    QVERIFY(!read.custom);
    QVERIFY(!read.calibrated);
}

void TestSessionFile::customThresholdsUseASchedulerOfTheProbabilitiesShown() {
    const double inf = std::numeric_limits<double>::infinity();
    SessionState state;
    state.inputFile = "/data/model.h5";
    state.budget = 1.75;
    state.method = "custom";
    // The only fit at 1.75 was trained on calibrated probabilities, the session shows the model's own.
    state.fits.push_back({1.75, trainEENet(makeSyntheticPredictions({4, 10, 300, 0, 3}), 1.75), true});
    state.custom = SavedCustomPolicy{"eenet", 1.75, {0.5, 0.5, 0.5, -inf}};
    const std::string path = m_dir.filePath("mixed.eenet-session").toStdString();
    writeSessionFile(path, state);
    QVERIFY_THROWS_EXCEPTION(FormatError, readSessionFile(path));
    state.calibrated = true;
    writeSessionFile(path, state);
    QCOMPARE(readSessionFile(path).custom->schedulerBudget, std::optional<double>(1.75));
}

void TestSessionFile::badFilesNameTheProblem_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << QByteArray("{ nope") << "not a JSON object";
    QTest::newRow("other format") << QByteArray(R"({"format": "x", "format_version": 1})") << "/format";
    QTest::newRow("future version") << QByteArray(R"({"format": "eenet-session", "format_version": 9})")
                                    << "/format_version";
    QTest::newRow("no input") << QByteArray(
                                     R"({"format": "eenet-session", "format_version": 1, "budget": 1})")
                              << "/input_file";
    QTest::newRow("unknown method") << QByteArray(R"({"format": "eenet-session", "format_version": 1,
        "input_file": "/a.h5", "budget": 1, "method": "magic"})")
                                    << "unknown method 'magic'";
    QTest::newRow("top level an array") << QByteArray("[1, 2]") << "the top level is an array";
    const QByteArray head = R"({"format": "eenet-session", "format_version": 1, "input_file": "/a.h5",
        "budget": 1, "method": "custom")";
    QTest::newRow("custom without thresholds") << head + "}"
                                               << "/custom";
    QTest::newRow("custom on the oracle")
        << head + R"(, "custom": {"base": "oracle", "thresholds": [0.5, "-inf"]}})"
        << "/custom/base";
    QTest::newRow("custom on custom")
        << head + R"(, "custom": {"base": "custom", "thresholds": [0.5, "-inf"]}})"
        << "/custom/base";
    QTest::newRow("one custom threshold")
        << head + R"(, "custom": {"base": "maxprob", "thresholds": ["-inf"]}})"
        << "/custom/thresholds";
    QTest::newRow("custom threshold not a number")
        << head + R"(, "custom": {"base": "maxprob", "thresholds": [0.5, "high", "-inf"]}})"
        << "/custom/thresholds[1]";
    QTest::newRow("too many custom thresholds")
        << head + R"(, "custom": {"base": "maxprob", "thresholds": [)" + QByteArray("0.5,").repeated(4096) +
               R"("-inf"]}})"
        << "/custom/thresholds";
    QTest::newRow("custom on an unsaved scheduler")
        << head + R"(, "custom": {"base": "eenet", "scheduler_budget": 1.5, "thresholds": [0.5, "-inf"]}})"
        << "/custom/scheduler_budget";
    QTest::newRow("calibrated not a flag")
        << QByteArray(R"({"format": "eenet-session", "format_version": 1, "input_file": "/a.h5",
        "budget": 1, "calibrated": "yes"})")
        << "/calibrated";
    const QByteArray plain = R"({"format": "eenet-session", "format_version": 1, "input_file": "/a.h5",
        "budget": 1, "method": "maxprob")";
    QTest::newRow("cost model not a name") << plain + R"(, "cost_model": 3})"
                                           << "/cost_model";
    QTest::newRow("cost model empty") << plain + R"(, "cost_model": ""})"
                                      << "/cost_model";
    QTest::newRow("serving mode unknown") << plain + R"(, "serving": "async:8"})"
                                          << "/serving";
    QTest::newRow("serving batch of 0") << plain + R"(, "serving": "sync:0"})"
                                        << "/serving";
    QTest::newRow("serving without a batch") << plain + R"(, "serving": "compact"})"
                                             << "/serving";
    QTest::newRow("serving a number") << plain + R"(, "serving": 32})"
                                      << "/serving";
    QTest::newRow("guarantee of 1") << plain + R"(, "guarantee": 1})"
                                    << "/guarantee";
    QTest::newRow("guarantee of 0") << plain + R"(, "guarantee": 0})"
                                    << "/guarantee";
    QTest::newRow("guarantee negative") << plain + R"(, "guarantee": -0.5})"
                                        << "/guarantee";
    QTest::newRow("guarantee a text") << plain + R"(, "guarantee": "0.95"})"
                                      << "/guarantee";
    QTest::newRow("broken scheduler") << QByteArray(R"({"format": "eenet-session", "format_version": 1,
        "input_file": "/a.h5", "budget": 1, "schedulers": [{"budget": 1}]})")
                                      << "/schedulers[0]";
}

void TestSessionFile::badFilesNameTheProblem() {
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    const QString path = m_dir.filePath("bad.eenet-session");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
    file.close();
    try {
        readSessionFile(path.toStdString());
        QFAIL("a bad session must not load");
    } catch (const FormatError& e) {
        QVERIFY2(QString(e.what()).contains(path), e.what());
        QVERIFY2(QString(e.what()).contains(expected), e.what());
    }
}

void TestSessionFile::costModelAndBudgetRuleRoundTrip_data() {
    QTest::addColumn<QString>("costModel");
    QTest::addColumn<QString>("serving");
    QTest::addColumn<double>("guarantee");
    QTest::newRow("defaults") << "costs"
                              << "sample" << 0.0;
    QTest::newRow("flops, sync batches") << "flops"
                                         << "sync:8" << 0.0;
    QTest::newRow("extra vector, compact, guarantee") << "energy (J)"
                                                      << "compact:256" << 0.95;
    QTest::newRow("guarantee alone") << "costs"
                                     << "sample" << 0.9;
}

void TestSessionFile::costModelAndBudgetRuleRoundTrip() {
    QFETCH(QString, costModel);
    QFETCH(QString, serving);
    QFETCH(double, guarantee);
    SessionState state;
    state.inputFile = "/data/model.h5";
    state.budget = 0.75;
    state.method = "maxprob";
    state.costModel = costModel.toStdString();
    state.serving = parseServingMode(serving.toStdString());
    QVERIFY(state.serving);
    if (state.serving->mode == RunMode::Sample)
        state.serving.reset();
    state.guarantee = guarantee;
    const QString path = m_dir.filePath("rule.eenet-session");
    writeSessionFile(path.toStdString(), state);
    const SessionState read = readSessionFile(path.toStdString());
    QCOMPARE(read.costModel, state.costModel);
    QCOMPARE(read.serving, state.serving);
    QCOMPARE(read.guarantee, state.guarantee);
    QCOMPARE(read.budget, state.budget);
    // The defaults are not written: the file reads as one from before these keys, in older studios too.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray json = file.readAll();
    QCOMPARE(json.contains("\"cost_model\""), costModel != "costs");
    QCOMPARE(json.contains("\"serving\""), serving != "sample");
    QCOMPARE(json.contains("\"guarantee\""), guarantee > 0);
}

void TestSessionFile::aFileFromBeforeBudgetRulesStillReads() {
    // As the studio wrote sessions before cost models and serving rules: none of the three keys.
    const QString path = m_dir.filePath("before-rules.eenet-session");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(R"({"format": "eenet-session", "format_version": 1, "input_file": "/a.h5", "input_sha256": "",
        "budget": 2.5, "method": "entropy", "split": "val", "calibrated": true, "schedulers": [],
        "window": {"geometry": "", "state": ""}})");
    file.close();
    const SessionState read = readSessionFile(path.toStdString());
    QCOMPARE(read.costModel, std::string("costs"));
    QVERIFY(!read.serving);
    QCOMPARE(read.guarantee, 0.0);
    QCOMPARE(read.budget, 2.5);
    QCOMPARE(read.method, std::string("entropy"));
    QVERIFY(read.calibrated);
    // "sample", written by hand, is the default rule too.
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(R"({"format": "eenet-session", "format_version": 1, "input_file": "/a.h5", "budget": 2.5,
        "method": "entropy", "serving": "sample"})");
    file.close();
    QVERIFY(!readSessionFile(path.toStdString()).serving);
}

void TestSessionFile::aFailedWriteKeepsTheOldFile() {
    const QString plain = m_dir.filePath("a-file");
    QFile file(plain);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("keep");
    file.close();
    QVERIFY_THROWS_EXCEPTION(IoError,
                             writeSessionFile((plain + "/s.eenet-session").toStdString(), SessionState{}));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("keep"));
    QVERIFY_THROWS_EXCEPTION(IoError, readSessionFile(m_dir.filePath("missing").toStdString()));
}

using JsonReader = std::function<void(const std::string&)>;
Q_DECLARE_METATYPE(JsonReader)

// Both JSON readers (sessions, and the schedulers a session embeds) refuse a file by its size, before reading
// a byte: a 2 GiB file (sparse, so it costs no disk) fails at once and the process does not grow.
void TestSessionFile::hugeFilesAreRefusedBeforeReading_data() {
    QTest::addColumn<JsonReader>("read");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<QString>("expected");
    const JsonReader session = [](const std::string& path) { readSessionFile(path); };
    const JsonReader scheduler = [](const std::string& path) { readSchedulerFile(path); };
    QTest::newRow("session of 2 GiB") << session << (qint64(2) << 30) << "a session file is at most 256 MiB";
    QTest::newRow("session of 256 MiB + 1") << session << (qint64(256) << 20) + 1 << "at most 256 MiB";
    QTest::newRow("scheduler of 2 GiB")
        << scheduler << (qint64(2) << 30) << "a scheduler file is at most 64 MiB";
    QTest::newRow("scheduler of 64 MiB + 1") << scheduler << (qint64(64) << 20) + 1 << "at most 64 MiB";
}

void TestSessionFile::hugeFilesAreRefusedBeforeReading() {
    QFETCH(JsonReader, read);
    QFETCH(qint64, size);
    QFETCH(QString, expected);
    const QString path = m_dir.filePath("huge.json");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QVERIFY(file.write("{") == 1);
    QVERIFY(file.resize(size));
    file.close();
    const auto remove = qScopeGuard([&] { QFile::remove(path); });
    try {
        read(path.toStdString());
        QFAIL("a huge file must not load");
    } catch (const FormatError& e) {
        QCOMPARE(QString::fromStdString(e.file()), path);
        QCOMPARE(QString::fromStdString(e.dataset()), QStringLiteral("/"));
        QVERIFY2(QString::fromStdString(e.problem()).contains(QString::number(size) + " bytes"), e.what());
        QVERIFY2(QString::fromStdString(e.problem()).contains(expected), e.what());
    }
}

QTEST_MAIN(TestSessionFile)
#include "tst_sessionfile.moc"
