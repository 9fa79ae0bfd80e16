#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTest>

/// Runs the built eenet-cli (EENET_BIN_DIR is a compile definition of every test) and collects its output.
struct CliRun {
    int exitCode = -1; ///< -1 when it crashed or did not finish in time
    QByteArray out;
    QString err;
};

inline CliRun runCli(const QStringList& arguments, int timeoutMs = 240000) {
    QProcess process;
    process.start(QStringLiteral(EENET_BIN_DIR "/eenet-cli"), arguments);
    if (!process.waitForFinished(timeoutMs))
        return {};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), QString::fromUtf8(process.readAllStandardError())};
}

/// Columns of a data-driven test of command lines eenet-cli must reject: the arguments, the exit code and a
/// part of the message on stderr.
inline void addRejectedColumns() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expected");
}

/// Runs the current row of such a test and checks its exit code and message. The run comes back through
/// `run`, not as a result: QCOMPARE returns from the function it fails in, which must return void.
inline void runRejectedRow(CliRun& run) {
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, expected);
    run = runCli(arguments);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(expected), qPrintable(run.err));
}
