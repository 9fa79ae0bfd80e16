#include "cli/CliCommands.h"

#include <QApplication>
#include <QCoreApplication>

#include <cstring>
#include <iostream>

namespace {

template <typename Application> int runIn(int argc, char* argv[]) {
    Application app(argc, argv);
    return eenet::cli::run(QCoreApplication::arguments().mid(1), std::cout, std::cerr);
}

} // namespace

int main(int argc, char* argv[]) {
    // Only `report` draws: its charts are the studio's widgets, which need a QApplication. It never opens a
    // window, so it runs Qt's offscreen platform unless QT_QPA_PLATFORM names another: the same with or
    // without a display (SSH, CI), and charts that do not depend on the screen's resolution.
    if (argc > 1 && std::strcmp(argv[1], "report") == 0) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        return runIn<QApplication>(argc, argv);
    }
    return runIn<QCoreApplication>(argc, argv);
}
