#pragma once

#include "LatestJob.h"
#include "import/CacheImport.h"

#include <QObject>
#include <QString>

namespace eenet {

/// File ▸ Import…: converts a prediction cache into a predictions file off the GUI thread (reading a large
/// cache takes seconds). The latest import wins; signals are emitted on the owner's (GUI) thread.
class CacheImporter : public QObject {
    Q_OBJECT
public:
    explicit CacheImporter(QObject* parent = nullptr);

    void start(const CacheImportRequest& request, const QString& outPath);
    bool isBusy() const { return m_job.isBusy(); }

Q_SIGNALS:
    /// `summary`: what was detected and where the costs came from, on one line (importSummary()); the file's
    /// description holds the whole report.
    void imported(const QString& outPath, const QString& summary);
    void failed(const QString& source, const QString& message);

private:
    struct Result {
        QString source;
        QString outPath;
        QString summary;
        QString error;
    };
    void onFinished(const Result& result);

    LatestJob<Result> m_job;
};

} // namespace eenet
