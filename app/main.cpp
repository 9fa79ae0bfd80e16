#include "MainWindow.h"
#include "RecentFiles.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>

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
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("Predictions file (HDF5) to open."));
    parser.process(app);

    eenet::MainWindow window;
    window.show();

    // A file on the command line wins; otherwise the last file opened, or the shipped sample on first start.
    QString path;
    if (!parser.positionalArguments().isEmpty())
        path = parser.positionalArguments().front();
    else if (const QStringList recent = eenet::RecentFiles().files();
             !recent.isEmpty() && QFileInfo::exists(recent.front()))
        path = recent.front();
    else
        path = QStringLiteral(EENET_DEFAULT_SAMPLE);
    window.openFile(path);
    return QApplication::exec();
}
