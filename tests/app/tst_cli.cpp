#include "data/DatasetSummary.h"
#include "io/PredictionsReader.h"

#include "CliRunner.h"
#include "TestData.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace eenet;

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void infoText();
    void infoJsonMatchesTheReader();
    void infoOnTheShippedSample();
    void badInput_data();
    void badInput();

private:
    QTemporaryDir m_dir;
    QString m_file;
};

void TestCli::initTestCase() {
    m_file = m_dir.filePath("synthetic.h5");
    test::writeSynthetic(m_file, {4, 10, 500, 200, 9});
}

void TestCli::infoText() {
    const CliRun run = runCli({"info", m_file});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.err.isEmpty());
    QVERIFY(run.out.contains("exits (K):   4"));
    QVERIFY(run.out.contains("classes (C): 10"));
    QVERIFY(run.out.contains("val (N):     500"));
    QVERIFY(run.out.contains("test (M):    200"));
    const auto summary = summarize(*readPredictions(m_file.toStdString()));
    for (const ExitSummary& exit : summary.exits)
        QVERIFY2(run.out.contains(QString::number(exit.valAccuracyPercent, 'f', 2).toUtf8()),
                 run.out.constData());
}

void TestCli::infoJsonMatchesTheReader() {
    const CliRun run = runCli({"info", m_file, "--json"});
    QCOMPARE(run.exitCode, 0);
    QJsonParseError error;
    const QJsonObject json = QJsonDocument::fromJson(run.out, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(json["num_exits"].toInt(), 4);
    QCOMPARE(json["num_classes"].toInt(), 10);
    QCOMPARE(json["num_val"].toInt(), 500);
    QCOMPARE(json["num_test"].toInt(), 200);
    QCOMPARE(json["cost_unit"].toString(), QString("ms"));
    const auto summary = summarize(*readPredictions(m_file.toStdString()));
    const QJsonArray exits = json["exits"].toArray();
    QCOMPARE(exits.size(), 4);
    for (int k = 0; k < 4; ++k) {
        QCOMPARE(exits[k]["cost"].toDouble(), summary.exits[size_t(k)].cost);
        QCOMPARE(exits[k]["val_accuracy"].toDouble(), summary.exits[size_t(k)].valAccuracyPercent);
        QCOMPARE(exits[k]["test_accuracy"].toDouble(), *summary.exits[size_t(k)].testAccuracyPercent);
        QVERIFY(exits[k]["flops"].isNull());
    }
    QCOMPARE(json["class_names"].toArray().size(), 10);
}

void TestCli::infoOnTheShippedSample() {
    const CliRun run = runCli({"info", test::samplePath(), "--json"});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject json = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(json["num_exits"].toInt(), 4);
    QCOMPARE(json["dataset"].toString(), QString("Fashion-MNIST"));
    const QJsonArray exits = json["exits"].toArray();
    for (int k = 1; k < exits.size(); ++k)
        QVERIFY(exits[k]["test_accuracy"].toDouble() > exits[k - 1]["test_accuracy"].toDouble());
}

void TestCli::badInput_data() {
    addRejectedColumns();
    const QString text = m_dir.filePath("text.h5");
    QVERIFY(test::writeBytes(text, "hello\n"));
    const QString missing = m_dir.filePath("missing.h5");
    QTest::newRow("not hdf5") << QStringList{"info", text} << 1 << (text + ": /: not an HDF5 file");
    QTest::newRow("not hdf5 json") << QStringList{"info", text, "--json"} << 1 << "not an HDF5 file";
    QTest::newRow("missing") << QStringList{"info", missing} << 1 << (missing + ": no such file");
    QTest::newRow("no command") << QStringList{} << 2 << "usage: eenet-cli";
    QTest::newRow("unknown command") << QStringList{"frobnicate"} << 2 << "unknown command 'frobnicate'";
    QTest::newRow("info without file") << QStringList{"info"} << 2 << "missing FILE";
    QTest::newRow("unknown option") << QStringList{"info", m_file, "--xml"} << 2 << "unknown option '--xml'";
}

void TestCli::badInput() {
    CliRun run;
    runRejectedRow(run);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(run.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
