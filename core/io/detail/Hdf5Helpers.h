#pragma once

// Private to core/io: thin helpers over the HDF5 C++ API. Callers hold hdf5Mutex().

#include <H5Cpp.h>

#include <cstdint>
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
