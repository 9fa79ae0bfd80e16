#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

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
