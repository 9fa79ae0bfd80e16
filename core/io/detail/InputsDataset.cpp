#include "io/detail/InputsDataset.h"

#include "Error.h"
#include "io/detail/Hdf5Helpers.h"
#include "io/detail/ReaderLimits.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace eenet::h5 {
namespace {

/// Chunks of about this size (and at most kMaxSamplesPerChunk samples): a 28 x 28 image shares its chunk with
/// 63 others, a 224 x 224 RGB image has one of its own, since reading any sample decodes its whole chunk.
constexpr std::uint64_t kTargetChunkBytes = 64 * 1024;
constexpr hsize_t kMaxSamplesPerChunk = 64;

[[noreturn]] void fail(const std::string& file, const std::string& path, const std::string& problem) {
    throw FormatError(file, path, problem);
}

H5::StrType utf8Strings() {
    H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
    type.setCset(H5T_CSET_UTF8);
    return type;
}

/// "float32", "int16", "uint8", "fixed-length ASCII strings", ... as the error messages name element types.
std::string typeText(const H5::DataSet& dataset) {
    const H5::DataType type = dataset.getDataType();
    const std::string bits = std::to_string(type.getSize() * 8);
    switch (dataset.getTypeClass()) {
    case H5T_FLOAT:
        return "float" + bits;
    case H5T_INTEGER:
        return (dataset.getIntType().getSign() == H5T_SGN_NONE ? "uint" : "int") + bits;
    case H5T_STRING: {
        const H5::StrType strings = dataset.getStrType();
        return std::string(strings.isVariableStr() ? "variable" : "fixed") + "-length " +
               (strings.getCset() == H5T_CSET_UTF8 ? "UTF-8" : "ASCII") + " strings";
    }
    default:
        return "neither numbers nor strings";
    }
}

void checkTexts(const H5::DataSet& dataset, const std::vector<hsize_t>& dims, const std::string& file,
                const std::string& path) {
    const H5::StrType type = dataset.getStrType();
    if (!type.isVariableStr() || type.getCset() != H5T_CSET_UTF8)
        fail(file, path,
             "holds " + typeText(dataset) +
                 "; texts must be variable-length UTF-8 strings (h5py: dtype=h5py.string_dtype())");
    if (dims.size() != 1)
        fail(file, path,
             "holds strings of rank " + std::to_string(dims.size()) + ", expected rank 1 [samples]");
}

void checkImages(const std::vector<hsize_t>& dims, const std::string& file, const std::string& path) {
    if (dims.size() != 3 && dims.size() != 4)
        fail(file, path,
             "has rank " + std::to_string(dims.size()) + " (" + shapeText(dims) + ")" +
                 "; images must be [samples, height, width] (grey) or [samples, height, width, 3] (RGB)");
    if (dims.size() == 4 && dims[3] != 3)
        fail(
            file, path,
            "has a last dimension of " + std::to_string(dims[3]) + " (" + shapeText(dims) + ")" +
                "; images must be grey [samples, height, width] or RGB [samples, height, width, 3], channels "
                "last" +
                (dims[3] == 4 ? " (drop the alpha channel)" : ""));
    if (dims[1] == 0 || dims[2] == 0)
        fail(file, path,
             "has images of " + std::to_string(dims[1]) + " x " + std::to_string(dims[2]) + " pixels");
    const long double sampleBytes = static_cast<long double>(dims[1]) * static_cast<long double>(dims[2]) *
                                    static_cast<long double>(dims.size() == 4 ? 3 : 1);
    if (sampleBytes > static_cast<long double>(limits::kMaxInputSampleBytes))
        fail(file, path,
             "has images of " + std::to_string(dims[1]) + " x " + std::to_string(dims[2]) + " pixels (" +
                 bytesText(sampleBytes) + " each); one image may be at most " +
                 bytesText(limits::kMaxInputSampleBytes));
}

/// Reading one sample decodes every chunk it touches whole: chunks must be small and not too many per sample.
void checkChunks(const H5::DataSet& dataset, const std::vector<hsize_t>& dims, const std::string& file,
                 const std::string& path) {
    const std::vector<hsize_t> chunk = chunkShape(dataset);
    if (chunk.empty())
        return;
    long double chunkValues = 1;
    long double chunksPerSample = 1;
    for (size_t d = 0; d < dims.size(); ++d) {
        chunkValues *= static_cast<long double>(chunk[d]);
        if (d > 0)
            chunksPerSample *=
                std::ceil(static_cast<long double>(dims[d]) / static_cast<long double>(chunk[d]));
    }
    const long double chunkBytes = chunkValues * static_cast<long double>(dataset.getDataType().getSize());
    if (chunkBytes > static_cast<long double>(limits::kMaxChunkBytes))
        fail(file, path,
             "has chunks of " + shapeText(chunk) + " values (" + bytesText(chunkBytes) +
                 "); reading one sample reads its whole chunk, so chunks of inputs may be at most " +
                 bytesText(limits::kMaxChunkBytes) + ", rewrite it with smaller chunks");
    if (chunksPerSample > static_cast<long double>(limits::kMaxChunksPerSample))
        fail(file, path,
             "splits each sample into " + countText(chunksPerSample) + " chunks of " + shapeText(chunk) +
                 " values; at most " + countText(limits::kMaxChunksPerSample) +
                 " are read for one sample, rewrite it with larger chunks");
}

/// Releases the HDF5 lock for its lifetime: samples read on demand (Hdf5SampleInputs) take it themselves.
/// Destroyed before any HDF5 object of the caller, so those are closed under the lock again.
class ReleasedLock {
public:
    explicit ReleasedLock(std::unique_lock<std::mutex>& lock)
        : m_lock(lock) {
        m_lock.unlock();
    }
    ~ReleasedLock() { m_lock.lock(); }
    ReleasedLock(const ReleasedLock&) = delete;
    ReleasedLock& operator=(const ReleasedLock&) = delete;

private:
    std::unique_lock<std::mutex>& m_lock;
};

bool matches(const SampleInput& sample, const std::vector<int>& shape, InputKind kind) {
    if (sample.kind != kind)
        return false;
    if (kind == InputKind::Text)
        return true;
    const int channels = shape.size() == 4 ? 3 : 1;
    return sample.height == shape[1] && sample.width == shape[2] && sample.channels == channels &&
           sample.pixels.size() == static_cast<size_t>(shape[1]) * static_cast<size_t>(shape[2]) * channels;
}

/// Samples [first, first + count), read with the HDF5 lock released.
std::vector<SampleInput> readBatch(const SampleInputs& inputs, int first, int count,
                                   std::unique_lock<std::mutex>& hdf5Lock) {
    const ReleasedLock released(hdf5Lock);
    const std::vector<int> shape = inputs.shape();
    std::vector<SampleInput> batch;
    for (int i = first; i < first + count; ++i) {
        batch.push_back(inputs.read(i));
        if (!matches(batch.back(), shape, inputs.kind()))
            throw ArgumentError("inputs to write are inconsistent: sample " + std::to_string(i) +
                                " does not match their shape, " + describeInputs(inputs.kind(), shape));
    }
    return batch;
}

void writeBatch(H5::DataSet& dataset, const std::vector<SampleInput>& batch, const std::vector<hsize_t>& dims,
                hsize_t first) {
    std::vector<hsize_t> start(dims.size(), 0);
    std::vector<hsize_t> count = dims;
    start[0] = first;
    count[0] = batch.size();
    H5::DataSpace fileSpace = dataset.getSpace();
    fileSpace.selectHyperslab(H5S_SELECT_SET, count.data(), start.data());
    const H5::DataSpace memorySpace(static_cast<int>(count.size()), count.data());
    if (batch.front().kind == InputKind::Text) {
        std::vector<const char*> texts;
        for (const SampleInput& sample : batch)
            texts.push_back(sample.text.c_str());
        dataset.write(texts.data(), utf8Strings(), memorySpace, fileSpace);
        return;
    }
    std::vector<std::uint8_t> pixels;
    for (const SampleInput& sample : batch)
        pixels.insert(pixels.end(), sample.pixels.begin(), sample.pixels.end());
    dataset.write(pixels.data(), H5::PredType::NATIVE_UINT8, memorySpace, fileSpace);
}

} // namespace

