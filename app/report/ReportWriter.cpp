#include "report/ReportWriter.h"

#include "io/AtomicFile.h"
#include "report/ReportHtml.h"

#include <QDir>

namespace eenet {

qint64 writeReport(const QString& path, const ReportContent& content) {
    const QByteArray page = reportHtml(content, renderReportCharts(content), renderReportGallery(content));
    writeFileAtomically(QDir::toNativeSeparators(path).toStdString(), page);
    return page.size();
}

} // namespace eenet
