#pragma once

// Checks shared by the tests of readPredictions: a file that must load, and one that must be refused.

#include "Error.h"
#include "io/PredictionsReader.h"

#include <QString>
#include <QtTest>

#include <memory>

namespace eenet::test {

/// The loaded file, or nullptr (after a warning saying what was thrown) when readPredictions refused it.
inline std::shared_ptr<const Predictions> readOrFail(const QString& path) {
    try {
        return readPredictions(path.toStdString());
    } catch (const std::exception& e) {
        qWarning("readPredictions threw: %s", e.what());
    } catch (...) {
        qWarning("readPredictions threw an exception not derived from std::exception");
    }
    return nullptr;
}

/// Reads `path` expecting a FormatError naming the file, `dataset` (any dataset when empty) and `keyword`.
inline void verifyFormatError(const QString& path, const QString& dataset, const QString& keyword) {
    try {
        readPredictions(path.toStdString());
    } catch (const FormatError& e) {
        const QString what = QString::fromUtf8(e.what());
        QVERIFY2(QString::fromStdString(e.file()) == path, qPrintable("wrong file in: " + what));
        if (!dataset.isEmpty())
            QVERIFY2(QString::fromStdString(e.dataset()) == dataset,
                     qPrintable("expected dataset " + dataset + " in: " + what));
        QVERIFY2(QString::fromStdString(e.problem()).contains(keyword, Qt::CaseInsensitive),
                 qPrintable("expected \"" + keyword + "\" in the problem of: " + what));
        return;
    } catch (const std::exception& e) {
        QFAIL(
            qPrintable("expected eenet::FormatError, got another exception: " + QString::fromUtf8(e.what())));
    } catch (...) {
        QFAIL("expected eenet::FormatError, got an exception not derived from std::exception (HDF5's own?)");
    }
    QFAIL("readPredictions accepted the file");
}

} // namespace eenet::test
