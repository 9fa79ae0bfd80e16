#include "LoadController.h"

#include "Error.h"
#include "PostToOwner.h"
#include "io/PredictionsReader.h"

namespace eenet {

namespace {

/// Progress steps worth a queued signal: a 1 GB file reads in about 250 slabs.
constexpr double kProgressStep = 0.01;

} // namespace

LoadController::LoadController(QObject* parent)
    : QObject(parent)
    , m_job(this, [this](const Result& result) { onFinished(result); }) {}

void LoadController::load(const QString& path) {
    // An overtaken load's result would be dropped anyway: stop reading it.
    if (m_cancel)
        m_cancel->store(true);
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const int load = ++m_latestLoad;
    Q_EMIT loadStarted(path);
    Q_EMIT progressed(0.0);
    m_job.start([this, path, load, cancel = m_cancel]() {
        Result result{path, nullptr, {}, false};
        double reported = 0;
        // Runs on the loader thread: only posts to the GUI thread, which drops it if a newer load started.
        const ReadProgress progress = [this, load, &reported](double fraction) {
            if (fraction < 1.0 && fraction - reported < kProgressStep)
                return;
            reported = fraction;
            postToOwner(this, [this, load, fraction] { onProgress(load, fraction); });
        };
        try {
            result.predictions = readPredictions(path.toStdString(), progress, cancel.get());
        } catch (const CancelledError&) {
            result.cancelled = true;
        } catch (const Error& e) {
            result.error = QString::fromStdString(e.what());
        } catch (const std::exception& e) {
            result.error =
                QStringLiteral("%1: unexpected error: %2").arg(path, QString::fromStdString(e.what()));
        }
        return result;
    });
}

void LoadController::cancel() {
    if (m_cancel && isLoading())
        m_cancel->store(true);
}

void LoadController::onProgress(int load, double fraction) {
    if (load == m_latestLoad && isLoading())
        Q_EMIT progressed(fraction);
}

void LoadController::onFinished(const Result& result) {
    // A cancel that came after the last slab still wins: the user asked to keep what was loaded.
    if (result.cancelled || m_cancel->load())
        Q_EMIT cancelled(result.path);
    else if (result.predictions)
        Q_EMIT loaded(result.path, result.predictions);
    else
        Q_EMIT failed(result.path, result.error);
}

} // namespace eenet
