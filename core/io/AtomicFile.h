#pragma once

#include <QByteArray>

#include <string>

namespace eenet {

/// Every file the tool writes goes through here: a temporary file beside the target, renamed over it only
/// once all bytes are on disk, so a failure at any point leaves an existing file as it was. Throws IoError
/// naming `path` and the reason.
void writeFileAtomically(const std::string& path, const QByteArray& bytes);

} // namespace eenet
