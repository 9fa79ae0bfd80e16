#pragma once

// Private to core/io: limits against hostile or corrupt predictions files (docs/format.md, "Limits"). Every
// one is checked from the file's metadata before the reader allocates or reads anything that size.

#include <cstddef>
#include <cstdint>
#include <unistd.h>

namespace eenet::limits {

/// Root attributes and names: plenty for a description, small enough that nothing can blow up the UI.
inline constexpr std::uint64_t kMaxStringBytes = 64 * 1024;
/// One number on disk: float16 to float128, int8 to int64.
inline constexpr std::size_t kMaxNumberBytes = 16;
/// Entries of /exits/costs and /exits/flops.
inline constexpr std::uint64_t kMaxExits = 4096;
/// Named cost vectors under /exits/extra_costs: each is a cost model the studio offers in a menu.
inline constexpr std::uint64_t kMaxExtraCosts = 64;
// A cost vector's name: kMaxCostNameBytes and costNameProblem() in data/CostModels.h.
/// Entries of /exits/batch_sizes (1, 2, 4, ... 2^63 would be 64).
inline constexpr std::uint64_t kMaxBatchSizes = 64;
/// Values of one split's probabilities: keeps every index within int and size_t on any platform (8 GiB).
inline constexpr long double kMaxValues = 2147483648.0L;
/// Chunks of one dataset read whole: HDF5 looks each one up and reads it on its own, so a dataset of millions
/// of tiny chunks takes minutes to read while looking small.
inline constexpr std::uint64_t kMaxChunks = 1048576;
/// A chunk may be larger than its dataset's bytes only up to this size: HDF5 allocates a whole chunk to read
/// any part of it. Chunks of inputs, read one sample at a time, may never be larger.
inline constexpr std::uint64_t kMaxChunkBytes = 64 * 1024 * 1024;

/// One input sample (height x width x channels bytes): it is read, cached and drawn whole.
inline constexpr std::uint64_t kMaxInputSampleBytes = 64 * 1024 * 1024;
/// Chunks one input sample may span: reading a sample looks up and decodes each of them.
inline constexpr std::uint64_t kMaxChunksPerSample = 65536;
/// One input text (a document for a text model); measured after HDF5 has read it, like every
/// variable-length string.
inline constexpr std::uint64_t kMaxTextBytes = 1024 * 1024;

/// What the probabilities and labels of val and test together may take: half of the machine's physical memory
/// (kMaxValues floats when the machine does not say). Cache imports hold their sources to it too.
inline long double memoryBudgetBytes() {
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || pageSize <= 0)
        return kMaxValues * sizeof(float);
    return static_cast<long double>(pages) * static_cast<long double>(pageSize) / 2;
}

} // namespace eenet::limits
