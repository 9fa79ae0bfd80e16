#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QTest>

/// Writes the caches of tests/core/import/make_caches.py into `dir` and returns its JSON summary (the source
/// arrays of each valid cache) through `summary`. It needs python3-torch and numpy: without them the test
/// fails, it does not skip. The summary comes back through an argument because QVERIFY returns from the
/// function it fails in, which must return void.
inline void makeCacheFixtures(const QString& dir, QJsonObject& summary) {
    QProcess python;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // Two cores shared with other builds: keep torch and OpenBLAS to one thread each.
    environment.insert("OMP_NUM_THREADS", "1");
    environment.insert("OPENBLAS_NUM_THREADS", "1");
    environment.insert("PYTHONDONTWRITEBYTECODE", "1");
    python.setProcessEnvironment(environment);
    python.start(QStringLiteral(EENET_PYTHON),
                 {QStringLiteral(EENET_SOURCE_DIR "/tests/core/import/make_caches.py"), dir});
    QVERIFY2(python.waitForStarted(), qPrintable("cannot start " EENET_PYTHON ": " + python.errorString()));
    QVERIFY2(python.waitForFinished(240000), "make_caches.py did not finish within 240 s");
    const QString errors = QString::fromUtf8(python.readAllStandardError());
    QVERIFY2(python.exitStatus() == QProcess::NormalExit && python.exitCode() == 0,
             qPrintable("make_caches.py failed (python3-torch and numpy are needed):\n" + errors));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(python.readAllStandardOutput(), &error);
    QVERIFY2(document.isObject(),
             qPrintable("make_caches.py printed no JSON summary: " + error.errorString()));
    summary = document.object();
}
