#include "SampleLocator.h"

#include <QCoreApplication>
#include <QDir>

namespace eenet {

QString sampleFilePath() {
    // EENET_SAMPLE_RELDIR is the install tree's data directory relative to its bin directory, from
    // GNUInstallDirs (normally ../share/eenet-studio/sample_data).
    return QDir::cleanPath(QCoreApplication::applicationDirPath() +
                           QStringLiteral("/" EENET_SAMPLE_RELDIR "/fashion_mnist_cnn4.h5"));
}

QString documentationDir() {
    return QDir::cleanPath(QCoreApplication::applicationDirPath() + QStringLiteral("/" EENET_DOC_RELDIR));
}

} // namespace eenet
