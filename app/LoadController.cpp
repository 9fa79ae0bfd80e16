#include "LoadController.h"

#include "Error.h"
#include "io/PredictionsReader.h"

#include <QtConcurrent/QtConcurrentRun>

namespace eenet {

LoadController::LoadController(QObject* parent)
    : QObject(parent) {
    // One loader thread: HDF5 is serialised anyway, and queued loads run in order.
    m_pool.setMaxThreadCount(1);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &LoadController::onFinished);
}

LoadController::~LoadController() {
    m_watcher.disconnect(this);
    m_pool.waitForDone();
}

void LoadController::load(const QString& path) {
    m_pendingPath = path;
    Q_EMIT loadStarted(path);
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [path]() {
        Result result{path, nullptr, {}};
        try {
            result.predictions = readPredictions(path.toStdString());
        } catch (const Error& e) {
            result.error = QString::fromStdString(e.what());
        } catch (const std::exception& e) {
            result.error =
                QStringLiteral("%1: unexpected error: %2").arg(path, QString::fromStdString(e.what()));
        }
        return result;
    }));
}

void LoadController::onFinished() {
    if (m_watcher.isCanceled() || m_watcher.future().resultCount() == 0)
        return;
    const Result result = m_watcher.result();
    if (result.path != m_pendingPath)
        return; // overtaken by a newer request
    if (result.predictions)
        Q_EMIT loaded(result.path, result.predictions);
    else
        Q_EMIT failed(result.path, result.error);
}

} // namespace eenet
