#include "RecentFiles.h"

#include <QFileInfo>
#include <QSettings>

namespace eenet {
namespace {
constexpr const char* kSettingsKey = "recentFiles";
}

RecentFiles::RecentFiles(QObject* parent)
    : QObject(parent)
    , m_files(QSettings().value(kSettingsKey).toStringList()) {}

void RecentFiles::add(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (!m_files.isEmpty() && m_files.front() == absolute)
        return;
    m_files.removeAll(absolute);
    m_files.prepend(absolute);
    while (m_files.size() > kMaxFiles)
        m_files.removeLast();
    store();
}

void RecentFiles::remove(const QString& path) {
    if (m_files.removeAll(QFileInfo(path).absoluteFilePath()) > 0)
        store();
}

void RecentFiles::clear() {
    if (m_files.isEmpty())
        return;
    m_files.clear();
    store();
}

void RecentFiles::store() {
    QSettings().setValue(kSettingsKey, m_files);
    Q_EMIT changed();
}

} // namespace eenet
