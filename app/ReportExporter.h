#pragma once

#include "LatestJob.h"
#include "report/ReportContent.h"

#include <QObject>
#include <QString>

#include <optional>

namespace eenet {

class Session;

/// File ▸ Export Report…: writes the HTML report of the session's method at its budget, compared with every
/// method, with the EENet schedulers the session holds (nothing is trained for it). The figures are computed
/// off the GUI thread; the charts are the studio's own widgets, so drawing them and writing the file follow
/// on the GUI thread under a busy cursor (0.2 s on the shipped sample, after 0.3 s of figures).
class ReportExporter : public QObject {
    Q_OBJECT
public:
    explicit ReportExporter(Session* session, QObject* parent = nullptr);

    /// Starts the report; false (and failed()) when there is nothing to report on: no file, or EENet chosen
    /// before any scheduler was trained.
    bool exportTo(const QString& path);
    bool isBusy() const { return m_job.isBusy(); }

Q_SIGNALS:
    void exported(const QString& path, qint64 bytes);
    void failed(const QString& path, const QString& message);

private:
    struct Result {
        QString path;
        std::optional<ReportContent> content;
        QString error;
    };
    void onFinished(Result result);

    Session* m_session;
    LatestJob<Result> m_job;
};

} // namespace eenet
