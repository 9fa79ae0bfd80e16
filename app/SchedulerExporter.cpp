#include "SchedulerExporter.h"

#include "session/Session.h"

#include <QtConcurrent/QtConcurrentRun>

namespace eenet {

SchedulerExporter::SchedulerExporter(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session) {
    m_pool.setMaxThreadCount(1);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &SchedulerExporter::onFinished);
}

SchedulerExporter::~SchedulerExporter() {
    m_watcher.disconnect(this);
    m_pool.waitForDone();
}

bool SchedulerExporter::exportTo(const QString& path, const EENetOptions& trainingOptions) {
    const auto snapshot = m_session->snapshot();
    const auto predictions = m_session->predictions();
    if (!snapshot || !predictions || !snapshot->available) {
        Q_EMIT failed(path, snapshot ? QString::fromStdString(snapshot->method + ": " + snapshot->note)
                                     : tr("nothing to export yet"));
        return false;
    }
    if (isBusy()) {
        Q_EMIT failed(path, tr("another export is still running"));
        return false;
    }
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [path, snapshot, predictions, trainingOptions]() {
        Result result{path, {}, {}};
        try {
            const Method method = *Method::parse(snapshot->method);
            const SchedulerFile file = schedulerFileFor(*snapshot, *predictions,
                                                        provenanceFor(*predictions, method, trainingOptions));
            result.summary = QString::fromStdString(
                exportScheduler(path.toStdString(), file, *snapshot, *predictions).summary());
        } catch (const std::exception& e) {
            result.error = QString::fromStdString(e.what());
        }
        return result;
    }));
    return true;
}

void SchedulerExporter::onFinished() {
    if (m_watcher.future().resultCount() == 0)
        return;
    const Result result = m_watcher.result();
    if (result.error.isEmpty())
        Q_EMIT exported(result.path, result.summary);
    else
        Q_EMIT failed(result.path, result.error);
}

} // namespace eenet
