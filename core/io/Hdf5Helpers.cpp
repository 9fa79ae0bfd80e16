#include "io/Hdf5Helpers.h"

#include <algorithm>

namespace eenet::h5 {

void silenceErrorStack() {
    H5::Exception::dontPrint();
}

bool exists(const H5::H5File& file, const std::string& path) {
    // H5Lexists fails (rather than answering false) when an intermediate group is missing: walk the path.
    size_t position = 0;
    while (position != std::string::npos) {
        position = path.find('/', position + 1);
        const std::string prefix = path.substr(0, position);
        if (H5Lexists(file.getId(), prefix.c_str(), H5P_DEFAULT) <= 0)
            return false;
    }
    return true;
}

std::optional<std::string> stringAttribute(const H5::H5Object& object, const std::string& name) {
    if (!object.attrExists(name))
        return std::nullopt;
    H5::Attribute attribute = object.openAttribute(name);
    if (attribute.getTypeClass() != H5T_STRING)
        return std::nullopt;
    std::string value;
    attribute.read(attribute.getStrType(), value);
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
