#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QtGlobal>

#include <string>

namespace eenet {

/// Reads the small JSON files the tool writes (schedulers, sessions). A file over `maxBytes` is refused by
/// its size before a byte is read; `kind` names it in that message ("a scheduler file"). Throws IoError
/// (missing, unreadable) or FormatError.
QByteArray readLimitedFile(const std::string& path, qint64 maxBytes, const std::string& kind);

/// The top-level object of `json`; throws FormatError naming `path` when it is not valid JSON (with the
/// byte where parsing failed) or not an object.
QJsonObject parseJsonObject(const QByteArray& json, const std::string& path);

} // namespace eenet
