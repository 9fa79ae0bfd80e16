#pragma once

#include <QString>

namespace eenet {

struct ReportContent;

/// Draws the report's charts and gallery, builds its page and writes it to `path` atomically (core's
/// writeFileAtomically: an existing file stays as it was when anything fails). Returns the bytes written.
/// GUI thread only, under a QApplication: the charts are the studio's widgets. Throws IoError naming `path`
/// when the file cannot be written, eenet::Error when a picture cannot be made.
qint64 writeReport(const QString& path, const ReportContent& content);

} // namespace eenet
