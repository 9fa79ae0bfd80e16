#include "io/CostsUpdate.h"

#include "Error.h"
#include "io/AtomicFile.h"
#include "io/Hdf5Lock.h"
#include "io/detail/CostDatasets.h"
#include "io/detail/Hdf5Helpers.h"

#include <QFile>

namespace eenet {
namespace {

/// The name the file image is opened under. HDF5 1.10's core driver refuses to open an image under the name
/// of a file that exists on disk ("file already exists"); nothing is read from or written to this path.
constexpr const char* kImageName = "/nonexistent-eenet-studio/costs-update-in-memory.h5";

QByteArray readWhole(const std::string& path) {
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        throw IoError(path, "cannot be read: " + file.errorString().toStdString());
    QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        throw IoError(path, "cannot be read: " + file.errorString().toStdString());
    return bytes;
}

/// The number of exits the file's /exits/costs holds.
int exitsOf(const H5::H5File& file, const std::string& path) {
    if (!h5::exists(file, "/exits/costs") || file.childObjType("/exits/costs") != H5O_TYPE_DATASET)
        throw FormatError(path, "/exits/costs", "missing; is this a predictions file?");
    const auto dims = h5::dimensions(file.openDataSet("/exits/costs"));
    if (dims.size() != 1)
        throw FormatError(path, "/exits/costs", "has rank " + std::to_string(dims.size()) + ", expected 1");
    return static_cast<int>(dims[0]);
}

/// The file image with the update applied, edited through HDF5's core driver: only the datasets the
/// update names are unlinked and written again, so every other object keeps its bytes.
QByteArray updatedImage(const std::string& source, QByteArray image, const CostsUpdate& update) {
    if (H5Fis_hdf5(source.c_str()) <= 0)
        throw FormatError(source, "/", "not an HDF5 file");
    H5::FileAccPropList access;
    H5Pset_fapl_core(access.getId(), 1 << 20, 0);
    H5Pset_file_image(access.getId(), image.data(), static_cast<size_t>(image.size()));
    image.clear();
    H5::H5File file;
    try {
        file.openFile(kImageName, H5F_ACC_RDWR, access);
    } catch (const H5::Exception& e) {
        throw FormatError(source, "/",
                          "cannot be opened: truncated or corrupt file (HDF5: " + e.getDetailMsg() + ")");
    }
    const int exits = exitsOf(file, source);
    if (const std::string problem = costio::extraCostsProblem(update.extraCosts, exits); !problem.empty())
        throw ArgumentError(source + ": cannot add the cost vectors: " + problem);
    if (!update.batchCosts.empty())
        if (const std::string problem = costio::batchCostsProblem(update.batchCosts, exits); !problem.empty())
            throw ArgumentError(source + ": cannot add the batch costs: " + problem);
    for (const CostVector& cost : update.extraCosts)
        costio::writeExtraCost(file, cost);
    if (!update.batchCosts.empty())
        costio::writeBatchCosts(file, update.batchCosts);
    file.flush(H5F_SCOPE_GLOBAL);
    const ssize_t size = H5Fget_file_image(file.getId(), nullptr, 0);
    if (size <= 0)
        throw H5::FileIException("H5Fget_file_image", "cannot size the in-memory file");
    QByteArray updated(static_cast<qsizetype>(size), Qt::Uninitialized);
    if (H5Fget_file_image(file.getId(), updated.data(), static_cast<size_t>(size)) != size)
        throw H5::FileIException("H5Fget_file_image", "cannot copy the in-memory file");
    return updated;
}

} // namespace

void updateCosts(const std::string& source, const std::string& target, const CostsUpdate& update) {
    QByteArray image = readWhole(source);
    QByteArray updated;
    {
        const std::lock_guard<std::mutex> lock(hdf5Mutex());
        h5::silenceErrorStack();
        try {
            updated = updatedImage(source, std::move(image), update);
        } catch (const H5::Exception& e) {
            throw IoError(target, "cannot add the measured costs (HDF5: " + e.getDetailMsg() + ")");
        }
    }
    writeFileAtomically(target, updated);
}

} // namespace eenet
