#include "FileDialogs.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>

namespace eenet {
namespace {

constexpr auto kSessionSuffix = ".eenet-session";

} // namespace

QString askPredictionsFile(QWidget* parent, const QString& startDirectory) {
    return QFileDialog::getOpenFileName(parent, QFileDialog::tr("Open predictions file"), startDirectory,
                                        QFileDialog::tr("Predictions (*.h5 *.hdf5);;All files (*)"));
}

QString askSchedulerPath(QWidget* parent, const QString& suggestedName) {
    QString filter;
    QString path = QFileDialog::getSaveFileName(
        parent, QFileDialog::tr("Export scheduler"), QDir::home().filePath(suggestedName),
        QFileDialog::tr("Scheduler JSON (*.json);;TorchScript (*.pt)"), &filter);
    if (path.isEmpty())
        return path;
    const QString suffix =
        filter.contains(QLatin1String("*.pt")) ? QStringLiteral("pt") : QStringLiteral("json");
    if (QFileInfo(path).suffix().toLower() != suffix)
        path += QLatin1Char('.') + suffix;
    return path;
}

QString askReportPath(QWidget* parent, const QString& suggestedName) {
    QString path = QFileDialog::getSaveFileName(parent, QFileDialog::tr("Export report"),
                                                QDir::home().filePath(suggestedName),
                                                QFileDialog::tr("HTML report (*.html *.htm)"));
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (!path.isEmpty() && suffix != QLatin1String("html") && suffix != QLatin1String("htm"))
        path += QStringLiteral(".html");
    return path;
}

QString askSessionToSave(QWidget* parent) {
    QString path = QFileDialog::getSaveFileName(parent, QFileDialog::tr("Save session"), QDir::homePath(),
                                                QFileDialog::tr("EENet Studio session (*.eenet-session)"));
    if (!path.isEmpty() && !path.endsWith(QLatin1String(kSessionSuffix)))
        path += QLatin1String(kSessionSuffix);
    return path;
}

QString askSessionToOpen(QWidget* parent) {
    return QFileDialog::getOpenFileName(
        parent, QFileDialog::tr("Open session"), QDir::homePath(),
        QFileDialog::tr("EENet Studio session (*.eenet-session);;All files (*)"));
}

bool isSessionFile(const QString& path) {
    return path.endsWith(QLatin1String(kSessionSuffix), Qt::CaseInsensitive);
}

void askToLocateInput(QWidget* parent, const QString& sessionPath, const QString& inputPath,
                      const QString& reason, std::function<void(const QString&)> located,
                      std::function<void()> cancelled) {
    auto* box = new QMessageBox(
        QMessageBox::Warning, QMessageBox::tr("Session input not found"),
        QMessageBox::tr("The session %1 cannot be restored yet: its input file %2 cannot be opened.")
            .arg(QFileInfo(sessionPath).fileName(), QDir::toNativeSeparators(inputPath)),
        QMessageBox::Cancel, parent);
    box->setObjectName(QStringLiteral("inputMissingBox"));
    box->setInformativeText(
        QMessageBox::tr(
            "If the file moved, locate it: the session's budget, method and trained schedulers are "
            "restored on it, and you are warned if its contents changed. (%1)")
            .arg(reason));
    QAbstractButton* locate = box->addButton(QMessageBox::tr("Locate…"), QMessageBox::AcceptRole);
    box->setDefaultButton(static_cast<QPushButton*>(locate));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(
        box, &QMessageBox::finished, box,
        [parent, box, locate, inputPath, located = std::move(located), cancelled = std::move(cancelled)] {
            const QString path = box->clickedButton() == locate
                                     ? askPredictionsFile(parent, QFileInfo(inputPath).absolutePath())
                                     : QString();
            if (path.isEmpty())
                cancelled();
            else
                located(path);
        });
    box->open();
}

} // namespace eenet
