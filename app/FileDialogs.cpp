#include "FileDialogs.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>

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

} // namespace eenet