InputsLayout inspectInputs(const H5::DataSet& dataset, const std::string& file, const std::string& path,
                           int numSamples) {
    // Inputs are read one sample at a time, never whole: the count of chunks matters per sample
    // (checkChunks).
    const std::string storage =
        storageProblem(dataset, std::numeric_limits<std::uint64_t>::max(), limits::kMaxChunkBytes);
    if (!storage.empty())
        fail(file, path, storage);
    const H5T_class_t typeClass = dataset.getTypeClass();
    const bool text = typeClass == H5T_STRING;
    if (!text && (typeClass != H5T_INTEGER || dataset.getDataType().getSize() != 1 ||
                  dataset.getIntType().getSign() != H5T_SGN_NONE))
        fail(file, path,
             "holds " + typeText(dataset) +
                 " values; inputs must be uint8 pixels (0 to 255, not normalised) or variable-length UTF-8 "
                 "strings (texts)");
    const std::vector<hsize_t> dims = dimensions(dataset);
    if (text)
        checkTexts(dataset, dims, file, path);
    else
        checkImages(dims, file, path);
    // Compared as hsize_t: a 64-bit length like 2^32 + N must not pass for N.
    if (dims[0] != static_cast<hsize_t>(numSamples))
        fail(file, path,
             "has " + std::to_string(dims[0]) + " samples but " + path.substr(0, path.rfind('/')) +
                 "/labels has " + std::to_string(numSamples));
    checkChunks(dataset, dims, file, path);
    return {text ? InputKind::Text : InputKind::Image, std::vector<int>(dims.begin(), dims.end())};
}

