#include "LoadController.h"
#include "MainWindow.h"
#include "RecentFiles.h"
#include "SampleLocator.h"
#include "SessionRecovery.h"
#include "session/Session.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QIcon>

#include <cstdio>

namespace {

/// --quit-after-load: prints what was loaded and exits 0, or prints the error and exits 1. Connected after
/// the window's own handlers, so the session holds the data when this runs.
void quitOnceLoaded(eenet::MainWindow& window) {
    QObject::connect(window.loader(), &eenet::LoadController::loaded, &window,
                     [&window](const QString& path) {
                         const eenet::DatasetSummary& s = window.session()->summary();
                         std::printf("Loaded %s: %d exits, %d classes, %d validation and %d test samples\n",
                                     qPrintable(QDir::toNativeSeparators(QFileInfo(path).absoluteFilePath())),
                                     s.numExits, s.numClasses, s.numVal, s.numTest);
                         std::fflush(stdout);
                         QCoreApplication::exit(0);
                     });
    QObject::connect(window.loader(), &eenet::LoadController::failed, &window,
                     [](const QString& path, const QString& message) {
                         // The reader's messages name the file already; anything else gets it here.
                         const QString error =
                             message.contains(path) ? message : QStringLiteral("%1: %2").arg(path, message);
                         std::fprintf(stderr, "eenet-studio: error: %s\n", qPrintable(error));
                         QCoreApplication::exit(1);
                     });
}

} // namespace

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("EENet"));
    QApplication::setApplicationName(QStringLiteral("EENet Studio"));
    QApplication::setApplicationVersion(QStringLiteral(EENET_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/eenet-studio.png")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Analysis studio for early-exit neural networks."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("file"),
        QStringLiteral("Predictions file (HDF5) or session (.eenet-session) to open."));
    const QCommandLineOption quitAfterLoad(
        QStringLiteral("quit-after-load"),
        QStringLiteral("Quit once the file is loaded: print what was loaded and exit 0, or print the error "
                       "and exit 1 (for install checks and scripts)."));
    parser.addOption(quitAfterLoad);
    parser.process(app);

    eenet::MainWindow window;
    window.show();
    if (parser.isSet(quitAfterLoad))
        quitOnceLoaded(window);

    // A file on the command line wins; otherwise the last file opened, or the shipped sample on first start.
    QString path;
    if (!parser.positionalArguments().isEmpty())
        path = parser.positionalArguments().front();
    else if (const QStringList recent = eenet::RecentFiles().files();
             !recent.isEmpty() && QFileInfo::exists(recent.front()))
        path = recent.front();
    else
        path = eenet::sampleFilePath();
    // A session a crash left unsaved is offered first; without one (or when declined) the file opens.
    if (parser.isSet(quitAfterLoad) ||
        !window.recovery()->offerLeftover([&window, path] { window.openFile(path); }))
        window.openFile(path);
    return QApplication::exec();
}
