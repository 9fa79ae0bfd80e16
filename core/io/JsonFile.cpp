#include "io/JsonFile.h"

#include "Error.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>

namespace eenet {

QByteArray readLimitedFile(const std::string& path, qint64 maxBytes, const std::string& kind) {
    QFile in(QString::fromStdString(path));
    if (!in.exists())
        throw IoError(path, "no such file");
    if (!in.open(QIODevice::ReadOnly))
        throw IoError(path, "cannot read: " + in.errorString().toStdString());
    if (in.size() > maxBytes)
        throw FormatError(path, "/",
                          "is " + std::to_string(in.size()) + " bytes; " + kind + " is at most " +
                              std::to_string(maxBytes / (1024 * 1024)) + " MiB");
    return in.readAll();
}

QJsonObject parseJsonObject(const QByteArray& json, const std::string& path) {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        throw FormatError(path, "/",
                          "not a JSON object (" + error.errorString().toStdString() + " at byte " +
                              std::to_string(error.offset) + ")");
    if (!document.isObject())
        throw FormatError(path, "/", "not a JSON object (the top level is an array)");
    return document.object();
}

} // namespace eenet