SampleInput readInputSample(const H5::DataSet& dataset, const InputsLayout& layout, int index,
                            const std::string& file, const std::string& path) {
    std::vector<hsize_t> start(layout.shape.size(), 0);
    std::vector<hsize_t> count(layout.shape.begin(), layout.shape.end());
    start[0] = static_cast<hsize_t>(index);
    count[0] = 1;
    H5::DataSpace fileSpace = dataset.getSpace();
    fileSpace.selectHyperslab(H5S_SELECT_SET, count.data(), start.data());
    const H5::DataSpace memorySpace(static_cast<int>(count.size()), count.data());
    SampleInput sample;
    sample.kind = layout.kind;
    if (layout.kind == InputKind::Text) {
        const H5::StrType type = utf8Strings();
        char* text = nullptr;
        dataset.read(&text, type, memorySpace, fileSpace);
        // A null pointer is an empty (or corrupt) string: never pass it on (fuzz finding on attributes).
        if (text)
            sample.text = text;
        H5::DataSet::vlenReclaim(&text, type, memorySpace);
        if (sample.text.size() > limits::kMaxTextBytes)
            fail(file, path,
                 "text of sample " + std::to_string(index) + " is " + bytesText(sample.text.size()) +
                     " long; texts may be at most " + bytesText(limits::kMaxTextBytes));
        return sample;
    }
    sample.height = layout.shape[1];
    sample.width = layout.shape[2];
    sample.channels = layout.shape.size() == 4 ? 3 : 1;
    sample.pixels.resize(static_cast<size_t>(sample.height) * static_cast<size_t>(sample.width) *
                         static_cast<size_t>(sample.channels));
    dataset.read(sample.pixels.data(), H5::PredType::NATIVE_UINT8, memorySpace, fileSpace);
    return sample;
}

void writeInputs(H5::Group& group, const SampleInputs& inputs, int gzipLevel,
                 std::unique_lock<std::mutex>& hdf5Lock) {
    const std::vector<int> shape = inputs.shape();
    const std::vector<hsize_t> dims(shape.begin(), shape.end());
    const bool text = inputs.kind() == InputKind::Text;
    std::uint64_t sampleBytes = 1;
    for (size_t d = 1; d < dims.size(); ++d)
        sampleBytes *= dims[d];
    const hsize_t batchSize =
        std::clamp<hsize_t>(text ? kMaxSamplesPerChunk : kTargetChunkBytes / sampleBytes, 1,
                            std::min(kMaxSamplesPerChunk, dims[0]));
    H5::DSetCreatPropList properties;
    if (gzipLevel > 0) {
        std::vector<hsize_t> chunk = dims;
        chunk[0] = batchSize;
        properties.setChunk(static_cast<int>(chunk.size()), chunk.data());
        properties.setDeflate(static_cast<unsigned>(gzipLevel));
    }
    const H5::DataType type = text ? H5::DataType(utf8Strings()) : H5::DataType(H5::PredType::STD_U8LE);
    H5::DataSet dataset = group.createDataSet(
        "inputs", type, H5::DataSpace(static_cast<int>(dims.size()), dims.data()), properties);
    // One chunk per batch: each chunk is compressed once, and at most one batch of samples is in memory.
    for (int first = 0; first < shape[0]; first += static_cast<int>(batchSize)) {
        const int count = std::min(static_cast<int>(batchSize), shape[0] - first);
        writeBatch(dataset, readBatch(inputs, first, count, hdf5Lock), dims, static_cast<hsize_t>(first));
    }
}

} // namespace eenet::h5
