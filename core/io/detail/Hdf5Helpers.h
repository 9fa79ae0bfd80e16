#pragma once

// Private to core/io: thin helpers over the HDF5 C++ API. Callers hold hdf5Mutex().

#include <H5Cpp.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace eenet::h5 {

/// HDF5 prints its error stack to stderr by default; we turn failures into our own errors instead.
void silenceErrorStack();

/// True when every component of an absolute path ("/val/probs") exists. Soft and external links are not
/// followed: a path through one counts as existing, so that the caller's linkProblem() names it.
bool exists(const H5::H5File& file, const std::string& path);

/// Empty when every component of `path` is a hard link (an object stored in this file); otherwise says which
/// component is a soft, external or user-defined link and where it points, e.g. "/val is a soft link to
/// '/elsewhere'". Call only when exists() is true.
std::string linkProblem(const H5::H5File& file, const std::string& path);

std::optional<std::string> stringAttribute(const H5::H5Object& object, const std::string& name);
std::optional<std::int64_t> integerAttribute(const H5::H5Object& object, const std::string& name);
void writeStringAttribute(H5::H5Object& object, const std::string& name, const std::string& value);
void writeIntegerAttribute(H5::H5Object& object, const std::string& name, std::int64_t value);

std::vector<hsize_t> dimensions(const H5::DataSet& dataset);

/// Empty when reading `dataset` is safe as far as its storage goes; otherwise the problem, for a FormatError:
/// data kept outside this file (external raw files, virtual datasets), a filter this HDF5 library cannot
/// decode, more than `maxChunks` chunks, or chunks larger than both the dataset and `maxChunkBytes`. Looks at
/// metadata only.
std::string storageProblem(const H5::DataSet& dataset, std::uint64_t maxChunks, std::uint64_t maxChunkBytes);

/// The chunk shape of a chunked dataset, one entry per dimension; empty when the dataset is not chunked or
/// its chunk layout cannot be read (storageProblem() names that).
std::vector<hsize_t> chunkShape(const H5::DataSet& dataset);

/// Float32 bytes a slab of readFloatSlabs() holds, unless one chunk of the dataset holds more: a few MB, so
/// that a slab is checked while it is still in the processor's cache and progress moves smoothly.
inline constexpr std::size_t kSlabBytes = 4 * 1024 * 1024;

/// Rows just read by readFloatSlabs(): `rows` consecutive samples of one exit, from row `firstRow` of the
/// dataset (row r = exit r / N, sample r % N), at `values`, where they stay.
using SlabRows = std::function<void(float* values, std::size_t rows, std::size_t firstRow)>;

/// Reads the rank-3 floating-point dataset [K, N, C] into `values` (resized to K x N x C, row-major) one slab
/// at a time, straight into place: consecutive samples of one exit (of as many exits as a chunk spans), whole
/// chunks only, so that every chunk is read and decoded once. `arrived` gets each exit's rows of a slab as
/// soon as it is read; what it throws stops the read. Half-precision data is widened without HDF5's slow
/// conversion (HalfFloat.h).
void readFloatSlabs(const H5::DataSet& dataset, std::vector<float>& values, const SlabRows& arrived);

/// "1.5 GiB", "64 KiB", "12 bytes".
std::string bytesText(long double bytes);
/// A count computed in long double (it may exceed 64 bits): exact digits while they fit.
std::string countText(long double count);
/// A number as error messages show it: at most 6 significant digits ("0.056718", "1e+30").
std::string numberText(double value);
/// "5 x 1000000000 x 1000".
std::string shapeText(const std::vector<hsize_t>& dims);
std::vector<std::string> readStrings(const H5::DataSet& dataset);

void writeStrings(H5::Group& group, const std::string& name, const std::vector<std::string>& values);
void writeDoubles(H5::Group& group, const std::string& name, const std::vector<double>& values);
void writeInts(H5::Group& group, const std::string& name, const std::vector<int>& values);
/// Writes a float32 dataset of the given shape; chunked along the first two axes and gzipped when gzipLevel >
/// 0.
void writeFloats(H5::Group& group, const std::string& name, const std::vector<float>& values,
                 const std::vector<hsize_t>& shape, int gzipLevel);

} // namespace eenet::h5
