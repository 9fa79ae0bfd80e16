#include "data/DatasetSummary.h"
#include "io/PredictionsReader.h"

#include "CliRunner.h"
#include "TestData.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
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
    void helpListsEveryOption_data();
    void helpListsEveryOption();
    void helpOptionsAreTheParsersOptions_data();
    void helpOptionsAreTheParsersOptions();
    void classLineIsSummarised_data();
    void classLineIsSummarised();
    void applySaysWhichArgumentIsWrong_data();
    void applySaysWhichArgumentIsWrong();
    void unwritableTargetIsNamedOnce_data();
    void unwritableTargetIsNamedOnce();

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

namespace {

/// The synopsis a command's own --help prints: from "usage: " to the first blank line.
QString synopsisOf(const QByteArray& help) {
    const QString text = QString::fromUtf8(help);
    if (!text.startsWith("usage: "))
        return {};
    return text.mid(7, text.indexOf("\n\n") - 7);
}

} // namespace

void TestCli::helpListsEveryOption_data() {
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("info") << "info" << QStringList{"FILE", "--json"};
    QTest::newRow("evaluate") << "evaluate"
                              << QStringList{"--methods", "--budgets", "--sweep", "--split val|test|both",
                                             "--seed",    "--threads", "--json"};
    QTest::newRow("train") << "train" << QStringList{"--budget B|P%", "--out SCHED.json|SCHED.pt",
                                                     "--method",      "--calibrate temperature",
                                                     "--seed",        "--threads",
                                                     "--reference",   "--json"};
    QTest::newRow("apply") << "apply"
                           << QStringList{"SCHED.json|SCHED.pt FILE", "--split val|test",
                                          "--decisions OUT.csv", "--json"};
    QTest::newRow("report") << "report"
                            << QStringList{"FILE",          "--budget B|P%", "--out REPORT.html", "--method",
                                           "--eenet-curve", "--seed",        "--threads"};
}

void TestCli::helpListsEveryOption() {
    QFETCH(QString, command);
    QFETCH(QStringList, mentions);
    const CliRun help = runCli({"help"});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.err.isEmpty());
    QCOMPARE(runCli({"--help"}).out, help.out);
    const CliRun noArguments = runCli({});
    QCOMPARE(noArguments.exitCode, 2);
    QCOMPARE(noArguments.err, QString::fromUtf8(help.out));

    const CliRun own = runCli({command, "--help"});
    QCOMPARE(own.exitCode, 0);
    QCOMPARE(runCli({command, "-h"}).out, own.out);
    const QString synopsis = synopsisOf(own.out);
    QVERIFY2(synopsis.startsWith("eenet-cli " + command + " "), own.out.constData());
    // The top-level help shows the command's synopsis verbatim, and so does a usage error.
    QVERIFY2(QString::fromUtf8(help.out).contains("  " + synopsis + "\n"), help.out.constData());
    const CliRun misuse = runCli({command, "--no-such-option"});
    QCOMPARE(misuse.exitCode, 2);
    QVERIFY2(misuse.err.endsWith("usage: " + synopsis + "\n"), qPrintable(misuse.err));
    for (const QString& mention : mentions)
        QVERIFY2(synopsis.contains(mention), qPrintable(mention + " missing from " + synopsis));
}

void TestCli::helpOptionsAreTheParsersOptions_data() {
    QTest::addColumn<QString>("command");
    for (const char* command : {"info", "evaluate", "train", "apply", "report"})
        QTest::newRow(command) << command;
}

void TestCli::helpOptionsAreTheParsersOptions() {
    QFETCH(QString, command);
    const QString help = QString::fromUtf8(runCli({command, "--help"}).out);
    QStringList options;
    const QRegularExpression option("--[a-z]+(-[a-z]+)*");
    for (auto match = option.globalMatch(help); match.hasNext();) {
        const QString name = match.next().captured();
        if (name != "--help" && !options.contains(name))
            options << name;
    }
    QVERIFY(!options.isEmpty());
    for (const QString& name : options) {
        // Every option the help names is one the parser knows: it may miss its value or FILE, never be
        // unknown.
        const CliRun run = runCli({command, name});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(!run.err.contains("unknown option"), qPrintable(name + ": " + run.err));
    }
}

void TestCli::classLineIsSummarised_data() {
    QTest::addColumn<int>("classes");
    QTest::addColumn<QString>("expected");
    QTest::newRow("10: all") << 10
                             << "classes: 0 class 0, 1 class 1, 2 class 2, 3 class 3, 4 class 4, 5 class 5, "
                                "6 class 6, 7 class 7, 8 class 8, 9 class 9";
    QStringList fifteen;
    for (int c = 0; c < 15; ++c)
        fifteen << QString("%1 class %1").arg(c);
    QTest::newRow("15: all") << 15 << "classes: " + fifteen.join(", ");
    QTest::newRow("16: summarised") << 16
                                    << "classes: 0 class 0, 1 class 1, 2 class 2, 3 class 3, 4 class 4, …, "
                                       "11 class 11, 12 class 12, 13 class 13, 14 class 14, 15 class 15 "
                                       "(16 classes; --json lists them all)";
    QTest::newRow("1000: summarised")
        << 1000
        << "classes: 0 class 0, 1 class 1, 2 class 2, 3 class 3, 4 class 4, …, 995 class 995, 996 class 996, "
           "997 class 997, 998 class 998, 999 class 999 (1000 classes; --json lists them all)";
}

