#include "io/AtomicFile.h"

#include "Error.h"

#include <QFileInfo>
#include <QSaveFile>

namespace eenet {
namespace {

/// One sentence naming the target, never QSaveFile's temporary file.
IoError writeError(const std::string& path, const QString& reason) {
    const QFileInfo target(QString::fromStdString(path));
    const QFileInfo directory(target.absolutePath());
    if (!directory.exists())
        return IoError(path, "cannot write: the directory " + target.absolutePath().toStdString() +
                                 " does not exist");
    if (!directory.isDir())
        return IoError(path, "cannot write: " + target.absolutePath().toStdString() + " is not a directory");
    return IoError(path, "cannot write: " + reason.toStdString());
}

} // namespace

void writeFileAtomically(const std::string& path, const QByteArray& bytes) {
    QSaveFile out(QString::fromStdString(path));
    // Unbuffered, with the written size checked here: QSaveFile::commit() ignores errors of its final flush
    // (Qt 6.4) and would put a truncated file in place on a full disk.
    if (!out.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        throw writeError(path, out.errorString());
    if (out.write(bytes) != bytes.size()) {
        const QString reason = out.errorString();
        out.cancelWriting();
        throw writeError(path, reason);
    }
    if (!out.commit())
        throw writeError(path, out.errorString());
}

} // namespace eenet
