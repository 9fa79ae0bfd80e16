#include "io/AtomicFile.h"

#include "Error.h"

#include <QSaveFile>

namespace eenet {

void writeFileAtomically(const std::string& path, const QByteArray& bytes) {
    QSaveFile out(QString::fromStdString(path));
    // Unbuffered, with the written size checked here: QSaveFile::commit() ignores errors of its final flush
    // (Qt 6.4) and would put a truncated file in place on a full disk.
    if (!out.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        throw IoError(path, "cannot write: " + out.errorString().toStdString());
    if (out.write(bytes) != bytes.size()) {
        const std::string reason = out.errorString().toStdString();
        out.cancelWriting();
        throw IoError(path, "cannot write: " + reason);
    }
    if (!out.commit())
        throw IoError(path, "cannot write: " + out.errorString().toStdString());
}

} // namespace eenet