void TestCli::classLineIsSummarised() {
    QFETCH(int, classes);
    QFETCH(QString, expected);
    const QString file = m_dir.filePath(QString("classes%1.h5").arg(classes));
    test::writeSynthetic(file, {4, classes, 300, 100, 5});
    const CliRun text = runCli({"info", file});
    QCOMPARE(text.exitCode, 0);
    const QStringList lines = QString::fromUtf8(text.out).split('\n').filter(QRegularExpression("^classes:"));
    QCOMPARE(lines.size(), 1);
    QCOMPARE(lines.front(), expected);

    const CliRun json = runCli({"info", file, "--json"});
    QCOMPARE(json.exitCode, 0);
    const QJsonArray names = QJsonDocument::fromJson(json.out).object()["class_names"].toArray();
    QCOMPARE(names.size(), classes);
    for (int c = 0; c < classes; ++c)
        QCOMPARE(names[c].toString(), QString("class %1").arg(c));
}

void TestCli::applySaysWhichArgumentIsWrong_data() {
    addRejectedColumns();
    const QString json = m_dir.filePath("scheduler.json");
    const QString torchScript = m_dir.filePath("scheduler.pt");
    for (const QString& scheduler : {json, torchScript}) {
        const CliRun train =
            runCli({"train", m_file, "--budget", "50%", "--method", "maxprob", "--out", scheduler});
        QVERIFY2(train.exitCode == 0, qPrintable(train.err));
    }
    const QString swapped =
        ": the second argument must be a predictions file (HDF5); the first, " + m_file +
        ", must be a scheduler (.json or .pt) — were they swapped?\nusage: eenet-cli apply";
    QTest::newRow("swapped json") << QStringList{"apply", m_file, json} << 2 << (json + swapped);
    QTest::newRow("swapped torchscript")
        << QStringList{"apply", m_file, torchScript} << 2 << (torchScript + swapped);
    QTest::newRow("two predictions files")
        << QStringList{"apply", m_file, m_file} << 1
        << (m_file +
            ": the first argument must be a scheduler (.json or .pt), this is a predictions file (HDF5)");
    QTest::newRow("two schedulers")
        << QStringList{"apply", json, torchScript} << 1
        << (torchScript +
            ": the second argument must be a predictions file (HDF5), this looks like a scheduler");
    QTest::newRow("right order") << QStringList{"apply", json, m_file} << 0 << "";
}

void TestCli::applySaysWhichArgumentIsWrong() {
    CliRun run;
    runRejectedRow(run);
    QVERIFY2(!run.err.contains("JSON object"), qPrintable(run.err));
}

void TestCli::unwritableTargetIsNamedOnce_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("expected");
    const QString scheduler = m_dir.filePath("for-decisions.json");
    const CliRun train =
        runCli({"train", m_file, "--budget", "50%", "--method", "maxprob", "--out", scheduler});
    QVERIFY2(train.exitCode == 0, qPrintable(train.err));
    const QString missing = m_dir.filePath("missing/dir");
    const QString notWritten = "cannot write: the directory " + missing + " does not exist";
    for (const char* name : {"x.json", "x.pt"}) {
        const QString target = missing + "/" + name;
        QTest::newRow(qPrintable(QString("train --out ") + name))
            << QStringList{"train", m_file, "--budget", "50%", "--method", "maxprob", "--out", target}
            << target << (target + ": " + notWritten);
    }
    const QString decisions = missing + "/d.csv";
    QTest::newRow("apply --decisions") << QStringList{"apply", scheduler, m_file, "--decisions", decisions}
                                       << decisions << (decisions + ": " + notWritten);
    const QString file = m_dir.filePath("plain-file.txt");
    QVERIFY(test::writeBytes(file, "not a directory"));
    QTest::newRow("apply --decisions under a file")
        << QStringList{"apply", scheduler, m_file, "--decisions", file + "/d.csv"} << file + "/d.csv"
        << (file + "/d.csv: cannot write: " + file + " is not a directory");
    QTest::newRow("train --out a directory")
        << QStringList{"train", m_file, "--budget", "50%", "--method", "maxprob", "--out", m_dir.path()}
        << m_dir.path() << (m_dir.path() + ": cannot write: it is a directory");
}

void TestCli::unwritableTargetIsNamedOnce() {
    QFETCH(QStringList, arguments);
    QFETCH(QString, target);
    QFETCH(QString, expected);
    const CliRun run = runCli(arguments);
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.out.isEmpty());
    // One sentence naming the target: no temporary name, no second "cannot write".
    QCOMPARE(run.err, "eenet-cli: error: " + expected + "\n");
    QVERIFY(!QFile::exists(target) || QFileInfo(target).isDir());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
