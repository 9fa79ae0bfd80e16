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

/// True when every component of an absolute path ("/val/probs") exists.
bool exists(const H5::H5File& file, const std::string& path);

std::optional<std::string> stringAttribute(const H5::H5Object& object, const std::string& name);
std::optional<std::int64_t> integerAttribute(const H5::H5Object& object, const std::string& name);
void writeStringAttribute(H5::H5Object& object, const std::string& name, const std::string& value);
void writeIntegerAttribute(H5::H5Object& object, const std::string& name, std::int64_t value);

std::vector<hsize_t> dimensions(const H5::DataSet& dataset);
std::vector<std::string> readStrings(const H5::DataSet& dataset);

void writeStrings(H5::Group& group, const std::string& name, const std::vector<std::string>& values);
void writeDoubles(H5::Group& group, const std::string& name, const std::vector<double>& values);
void writeInts(H5::Group& group, const std::string& name, const std::vector<int>& values);
/// Writes a float32 dataset of the given shape; chunked along the first two axes and gzipped when gzipLevel >
/// 0.
void writeFloats(H5::Group& group, const std::string& name, const std::vector<float>& values,
                 const std::vector<hsize_t>& shape, int gzipLevel);

} // namespace eenet::h5
