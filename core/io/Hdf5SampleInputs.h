#pragma once

#include "data/SampleInputs.h"
#include "io/SampleCache.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace eenet {

/// A split's inputs dataset in a predictions file (`/val/inputs`, `/test/inputs`), read one sample at a time
/// when asked; readPredictions() makes one per split after checking the dataset from its metadata.
///
/// The file is not kept open: a read that misses the cache opens it under the HDF5 lock, reads that one
/// sample (a hyperslab) and closes it. So HDF5's file lock never stops another program from rewriting the
/// file while the studio shows it, and nothing is held between reads. A file changed since it was loaded is
/// refused (IoError) rather than mixing new inputs with the predictions loaded before.
///
/// Thread-safe: a mutex guards the cache, HDF5 calls go through hdf5Mutex(); two threads that miss the same
/// sample at once both read it.
class Hdf5SampleInputs final : public SampleInputs {
public:
    /// Samples kept for a gallery that scrolls back, within kCacheBytes.
    static constexpr std::size_t kCacheSamples = 512;
    static constexpr std::size_t kCacheBytes = 64 * 1024 * 1024;

    /// `kind` and `shape` as the reader found them valid ({N, H, W}, {N, H, W, 3} or {N}). Notes the file's
    /// identity (device, inode, size, modification time) to tell later whether it changed; reads no sample.
    /// Throws IoError when the file cannot be found.
    Hdf5SampleInputs(std::string filePath, std::string datasetPath, InputKind kind, std::vector<int> shape);

    InputKind kind() const override { return m_kind; }
    int numSamples() const override { return m_shape.front(); }
    std::vector<int> shape() const override { return m_shape; }
    /// Throws IoError when the file changed or vanished since it was loaded, FormatError when HDF5 cannot
    /// read the sample (a corrupt file) or a text is over the format's limit.
    SampleInput read(int index) const override;
    /// Bytes of the samples read from the file (pixels, or text bytes); hits in the cache add nothing.
    std::uint64_t bytesRead() const override { return m_bytesRead.load(); }

private:
    /// What stat() says about the file, compared before every read.
    struct FileStamp {
        std::uint64_t device = 0;
        std::uint64_t inode = 0;
        std::int64_t sizeBytes = 0;
        std::int64_t modifiedNs = 0;
        bool operator==(const FileStamp& other) const;
    };

    static FileStamp stampOf(const std::string& path);
    SampleInput readFromFile(int index) const;

    std::string m_filePath;
    std::string m_datasetPath;
    InputKind m_kind;
    std::vector<int> m_shape;
    FileStamp m_stamp;
    mutable std::mutex m_mutex;
    mutable SampleCache m_cache{kCacheSamples, kCacheBytes};
    mutable std::atomic<std::uint64_t> m_bytesRead{0};
};

} // namespace eenet
