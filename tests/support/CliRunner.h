#pragma once

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTest>

#include <algorithm>

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

/// Runs a Python script with the suite's interpreter (EENET_PYTHON); returns its stderr's message on failure
/// ("exit code 1: ..."), "did not finish", or empty on success.
inline QString runPython(const QString& script, const QStringList& arguments) {
    QProcess process;
    process.start(QStringLiteral(EENET_PYTHON), QStringList{script} + arguments);
    if (!process.waitForFinished(240000))
        return QStringLiteral("did not finish");
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return QStringLiteral("exit code %1: %2")
            .arg(process.exitCode())
            .arg(QString::fromUtf8(process.readAllStandardError()));
    return {};
}

/// The first line where two texts (CSV files) differ, "line 12: '11,2,7' vs '11,1,7'"; empty when equal.
inline QString firstDifference(const QByteArray& a, const QByteArray& b) {
    const QList<QByteArray> left = a.split('\n');
    const QList<QByteArray> right = b.split('\n');
    for (qsizetype i = 0; i < std::max(left.size(), right.size()); ++i) {
        const QByteArray l = i < left.size() ? left[i] : QByteArray("<end>");
        const QByteArray r = i < right.size() ? right[i] : QByteArray("<end>");
        if (l != r)
            return QStringLiteral("line %1: '%2' vs '%3'").arg(i + 1).arg(l, r);
    }
    return {};
}
