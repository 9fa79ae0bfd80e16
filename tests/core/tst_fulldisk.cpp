#include "CliRunner.h"
#include "Error.h"
#include "FileSizeLimit.h"
#include "TestData.h"
#include "eval/Evaluator.h"
#include "eval/SchedulerExport.h"
#include "io/PredictionsReader.h"
#include "io/PredictionsWriter.h"
#include "io/SessionFile.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace eenet;
using namespace eenet::test;

/// A disk that fills up during a write (simulated with a file-size limit, which stops root too) leaves the
/// file that was there byte-identical and no temporary file behind, for every kind of file the project
/// writes: predictions, scheduler JSON and TorchScript, sessions, the CLI's decisions CSV and its HTML report
/// (the studio's File > Export Report... writes through the same writer). (Chart and inspector exports:
/// tst_chartexport.)
class TestFullDisk : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void aFullDiskKeepsTheOldFile_data();
    void aFullDiskKeepsTheOldFile();

private:
    /// Runs the writer of `kind` to `path`; throws what it throws.
    void write(const QString& kind, const QString& path);

    QTemporaryDir m_dir;
    std::shared_ptr<const Predictions> m_predictions;
    std::unique_ptr<Evaluator> m_evaluator;
    QString m_predictionsPath;
    QString m_schedulerPath;
};

void TestFullDisk::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_predictionsPath = writeSynthetic(m_dir.filePath("input.h5"), {4, 10, 3000, 1000, 5});
    m_predictions = readPredictions(m_predictionsPath.toStdString()); // provenance hashes its file
    m_evaluator = std::make_unique<Evaluator>(m_predictions);
    m_schedulerPath = m_dir.filePath("for-cli.json");
    write(QStringLiteral("scheduler json"), m_schedulerPath);
}

void TestFullDisk::write(const QString& kind, const QString& path) {
    if (kind == "predictions") {
        writePredictions(path.toStdString(), *m_predictions);
    } else if (kind.startsWith("scheduler")) {
        const auto snapshot = snapshotOf(*m_evaluator, "maxprob", budgetAt(*m_predictions, 0.4));
        const SchedulerFile file =
            schedulerFileFor(*snapshot, *m_predictions,
                             provenanceFor(*m_predictions, *Method::parse("maxprob"), EENetOptions{}));
        exportScheduler(path.toStdString(), file, *snapshot, *m_predictions);
    } else if (kind == "session") {
        SessionState state;
        state.inputFile = m_predictionsPath.toStdString();
        state.budget = budgetAt(*m_predictions, 0.5);
        state.method = "maxprob";
        state.windowState = QByteArray(200000, 'x'); // larger than the limit below
        writeSessionFile(path.toStdString(), state);
    } else if (kind.startsWith("cli")) {
        QStringList arguments{"apply", m_schedulerPath, m_predictionsPath, "--decisions", path};
        if (kind == "cli report")
            arguments = {"report",   m_predictionsPath, "--budget", "40%",
                         "--method", "maxprob",         "--out",    path};
        const CliRun run = runCli(arguments);
        if (run.exitCode != 0)
            throw IoError(path.toStdString(), run.err.toStdString());
    }
}

void TestFullDisk::aFullDiskKeepsTheOldFile_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("fileName");
    /// Below each file's size, so the disk fills up midway.
    QTest::addColumn<int>("limitBytes");
    QTest::newRow("predictions") << "predictions"
                                 << "out.h5" << 4096;
    QTest::newRow("scheduler json") << "scheduler json"
                                    << "out.json" << 512;
    QTest::newRow("scheduler torchscript") << "scheduler pt"
                                           << "out.pt" << 4096;
    QTest::newRow("session") << "session"
                             << "out.eenet-session" << 4096;
    QTest::newRow("cli decisions") << "cli decisions"
                                   << "out.csv" << 4096;
    QTest::newRow("cli report") << "cli report"
                                << "out.html" << 65536;
}

void TestFullDisk::aFullDiskKeepsTheOldFile() {
    QFETCH(QString, kind);
    QFETCH(QString, fileName);
    QFETCH(int, limitBytes);
    QTemporaryDir dir;
    const QString path = dir.filePath(fileName);
    const QByteArray old("the user's file, which must survive\n");
    QVERIFY(writeBytes(path, old));
    QString error;
    {
        FileSizeLimit limit(static_cast<rlim_t>(limitBytes));
        QVERIFY(limit.active());
        try {
            write(kind, path);
        } catch (const Error& e) {
            error = QString::fromUtf8(e.what());
        }
    }
    QVERIFY2(!error.isEmpty(), "the write did not fail under the file-size limit");
    QVERIFY2(error.contains(fileName), qPrintable(error));
    QVERIFY2(!error.contains(".tmp") && !error.contains("XXXXXX") && !error.contains(".partial"),
             qPrintable(error)); // no temporary name
    QCOMPARE(readBytes(path), old);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{fileName});
}

QTEST_MAIN(TestFullDisk)
#include "tst_fulldisk.moc"
