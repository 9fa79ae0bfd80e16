#include "io/detail/Hdf5Helpers.h"

#include "io/detail/HalfFloat.h"
#include "io/detail/ReadAhead.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <sys/mman.h>
#include <unistd.h>

namespace eenet::h5 {

void silenceErrorStack() {
    H5::Exception::dontPrint();
}

namespace {

/// The link type of `prefix`, whose parents are all hard links; nullopt when it does not exist.
std::optional<H5L_type_t> linkType(const H5::H5File& file, const std::string& prefix) {
    if (H5Lexists(file.getId(), prefix.c_str(), H5P_DEFAULT) <= 0)
        return std::nullopt;
    H5L_info_t info{};
    if (H5Lget_info(file.getId(), prefix.c_str(), &info, H5P_DEFAULT) < 0)
        return std::nullopt;
    return info.type;
}

/// Calls `visit(prefix, type)` for "/a", "/a/b", ... of an absolute path until it returns false or a
/// component is missing or not a hard link (whose target is never looked up).
template <typename Visit> bool walk(const H5::H5File& file, const std::string& path, Visit visit) {
    // H5Lexists fails (rather than answering false) when an intermediate group is missing: walk the path.
    size_t position = 0;
    while (position != std::string::npos) {
        position = path.find('/', position + 1);
        const std::string prefix = path.substr(0, position);
        const auto type = linkType(file, prefix);
        if (!type)
            return false;
        if (!visit(prefix, *type) || *type != H5L_TYPE_HARD)
            return true;
    }
    return true;
}

std::string linkTarget(const H5::H5File& file, const std::string& prefix, const H5L_info_t& info) {
    if (info.u.val_size == 0 || info.u.val_size > 4096)
        return {};
    // One NUL more than HDF5 writes: a corrupt value without its terminators cannot make strlen run off.
    std::vector<char> value(info.u.val_size + 1, '\0');
    if (H5Lget_val(file.getId(), prefix.c_str(), value.data(), info.u.val_size, H5P_DEFAULT) < 0)
        return {};
    if (info.type == H5L_TYPE_SOFT)
        return std::string(value.begin(), std::find(value.begin(), value.end(), '\0'));
    const char* targetFile = nullptr;
    const char* targetObject = nullptr;
    if (info.type != H5L_TYPE_EXTERNAL ||
        H5Lunpack_elink_val(value.data(), info.u.val_size, nullptr, &targetFile, &targetObject) < 0 ||
        !targetFile || !targetObject)
        return {};
    return std::string(targetFile) + ":" + targetObject;
}

} // namespace

bool exists(const H5::H5File& file, const std::string& path) {
    return walk(file, path, [](const std::string&, H5L_type_t) { return true; });
}

std::string linkProblem(const H5::H5File& file, const std::string& path) {
    std::string problem;
    walk(file, path, [&](const std::string& prefix, H5L_type_t type) {
        if (type == H5L_TYPE_HARD)
            return true;
        H5L_info_t info{};
        H5Lget_info(file.getId(), prefix.c_str(), &info, H5P_DEFAULT);
        const std::string target = linkTarget(file, prefix, info);
        const std::string kind = type == H5L_TYPE_SOFT       ? "a soft link"
                                 : type == H5L_TYPE_EXTERNAL ? "an external link"
                                                             : "a user-defined link";
        problem = (prefix == path ? "is " : prefix + " is ") + kind +
                  (target.empty() ? "" : " to '" + target + "'");
        return false;
    });
    return problem;
}

std::optional<std::string> stringAttribute(const H5::H5Object& object, const std::string& name) {
    if (!object.attrExists(name))
        return std::nullopt;
    H5::Attribute attribute = object.openAttribute(name);
    if (attribute.getTypeClass() != H5T_STRING)
        return std::nullopt;
    const H5::StrType type = attribute.getStrType();
    std::string value;
    if (type.isVariableStr()) {
        // Not Attribute::read(type, std::string&): HDF5 1.10's C++ API passes the char* it gets to strlen,
        // and a corrupt or empty variable-length string comes back as a null pointer (fuzz finding).
        char* text = nullptr;
        if (H5Aread(attribute.getId(), type.getId(), &text) < 0)
            throw H5::AttributeIException("stringAttribute", "H5Aread failed");
        if (text)
            value = text;
        H5free_memory(text);
    } else {
        value.assign(type.getSize(), '\0');
        if (!value.empty() && H5Aread(attribute.getId(), type.getId(), value.data()) < 0)
            throw H5::AttributeIException("stringAttribute", "H5Aread failed");
    }
    // Fixed-length strings written by numpy keep their padding NULs.
    value.erase(std::find(value.begin(), value.end(), '\0'), value.end());
    return value;
}

std::optional<std::int64_t> integerAttribute(const H5::H5Object& object, const std::string& name) {
    if (!object.attrExists(name))
        return std::nullopt;
    H5::Attribute attribute = object.openAttribute(name);
    if (attribute.getTypeClass() != H5T_INTEGER || attribute.getSpace().getSimpleExtentNpoints() != 1)
        return std::nullopt;
    std::int64_t value = 0;
    attribute.read(H5::PredType::NATIVE_INT64, &value);
    return value;
}

void writeStringAttribute(H5::H5Object& object, const std::string& name, const std::string& value) {
    const H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
    type.setCset(H5T_CSET_UTF8);
    H5::Attribute attribute = object.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
    attribute.write(type, value);
}

void writeIntegerAttribute(H5::H5Object& object, const std::string& name, std::int64_t value) {
    H5::Attribute attribute =
        object.createAttribute(name, H5::PredType::STD_I64LE, H5::DataSpace(H5S_SCALAR));
    attribute.write(H5::PredType::NATIVE_INT64, &value);
}

std::vector<hsize_t> dimensions(const H5::DataSet& dataset) {
    const H5::DataSpace space = dataset.getSpace();
    std::vector<hsize_t> dims(static_cast<size_t>(std::max(space.getSimpleExtentNdims(), 0)));
    if (!dims.empty())
        space.getSimpleExtentDims(dims.data());
    return dims;
}

std::vector<hsize_t> chunkShape(const H5::DataSet& dataset) {
    const H5::DSetCreatPropList properties = dataset.getCreatePlist();
    if (properties.getLayout() != H5D_CHUNKED)
        return {};
    std::vector<hsize_t> chunk(dimensions(dataset).size());
    if (chunk.empty() ||
        properties.getChunk(static_cast<int>(chunk.size()), chunk.data()) != static_cast<int>(chunk.size()))
        return {};
    return chunk;
}

std::string storageProblem(const H5::DataSet& dataset, std::uint64_t maxChunks, std::uint64_t maxChunkBytes) {
    const H5::DSetCreatPropList properties = dataset.getCreatePlist();
    const H5D_layout_t layout = properties.getLayout();
    if (layout != H5D_COMPACT && layout != H5D_CONTIGUOUS && layout != H5D_CHUNKED)
        return "is a virtual dataset (its data lives in other files); store the data in this file";
    if (properties.getExternalCount() > 0)
        return "keeps its data in an external raw file; store the data in this file";
    for (int i = 0; i < properties.getNfilters(); ++i) {
        unsigned flags = 0;
        size_t values = 0;
        char name[64] = {};
        unsigned config = 0;
        const H5Z_filter_t filter = H5Pget_filter2(properties.getId(), static_cast<unsigned>(i), &flags,
                                                   &values, nullptr, sizeof name, name, &config);
        unsigned info = 0;
        if (filter < 0 || H5Zfilter_avail(filter) <= 0 || H5Zget_filter_info(filter, &info) < 0 ||
            !(info & H5Z_FILTER_CONFIG_DECODE_ENABLED))
            return "is compressed with HDF5 filter " + std::to_string(filter) +
                   (name[0] ? " ('" + std::string(name) + "')" : "") +
                   ", which this HDF5 library does not have; rewrite it with gzip or without compression";
    }
    if (layout != H5D_CHUNKED)
        return {};
    const auto dims = dimensions(dataset);
    const std::vector<hsize_t> chunk = chunkShape(dataset);
    if (chunk.empty())
        return "has an unreadable chunk layout";
    long double chunks = 1;
    long double chunkValues = 1;
    long double datasetValues = 1;
    for (size_t d = 0; d < dims.size(); ++d) {
        if (chunk[d] == 0)
            return "has an unreadable chunk layout (a chunk dimension of 0)";
        chunks *= std::ceil(static_cast<long double>(dims[d]) / static_cast<long double>(chunk[d]));
        chunkValues *= static_cast<long double>(chunk[d]);
        datasetValues *= static_cast<long double>(dims[d]);
    }
    if (chunks > static_cast<long double>(maxChunks))
        return "is split into " + countText(chunks) + " chunks of " + shapeText(chunk) + " values; at most " +
               countText(maxChunks) + " chunks are read, rewrite it with larger chunks";
    const long double typeBytes = static_cast<long double>(dataset.getDataType().getSize());
    if (chunkValues * typeBytes >
        std::max(datasetValues * typeBytes, static_cast<long double>(maxChunkBytes)))
        return "has chunks of " + shapeText(chunk) + " values (" + bytesText(chunkValues * typeBytes) +
               "), larger than the dataset itself; rewrite it with smaller chunks";
    return {};
}

namespace {

/// IEEE half precision, little-endian: numpy's float16 as h5py writes it, and HDF5 1.14's H5T_IEEE_F16LE.
bool isLittleEndianHalf(const H5::DataSet& dataset) {
    if (dataset.getTypeClass() != H5T_FLOAT)
        return false;
    const H5::FloatType type = dataset.getFloatType();
    size_t sign = 0, exponentAt = 0, exponentBits = 0, mantissaAt = 0, mantissaBits = 0;
    type.getFields(sign, exponentAt, exponentBits, mantissaAt, mantissaBits);
    H5std_string normText;
    return type.getSize() == 2 && type.getOrder() == H5T_ORDER_LE && type.getPrecision() == 16 &&
           type.getOffset() == 0 && sign == 15 && exponentAt == 10 && exponentBits == 5 && mantissaAt == 0 &&
           mantissaBits == 10 && type.getEbias() == 15 && type.getNorm(normText) == H5T_NORM_IMPLIED;
}

/// Grows `values`, whose capacity holds them all, to `size` floats. Grown slab by slab, the zeroing stays
/// next to the reading: the disk reads ahead meanwhile, and the slab is still in the processor's cache when
/// HDF5 writes it and it is checked. The new pages are mapped in one call where the kernel can (Linux 5.14
/// and later), much faster than a page fault per 4 KiB.
void growTo(std::vector<float>& values, size_t size) {
    if (size <= values.size())
        return;
#ifdef MADV_POPULATE_WRITE
    const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    const auto start = reinterpret_cast<std::uintptr_t>(values.data() + values.size());
    const auto end = reinterpret_cast<std::uintptr_t>(values.data() + size);
    const std::uintptr_t first = page > 0 ? (start + page - 1) / page * page : end;
    if (end > first)
        madvise(reinterpret_cast<void*>(first), end - first, MADV_POPULATE_WRITE); // failure costs only time
#endif
    values.resize(size);
}

} // namespace

void readFloatSlabs(const H5::DataSet& dataset, std::vector<float>& values, const SlabRows& arrived) {
    const std::vector<hsize_t> dims = dimensions(dataset);
    const hsize_t exits = dims.at(0), samples = dims.at(1), classes = dims.at(2);
    const std::vector<hsize_t> chunk = chunkShape(dataset);
    // Slabs of whole chunks: a chunk cut by two slabs would be read and decoded twice.
    const hsize_t exitsPerSlab = chunk.empty() ? 1 : std::min(chunk[0], exits);
    hsize_t rowsPerSlab = std::max<hsize_t>(1, kSlabBytes / (exitsPerSlab * classes * sizeof(float)));
    if (!chunk.empty())
        rowsPerSlab = (rowsPerSlab + chunk[1] - 1) / chunk[1] * chunk[1];
    rowsPerSlab = std::min(rowsPerSlab, samples);

    const bool half = isLittleEndianHalf(dataset);
    const H5::DataType fileType = dataset.getDataType();
    std::vector<std::uint8_t> halves(half ? static_cast<size_t>(exitsPerSlab * rowsPerSlab * classes) * 2
                                          : 0);
    // Slabs in the order they are read; the kernel hears of each 16 slabs (64 MB of float32) before it is
    // read.
    struct Slab {
        hsize_t start[3];
        hsize_t count[3];
    };
    std::vector<Slab> slabs;
    for (hsize_t exit = 0; exit < exits; exit += exitsPerSlab)
        for (hsize_t sample = 0; sample < samples; sample += rowsPerSlab)
            slabs.push_back(
                {{exit, sample, 0},
                 {std::min(exitsPerSlab, exits - exit), std::min(rowsPerSlab, samples - sample), classes}});
    const ReadAhead readAhead(dataset);
    const size_t ahead =
        std::max<size_t>(1, 16 * kSlabBytes / (exitsPerSlab * rowsPerSlab * classes * sizeof(float)));
    for (size_t i = 0; i < std::min(ahead, slabs.size()); ++i)
        readAhead.announce(slabs[i].start, slabs[i].count);
    values.clear();
    values.reserve(static_cast<size_t>(exits * samples * classes));

    H5::DataSpace fileSpace = dataset.getSpace();
    // The whole split in memory: a slab's selection in it is its selection in the file.
    H5::DataSpace memorySpace(3, dims.data());
    for (size_t i = 0; i < slabs.size(); ++i) {
        if (i + ahead < slabs.size())
            readAhead.announce(slabs[i + ahead].start, slabs[i + ahead].count);
        const hsize_t* start = slabs[i].start;
        const hsize_t* count = slabs[i].count;
        growTo(values,
               static_cast<size_t>(((start[0] + count[0] - 1) * samples + start[1] + count[1]) * classes));
        fileSpace.selectHyperslab(H5S_SELECT_SET, count, start);
        const size_t rowValues = static_cast<size_t>(count[1] * classes);
        if (half) {
            // Read as stored, then widened into place.
            dataset.read(halves.data(), fileType, H5::DataSpace(3, count), fileSpace);
            for (hsize_t k = 0; k < count[0]; ++k)
                widenHalves(halves.data() + k * rowValues * 2,
                            values.data() + ((start[0] + k) * samples + start[1]) * classes, rowValues);
        } else {
            memorySpace.selectHyperslab(H5S_SELECT_SET, count, start);
            dataset.read(values.data(), H5::PredType::NATIVE_FLOAT, memorySpace, fileSpace);
        }
        for (hsize_t k = 0; k < count[0]; ++k) {
            const size_t firstRow = static_cast<size_t>((start[0] + k) * samples + start[1]);
            arrived(values.data() + firstRow * classes, static_cast<size_t>(count[1]), firstRow);
        }
    }
}

std::string bytesText(long double bytes) {
    const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int unit = 0;
    while (bytes >= 1024 && unit < 6) {
        bytes /= 1024;
        ++unit;
    }
    std::ostringstream out;
    out.precision(4);
    out << static_cast<double>(bytes) << ' ' << units[unit];
    return out.str();
}

std::string countText(long double count) {
    if (count < 1e18L)
        return std::to_string(static_cast<std::uint64_t>(count));
    std::ostringstream out;
    out << static_cast<double>(count);
    return out.str();
}

std::string numberText(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

std::string shapeText(const std::vector<hsize_t>& dims) {
    std::string text;
    for (size_t i = 0; i < dims.size(); ++i)
        text += (i ? " x " : "") + std::to_string(dims[i]);
    return text;
}

std::vector<std::string> readStrings(const H5::DataSet& dataset) {
    const H5::StrType fileType = dataset.getStrType();
    const hssize_t count = dataset.getSpace().getSimpleExtentNpoints();
    std::vector<std::string> values;
    if (fileType.isVariableStr()) {
        std::vector<char*> pointers(static_cast<size_t>(count), nullptr);
        const H5::StrType memoryType(H5::PredType::C_S1, H5T_VARIABLE);
        dataset.read(pointers.data(), memoryType);
        for (char* pointer : pointers)
            values.emplace_back(pointer ? pointer : "");
        H5::DataSet::vlenReclaim(pointers.data(), memoryType, dataset.getSpace());
    } else {
        const size_t width = fileType.getSize();
        std::vector<char> buffer(width * static_cast<size_t>(count));
        dataset.read(buffer.data(), fileType);
        for (hssize_t i = 0; i < count; ++i) {
            const char* begin = buffer.data() + static_cast<size_t>(i) * width;
            values.emplace_back(begin, std::find(begin, begin + width, '\0'));
        }
    }
    return values;
}

void writeStrings(H5::Group& group, const std::string& name, const std::vector<std::string>& values) {
    const H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
    type.setCset(H5T_CSET_UTF8);
    const hsize_t count = values.size();
    std::vector<const char*> pointers;
    for (const std::string& value : values)
        pointers.push_back(value.c_str());
    H5::DataSet dataset = group.createDataSet(name, type, H5::DataSpace(1, &count));
    dataset.write(pointers.data(), type);
}

void writeDoubles(H5::Group& group, const std::string& name, const std::vector<double>& values) {
    const hsize_t count = values.size();
    H5::DataSet dataset = group.createDataSet(name, H5::PredType::IEEE_F64LE, H5::DataSpace(1, &count));
    dataset.write(values.data(), H5::PredType::NATIVE_DOUBLE);
}

void writeInts(H5::Group& group, const std::string& name, const std::vector<int>& values) {
    const hsize_t count = values.size();
    H5::DataSet dataset = group.createDataSet(name, H5::PredType::STD_I32LE, H5::DataSpace(1, &count));
    dataset.write(values.data(), H5::PredType::NATIVE_INT);
}

void writeFloats(H5::Group& group, const std::string& name, const std::vector<float>& values,
                 const std::vector<hsize_t>& shape, int gzipLevel) {
    const H5::DataSpace space(static_cast<int>(shape.size()), shape.data());
    H5::DSetCreatPropList properties;
    const bool compressible = gzipLevel > 0 && shape.size() == 3 && shape[1] > 0 && shape[2] > 0;
    if (compressible) {
        // One chunk holds a block of samples of one exit, ~256 KiB, which is what a reader reads together.
        const hsize_t rows = std::clamp<hsize_t>(65536 / shape[2], 1, shape[1]);
        const hsize_t chunk[3] = {1, rows, shape[2]};
        properties.setChunk(3, chunk);
        properties.setShuffle();
        properties.setDeflate(static_cast<unsigned>(gzipLevel));
    }
    H5::DataSet dataset = group.createDataSet(name, H5::PredType::IEEE_F32LE, space, properties);
    dataset.write(values.data(), H5::PredType::NATIVE_FLOAT);
}

} // namespace eenet::h5
