#include "io/Hdf5SampleInputs.h"

#include "Error.h"
#include "io/Hdf5Lock.h"
#include "io/detail/Hdf5Helpers.h"
#include "io/detail/InputsDataset.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace eenet {

bool Hdf5SampleInputs::FileStamp::operator==(const FileStamp& other) const {
    return device == other.device && inode == other.inode && sizeBytes == other.sizeBytes &&
           modifiedNs == other.modifiedNs;
}

Hdf5SampleInputs::FileStamp Hdf5SampleInputs::stampOf(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0)
        throw IoError(path,
                      std::string("cannot be found any more to read its inputs: ") + std::strerror(errno));
    return {static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino),
            static_cast<std::int64_t>(info.st_size),
            static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec};
}

Hdf5SampleInputs::Hdf5SampleInputs(std::string filePath, std::string datasetPath, InputKind kind,
                                   std::vector<int> shape)
    : m_filePath(std::move(filePath))
    , m_datasetPath(std::move(datasetPath))
    , m_kind(kind)
    , m_shape(std::move(shape))
    , m_stamp(stampOf(m_filePath)) {
    if (m_kind == InputKind::None || m_shape.empty() || m_shape.front() < 1)
        throw std::invalid_argument("Hdf5SampleInputs: " + m_datasetPath + " needs a kind and samples");
}

SampleInput Hdf5SampleInputs::read(int index) const {
    if (index < 0 || index >= numSamples())
        throw std::out_of_range("Hdf5SampleInputs: sample " + std::to_string(index) + " of " +
                                std::to_string(numSamples()) + " in " + m_datasetPath);
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (auto cached = m_cache.find(index))
            return std::move(*cached);
    }
    // Read without holding m_mutex, so cached samples stay available to other threads meanwhile.
    SampleInput sample = readFromFile(index);
    m_bytesRead += sampleBytes(sample);
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_cache.insert(index, sample);
    return sample;
}

SampleInput Hdf5SampleInputs::readFromFile(int index) const {
    const std::lock_guard<std::mutex> lock(hdf5Mutex());
    h5::silenceErrorStack();
    if (!(stampOf(m_filePath) == m_stamp))
        throw IoError(m_filePath, "changed on disk since it was loaded; open it again to see its inputs");
    try {
        const H5::H5File file(m_filePath, H5F_ACC_RDONLY);
        const H5::DataSet dataset = file.openDataSet(m_datasetPath);
        return h5::readInputSample(dataset, {m_kind, m_shape}, index, m_filePath, m_datasetPath);
    } catch (const H5::Exception& e) {
        throw FormatError(m_filePath, m_datasetPath,
                          "sample " + std::to_string(index) + " cannot be read (HDF5: " + e.getDetailMsg() +
                              ")");
    }
}

} // namespace eenet
