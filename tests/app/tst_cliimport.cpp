#include "CacheFixtures.h"
#include "CliRunner.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

class TestCliImport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void helpListsImport();
    void importsAnMsdnetRun();
    void importsAnNpzOfLogits();
    void rejected_data();
    void rejected();

private:
    QString fixture(const QString& name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    QJsonObject m_summary;
};

void TestCliImport::initTestCase() {
    QVERIFY(m_dir.isValid());
    makeCacheFixtures(m_dir.path(), m_summary);
}

void TestCliImport::helpListsImport() {
    const CliRun help = runCli({QStringLiteral("help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains(
        "eenet-cli import SOURCE --out FILE.h5 [--flops flops.pth] [--seconds seconds.csv]"));
    const CliRun own = runCli({QStringLiteral("import"), QStringLiteral("--help")});
    QCOMPARE(own.exitCode, 0);
    for (const char* option : {"--out FILE.h5", "--flops flops.pth", "--seconds seconds.csv",
                               "--classes names.txt", "--model NAME", "--dataset NAME"})
        QVERIFY2(own.out.contains(option), option);
}

void TestCliImport::importsAnMsdnetRun() {
    const QString out = fixture("msdnet.h5");
    const CliRun run = runCli(
        {QStringLiteral("import"), fixture("msdnet-run/logits_single.pth"), QStringLiteral("--flops"),
         fixture("msdnet-run/flops.pth"), QStringLiteral("--seconds"), fixture("msdnet-run/seconds.csv"),
         QStringLiteral("--classes"), fixture("msdnet-run/classes.txt"), QStringLiteral("--out"), out,
         QStringLiteral("--dataset"), QStringLiteral("CIFAR-4")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    const QStringList lines = QString::fromUtf8(run.out).split('\n', Qt::SkipEmptyParts);
    const QStringList expected = {
        "source:      " + fixture("msdnet-run/logits_single.pth") +
            ", a torch.save tuple of val_pred, val_target, test_pred, test_target",
        "exits (K):   3",
        "classes (C): 4",
        "val (N):     6 samples; element 0 (val predictions), float32: probabilities (every row lies in [0, "
        "1] and "
        "sums to 1)",
        "test (M):    5 samples; element 2 (test predictions), float32: probabilities (every row lies in [0, "
        "1] "
        "and sums to 1)",
        "costs:       1.5, 2.5, 4 ms, from seconds.csv (latencies in ms)",
        "flops:       MFLOPs, from flops.pth (FLOPs / 10^6)",
        "class names: from classes.txt",
        "written:     " + out,
    };
    QCOMPARE(lines, expected);

    const CliRun info = runCli({QStringLiteral("info"), out});
    QVERIFY2(info.exitCode == 0, qPrintable(info.err));
    QVERIFY(info.out.contains("dataset:     CIFAR-4"));
    QVERIFY(info.out.contains("classes: 0 cat, 1 dog, 2 ship, 3 truck"));
    QVERIFY(info.out.contains("cost unit:   ms"));
}

void TestCliImport::importsAnNpzOfLogits() {
    const QString out = fixture("compressed.h5");
    const CliRun run =
        runCli({QStringLiteral("import"), fixture("compressed.npz"), QStringLiteral("--out"), out});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QString text = QString::fromUtf8(run.out);
    QVERIFY2(text.contains("val (N):     6 samples; val_logits, float16: logits (named so); softmax applied"),
             qPrintable(text));
    QVERIFY2(text.contains("costs:       1, 2, 3 units, from costs in compressed.npz"), qPrintable(text));
    QVERIFY2(text.contains("note:        compressed.npz names no cost_unit"), qPrintable(text));
    QVERIFY2(text.contains("note:        ignored in compressed.npz: run_notes"), qPrintable(text));
    QCOMPARE(runCli({QStringLiteral("info"), out}).exitCode, 0);
}

void TestCliImport::rejected_data() {
    addRejectedColumns();
    const QString cache = fixture("msdnet-run/logits_single.pth");
    QTest::newRow("no --out") << QStringList{"import", cache} << 2 << "missing --out";
    QTest::newRow("no source") << QStringList{"import", "--out", fixture("x.h5")} << 2 << "missing SOURCE";
    QTest::newRow("unknown option") << QStringList{"import",        cache,     "--out",
                                                   fixture("x.h5"), "--costs", "c.csv"}
                                    << 2 << "unknown option '--costs'";
    QTest::newRow("no costs") << QStringList{"import", cache, "--out", fixture("x.h5")} << 1
                              << "logits_single.pth: no exit costs";
    QTest::newRow("NaN") << QStringList{"import", fixture("nan.npz"), "--out", fixture("x.h5")} << 1
                         << "nan.npz: val_probs: contains NaN or Inf (exit 1, sample 2, class 1)";
    QTest::newRow("not a tuple") << QStringList{"import",    fixture("not_tuple.pth"),
                                                "--out",     fixture("x.h5"),
                                                "--seconds", fixture("msdnet-run/seconds.csv")}
                                 << 1 << "not_tuple.pth: torch.save data: holds a tensor of shape 3 x 6 x 4";
    QTest::newRow("output folder missing") << QStringList{"import",    cache,
                                                          "--out",     fixture("nowhere/x.h5"),
                                                          "--seconds", fixture("msdnet-run/seconds.csv")}
                                           << 1 << "does not exist";
}

void TestCliImport::rejected() {
    CliRun run;
    runRejectedRow(run);
    QVERIFY2(run.out.isEmpty(), run.out.constData());
    QVERIFY(!QFile::exists(fixture("x.h5")));
}

QTEST_GUILESS_MAIN(TestCliImport)
#include "tst_cliimport.moc"
