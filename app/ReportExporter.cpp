#include "ReportExporter.h"

#include "report/ReportWriter.h"
#include "session/Session.h"

#include <QApplication>

namespace eenet {
namespace {

/// The busy cursor while the GUI thread draws and writes, restored however that ends.
class BusyCursor {
public:
    BusyCursor() { QApplication::setOverrideCursor(Qt::WaitCursor); }
    ~BusyCursor() { QApplication::restoreOverrideCursor(); }
    BusyCursor(const BusyCursor&) = delete;
    BusyCursor& operator=(const BusyCursor&) = delete;
};

} // namespace

ReportExporter::ReportExporter(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_job(this, [this](Result result) { onFinished(std::move(result)); }) {}

bool ReportExporter::exportTo(const QString& path) {
    if (!m_session->hasPredictions()) {
        Q_EMIT failed(path, tr("no file is open"));
        return false;
    }
    if (m_session->method().isLearned() && m_session->schedulers().empty()) {
        Q_EMIT failed(path,
                      tr("%1: no EENet scheduler trained yet: train one (Ctrl+T) or choose another method")
                          .arg(QString::fromStdString(m_session->method().name())));
        return false;
    }
    // Thresholds set by hand are reported on the scores of the method they were set on.
    const auto& custom = m_session->customPolicy();
    ReportRequest request{m_session->predictions(),
                          custom ? custom->base : m_session->method(),
                          m_session->budget(),
                          m_session->schedulers(),
                          m_session->curves(),
                          "EENet Studio " + std::string(EENET_VERSION),
                          custom};
    m_job.start([path, request = std::move(request)]() mutable {
        Result result{path, std::nullopt, {}};
        try {
            result.content = collectReport(std::move(request));
        } catch (const std::exception& e) {
            result.error = QString::fromStdString(e.what());
        }
        return result;
    });
    return true;
}

void ReportExporter::onFinished(Result result) {
    if (!result.content) {
        Q_EMIT failed(result.path, result.error);
        return;
    }
    qint64 bytes = 0;
    try {
        const BusyCursor busy;
        bytes = writeReport(result.path, *result.content);
    } catch (const std::exception& e) {
        Q_EMIT failed(result.path, QString::fromStdString(e.what()));
        return;
    }
    Q_EMIT exported(result.path, bytes);
}

} // namespace eenet
