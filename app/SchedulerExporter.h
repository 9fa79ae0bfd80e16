#pragma once

#include "LatestJob.h"
#include "eval/SchedulerExport.h"

#include <QObject>
#include <QString>

namespace eenet {

class Session;

/// Exports the method the studio shows at the current budget as a deployable scheduler (JSON or TorchScript
/// by extension), off the GUI thread: hashes the input for the provenance, writes beside the target,
/// replays the written file on val and test against the studio's decisions, and only then replaces the
/// target. Reports "decisions identical on N/N ..." or the error.
class SchedulerExporter : public QObject {
    Q_OBJECT
public:
    explicit SchedulerExporter(Session* session, QObject* parent = nullptr);

    /// Starts the export of the session's snapshot; false (and failed()) when there is nothing to export.
    bool exportTo(const QString& path, const EENetOptions& trainingOptions);
    bool isBusy() const { return m_job.isBusy(); }

Q_SIGNALS:
    void exported(const QString& path, const QString& replaySummary);
    void failed(const QString& path, const QString& message);

private:
    struct Result {
        QString path;
        QString summary;
        QString error;
    };
    void onFinished(const Result& result);

    Session* m_session;
    LatestJob<Result> m_job;
};

} // namespace eenet
