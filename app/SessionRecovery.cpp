#include "SessionRecovery.h"

#include "SessionController.h"
#include "UnsavedWork.h"
#include "io/SessionFile.h"
#include "session/Session.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>

#include <cerrno>
#include <csignal>

namespace eenet {
namespace {

constexpr const char* kPrefix = "recovery-";
constexpr const char* kSuffix = ".eenet-session";

QDir recoveryDir() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation));
}

bool processIsAlive(qint64 pid) {
    return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

} // namespace

SessionRecovery::SessionRecovery(Session* session, SessionController* sessions, UnsavedWork* unsaved,
                                 QWidget* window)
    : QObject(window)
    , m_session(session)
    , m_sessions(sessions)
    , m_unsaved(unsaved)
    , m_window(window) {
    m_timer.setInterval(kAutosaveMs);
    connect(&m_timer, &QTimer::timeout, this, &SessionRecovery::update);
    m_timer.start();
    // A trained scheduler can be minutes of work: keep it at once.
    connect(session, &Session::schedulersChanged, this, &SessionRecovery::update);
    connect(sessions, &SessionController::saved, this, &SessionRecovery::update);
}

QString SessionRecovery::ownPath() {
    return recoveryDir().filePath(
        QStringLiteral("%1%2%3").arg(kPrefix).arg(QCoreApplication::applicationPid()).arg(kSuffix));
}

bool SessionRecovery::isRecoveryFile(const QString& path) {
    const QFileInfo file(path);
    return file.absolutePath() == recoveryDir().absolutePath() && file.fileName().startsWith(kPrefix) &&
           file.fileName().endsWith(kSuffix);
}

QString SessionRecovery::leftoverPath() {
    const QFileInfoList files =
        recoveryDir().entryInfoList({QStringLiteral("%1*%2").arg(kPrefix, kSuffix)}, QDir::Files, QDir::Time);
    for (const QFileInfo& file : files) {
        const QString pid = file.fileName().mid(int(qstrlen(kPrefix))).chopped(int(qstrlen(kSuffix)));
        bool ok = false;
        const qint64 owner = pid.toLongLong(&ok);
        if (ok && !processIsAlive(owner))
            return file.absoluteFilePath();
    }
    return {};
}

void SessionRecovery::update() {
    if (!m_unsaved->isModified()) {
        discard();
        return;
    }
    recoveryDir().mkpath(QStringLiteral("."));
    m_sessions->writeRecovery(ownPath());
}

void SessionRecovery::discard() {
    QFile::remove(ownPath());
}

bool SessionRecovery::offerLeftover(std::function<void()> otherwise) {
    const QString path = leftoverPath();
    if (path.isEmpty())
        return false;
    QString what;
    try {
        const SessionState state = readSessionFile(path.toStdString());
        what = tr("Its input was %1, with %n trained EENet scheduler(s).", "", int(state.fits.size()))
                   .arg(QDir::toNativeSeparators(QString::fromStdString(state.inputFile)));
    } catch (const std::exception&) {
        QFile::remove(path); // a recovery file cut short by the crash itself holds nothing to restore
        return false;
    }
    auto* box = new QMessageBox(QMessageBox::Question, tr("Restore unsaved session"),
                                tr("EENet Studio did not close normally on %1. Restore the session it had "
                                   "not saved?")
                                    .arg(QFileInfo(path).lastModified().toString(Qt::TextDate)),
                                QMessageBox::NoButton, m_window);
    box->setObjectName(QStringLiteral("recoveryBox"));
    QAbstractButton* restore = box->addButton(tr("Restore"), QMessageBox::AcceptRole);
    QAbstractButton* discard = box->addButton(QMessageBox::Discard);
    box->setDefaultButton(static_cast<QPushButton*>(restore));
    box->setInformativeText(what);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this,
            [this, box, restore, discard, path, otherwise = std::move(otherwise)] {
                if (box->clickedButton() == restore) {
                    // Restored work stays unsaved (UnsavedWork) and this process keeps it in its own file
                    // from now on.
                    m_sessions->open(path);
                    connect(
                        m_sessions, &SessionController::restored, this, [path] { QFile::remove(path); },
                        Qt::SingleShotConnection);
                } else {
                    // Only an explicit Discard deletes the work; closing the box keeps it for the next start.
                    if (box->clickedButton() == discard)
                        QFile::remove(path);
                    otherwise();
                }
            });
    box->open();
    return true;
}

} // namespace eenet
