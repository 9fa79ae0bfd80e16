#pragma once

#include <QString>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace eenet::test {

/// Element types a test can give a dataset. Float16 is built the way h5py builds it, since HDF5 1.10 has no
/// predefined half type: a file written with Float16 is what `numpy.float16` data looks like on disk. UInt8
/// is what images are stored as; AsciiString is a variable-length string marked ASCII (what h5py writes for
/// `bytes`), String one marked UTF-8 (what it writes for `str`).
enum class H5ElementType { Float16, Float32, Float64, Int32, Int64, UInt8, String, AsciiString };

/// One dataset as a test wants it on disk. Numbers travel as double and HDF5 converts them to `type` when the
/// file is written, so a test can store NaN, Inf, 1.5 or 3.0 in any numeric type without caring about bytes.
struct H5DatasetSpec {
    H5ElementType type = H5ElementType::Float32;
    /// Empty shape means a scalar dataspace.
    std::vector<std::uint64_t> shape;
    /// Row-major, elementCount() entries; unused for String.
    std::vector<double> values;
    /// elementCount() entries, written as variable-length strings; only for String and AsciiString.
    std::vector<std::string> strings;
    /// Chunked (several chunks per dataset, ragged edge chunks included) and deflated at level 4.
    bool chunkedGzip = false;
    /// Chunked with exactly this chunk shape (and not deflated unless chunkedGzip is set too).
    std::vector<std::uint64_t> chunk;
    /// Every dimension may grow without limit (H5S_UNLIMITED), so chunks may be larger than the dataset.
    bool extendible = false;
    /// Only the shape is written, no values (`values` stays empty): HDF5 allocates storage on the first
    /// write, which never comes, so a file of a few KB can declare terabytes or millions of chunks.
    bool declaredOnly = false;
    /// When non-zero, the chunks also go through the HDF5 filter with this id: a pass-through filter the
    /// builder registers only while it writes, so the file needs a filter a reader's HDF5 does not have (as
    /// h5py's LZF, 32000, or Blosc, 32001). Needs a chunked dataset.
    int unavailableFilter = 0;
    /// When non-zero, numbers are stored in a type of this many bytes: `type` padded (floats) or widened.
    std::size_t elementBytes = 0;
    /// When set, the raw data lives in this file (H5Pset_external; a relative name is written next to the
    /// HDF5 file): a dataset whose bytes are not in the HDF5 file.
    std::string externalFile;

    static H5DatasetSpec numbers(H5ElementType type, std::vector<std::uint64_t> shape,
                                 std::vector<double> values);
    static H5DatasetSpec text(std::vector<std::string> strings);

    std::size_t elementCount() const;
};

/// A fixed-length string attribute (what h5py writes for `numpy.bytes_`), `text` padded with NULs to `size`.
struct H5FixedString {
    std::string text;
    std::size_t size = 0;
};

/// A root attribute: a variable-length UTF-8 string, a 64-bit integer (what h5py writes for a Python int),
/// a 64-bit float, a fixed-length string, or a 1-D array of variable-length strings (which the format never
/// allows; for tests of the reader's refusals).
using H5AttributeValue =
    std::variant<std::string, std::int64_t, double, H5FixedString, std::vector<std::string>>;

/// Shape of the valid baseline file; tests that need a degenerate shape (K = 1, C = 1, N = 0) ask for it
/// here.
struct BaselineOptions {
    int numExits = 3;
    int numSamples = 40;
    int numClasses = 5;
    int numTestSamples = 20;
    bool withTest = true;
};

/// Describes a predictions file in memory (root attributes and datasets by full path) and writes it with the
/// HDF5 C++ API, well-formed or deliberately broken. A test starts from validBaseline(), mutates one thing
/// (omit a dataset, replace one, change an attribute) and writes it into its QTemporaryDir.
///
/// Not thread-safe, and it does not take core's HDF5 lock: use it from the test's main thread only, never
/// while another thread is inside readPredictions or writePredictions.
class H5FileBuilder {
public:
    /// A valid format v1 file: attributes format/format_version/model/dataset/cost_unit/description,
    /// /exits/costs = [1, 2, ..., K] (float64), /val/probs float32 [K, N, C], /val/labels int32 [N] and, when
    /// asked, /test/probs + /test/labels. Every probability is a multiple of 1/1024, so it is exact in
    /// float16, float32 and float64 and every row sums to exactly 1. Deterministic (fixed seed).
    static H5FileBuilder validBaseline(const BaselineOptions& options = {});

    /// Reads back an existing file's root attributes and every dataset (types, shapes, values, chunking), so
    /// a test can assert on what a writer put on disk. Throws std::runtime_error on anything it cannot
    /// represent.
    static H5FileBuilder fromFile(const QString& path);

    H5FileBuilder& setAttribute(const std::string& name, H5AttributeValue value);
    H5FileBuilder& removeAttribute(const std::string& name);
    bool hasAttribute(const std::string& name) const;
    const H5AttributeValue& attribute(const std::string& name) const;

    /// `path` is absolute ("/val/probs"); missing parent groups are created on write.
    H5FileBuilder& setDataset(const std::string& path, H5DatasetSpec spec);
    H5FileBuilder& removeDataset(const std::string& path);
    /// Removes every dataset below `groupPath` ("/test"), so the group is not written at all.
    H5FileBuilder& removeGroup(const std::string& groupPath);
    bool hasDataset(const std::string& path) const;
    /// Throws std::out_of_range when there is no such dataset.
    H5DatasetSpec& dataset(const std::string& path);
    const H5DatasetSpec& dataset(const std::string& path) const;
    std::vector<std::string> datasetPaths() const;

    /// Chunks and gzips every dataset that can be chunked (datasets with a zero-sized dimension cannot).
    H5FileBuilder& setAllChunkedGzip(bool on);

    /// A soft link at `path` (in place of any dataset there) to `target`, which need not exist.
    H5FileBuilder& setSoftLink(const std::string& path, const std::string& target);
    /// An external link at `path` (in place of any dataset there) to `objectPath` in the HDF5 file `file`.
    H5FileBuilder& setExternalLink(const std::string& path, const std::string& file,
                                   const std::string& objectPath);

    /// Byte offset of an object's header in the file at `path`. Corruption tests overwrite bytes there: HDF5
    /// leaves unused gaps, so bytes overwritten at an arbitrary offset may hit nothing the reader looks at.
    static std::uint64_t objectHeaderOffset(const QString& path, const std::string& objectPath);
    /// Byte offset and stored (compressed) size of the first chunk of a chunked dataset.
    static std::pair<std::uint64_t, std::uint64_t> firstChunkLocation(const QString& path,
                                                                      const std::string& datasetPath);

    /// Files, groups, datasets and attributes open in this process's HDF5 library. core must close everything
    /// it opens, on failure too: a file left open after a failed write makes HDF5 crash in H5close at exit.
    static long openObjectCount();

    /// Writes the file, replacing whatever is at `path`. Every HDF5 handle is closed on return, so the file
    /// can be read, truncated or overwritten at once. Throws std::runtime_error.
    void write(const QString& path) const;

private:
    std::map<std::string, H5AttributeValue> m_attributes;
    std::map<std::string, H5DatasetSpec> m_datasets;
    /// Link path -> (external file, or empty for a soft link; target object path).
    std::map<std::string, std::pair<std::string, std::string>> m_links;
};

} // namespace eenet::test
