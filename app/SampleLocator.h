#pragma once

#include <QString>

namespace eenet {

/// The shipped sample predictions file, found at run time relative to the executable:
/// `<bindir>/../share/eenet-studio/sample_data/fashion_mnist_cnn4.h5`. An installed tree has it there
/// (`cmake --install`, the .deb); the build tree has it there too, through a link CMake makes to the
/// source tree's `sample_data/`. No source path is compiled in, so installed binaries are relocatable.
/// Needs a QCoreApplication (for its directory).
QString sampleFilePath();

/// The documentation's folder (studio.md, cli.md, … and their screenshots), found the same way:
/// `<bindir>/../share/doc/eenet-studio`, a link to the source tree's `docs/` in the build tree.
QString documentationDir();

} // namespace eenet
