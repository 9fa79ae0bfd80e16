#include "LoadController.h"

#include "Error.h"
#include "io/PredictionsReader.h"

namespace eenet {

LoadController::LoadController(QObject* parent)
    : QObject(parent)
    , m_job(this, [this](const Result& result) { onFinished(result); }) {}

void LoadController::load(const QString& path) {
    Q_EMIT loadStarted(path);
    m_job.start([path]() {
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
    });
}

void LoadController::onFinished(const Result& result) {
    if (result.predictions)
        Q_EMIT loaded(result.path, result.predictions);
    else
        Q_EMIT failed(result.path, result.error);
}

} // namespace eenet
