#include "CacheImporter.h"

namespace eenet {

CacheImporter::CacheImporter(QObject* parent)
    : QObject(parent)
    , m_job(this, [this](const Result& result) { onFinished(result); }) {}

void CacheImporter::start(const CacheImportRequest& request, const QString& outPath) {
    m_job.start([request, outPath] {
        Result result{QString::fromStdString(request.source), outPath, {}, {}};
        try {
            result.summary =
                QString::fromStdString(importSummary(importCacheToFile(request, outPath.toStdString())));
        } catch (const std::exception& e) {
            result.error = QString::fromStdString(e.what());
        }
        return result;
    });
}

void CacheImporter::onFinished(const Result& result) {
    if (result.error.isEmpty())
        Q_EMIT imported(result.outPath, result.summary);
    else
        Q_EMIT failed(result.source, result.error);
}

} // namespace eenet
