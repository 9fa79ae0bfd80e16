#pragma once

// Private to core/io: the optional `/<split>/inputs` dataset on disk (docs/format.md, "Inputs"): its checks
// from metadata, the read of one sample, and the writer. Callers hold hdf5Mutex().

#include "data/SampleInputs.h"

#include <H5Cpp.h>

#include <mutex>
#include <string>
#include <vector>

namespace eenet::h5 {

/// What an inputs dataset holds, known from its metadata.
struct InputsLayout {
    InputKind kind = InputKind::None;
    /// {N, H, W}, {N, H, W, 3} or {N}.
    std::vector<int> shape;
};

/// Checks the inputs dataset `path` of `file` from its metadata alone, reading no sample: element type, rank,
/// sample count (`numSamples`, the split's N), image size, storage and chunks. Throws FormatError naming the
/// file and `path`.
InputsLayout inspectInputs(const H5::DataSet& dataset, const std::string& file, const std::string& path,
                           int numSamples);

/// Sample `index` of a dataset that inspectInputs() described as `layout`: reads that sample's hyperslab
/// only. Throws FormatError for a text longer than the limit, H5::Exception when HDF5 fails.
SampleInput readInputSample(const H5::DataSet& dataset, const InputsLayout& layout, int index,
                            const std::string& file, const std::string& path);

/// Writes `inputs` as `group`/inputs: uint8 images or variable-length UTF-8 strings, chunked by whole samples
/// and gzipped when `gzipLevel` > 0, contiguous otherwise. Reads the samples in chunk-sized batches with
/// `hdf5Lock` released, since inputs read on demand take the HDF5 lock themselves; it is held again before
/// any HDF5 call and on return, thrown or not. Throws ArgumentError when a sample does not match the inputs'
/// shape.
void writeInputs(H5::Group& group, const SampleInputs& inputs, int gzipLevel,
                 std::unique_lock<std::mutex>& hdf5Lock);

} // namespace eenet::h5
