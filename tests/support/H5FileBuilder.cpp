#include "H5FileBuilder.h"

#include <H5Cpp.h>

#include <QFileInfo>

#include <algorithm>
#include <random>
#include <stdexcept>

namespace eenet::test {
namespace {

// HDF5 1.10 has no predefined half type. This is h5py's recipe (h5t.pyx), so our float16 files are
// byte-for-byte what a user gets from `numpy.float16` data.
H5::FloatType float16Type() {
    H5::FloatType type(H5::PredType::IEEE_F32LE);
    type.setFields(15, 10, 5, 0, 10);
    type.setSize(2);
    type.setEbias(15);
    return type;
}

H5::StrType utf8StringType() {
    H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
    type.setCset(H5T_CSET_UTF8);
    return type;
}

H5::DataType fileType(H5ElementType type) {
    switch (type) {
    case H5ElementType::Float16:
        return float16Type();
    case H5ElementType::Float32:
        return H5::DataType(H5::PredType::IEEE_F32LE);
    case H5ElementType::Float64:
        return H5::DataType(H5::PredType::IEEE_F64LE);
    case H5ElementType::Int32:
        return H5::DataType(H5::PredType::STD_I32LE);
    case H5ElementType::Int64:
        return H5::DataType(H5::PredType::STD_I64LE);
    case H5ElementType::UInt8:
        return H5::DataType(H5::PredType::STD_U8LE);
    case H5ElementType::String:
        return utf8StringType();
    case H5ElementType::AsciiString:
        return H5::StrType(H5::PredType::C_S1, H5T_VARIABLE);
    }
    throw std::logic_error("H5FileBuilder: unknown element type");
}

std::vector<hsize_t> toHsize(const std::vector<std::uint64_t>& shape) {
    return std::vector<hsize_t>(shape.begin(), shape.end());
}

H5::DataSpace makeSpace(const std::vector<std::uint64_t>& shape, bool extendible = false) {
    if (shape.empty())
        return H5::DataSpace(H5S_SCALAR);
    const std::vector<hsize_t> dims = toHsize(shape);
    const std::vector<hsize_t> unlimited(dims.size(), H5S_UNLIMITED);
    return H5::DataSpace(static_cast<int>(dims.size()), dims.data(), extendible ? unlimited.data() : nullptr);
}

// A filter that passes data through unchanged, registered under a test's id only while the builder writes.
size_t passThrough(unsigned, size_t, const unsigned[], size_t bytes, size_t*, void**) {
    return bytes;
}

// Registers the pass-through filter under `id` for the life of the object.
class ScopedFilter {
public:
    explicit ScopedFilter(int id)
        : m_id(id) {
        if (m_id == 0)
            return;
        m_class = {H5Z_CLASS_T_VERS,
                   static_cast<H5Z_filter_t>(m_id),
                   1,
                   1,
                   "eenet-test-unavailable",
                   nullptr,
                   nullptr,
                   passThrough};
        if (H5Zregister(&m_class) < 0)
            throw std::runtime_error("H5FileBuilder: cannot register filter " + std::to_string(m_id));
    }
    ~ScopedFilter() {
        if (m_id != 0)
            H5Zunregister(static_cast<H5Z_filter_t>(m_id));
    }
    ScopedFilter(const ScopedFilter&) = delete;
    ScopedFilter& operator=(const ScopedFilter&) = delete;

private:
    int m_id = 0;
    H5Z_class2_t m_class{};
};

// Chunks of about half of every dimension give several chunks and ragged edge chunks, which is what makes a
// reader's chunked path differ from its contiguous one.
H5::DSetCreatPropList creationProperties(const H5DatasetSpec& spec, const std::string& directory) {
    H5::DSetCreatPropList properties;
    const bool chunkable = !spec.shape.empty() &&
                           std::none_of(spec.shape.begin(), spec.shape.end(), [](auto d) { return d == 0; });
    if (!spec.chunk.empty()) {
        const std::vector<hsize_t> chunk = toHsize(spec.chunk);
        properties.setChunk(static_cast<int>(chunk.size()), chunk.data());
    } else if (spec.chunkedGzip && chunkable) {
        std::vector<hsize_t> chunk = toHsize(spec.shape);
        for (hsize_t& d : chunk)
            d = std::max<hsize_t>(1, (d + 1) / 2);
        properties.setChunk(static_cast<int>(chunk.size()), chunk.data());
    }
    if (spec.chunkedGzip && properties.getLayout() == H5D_CHUNKED)
        properties.setDeflate(4);
    if (spec.unavailableFilter != 0)
        properties.setFilter(static_cast<H5Z_filter_t>(spec.unavailableFilter), H5Z_FLAG_MANDATORY);
    if (!spec.externalFile.empty()) {
        const std::string file =
            spec.externalFile.front() == '/' ? spec.externalFile : directory + "/" + spec.externalFile;
        properties.setExternal(file.c_str(), 0, H5F_UNLIMITED);
    }
    return properties;
}

void createParentGroups(H5::H5File& file, const std::string& path) {
    for (std::size_t slash = path.find('/', 1); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
        const std::string group = path.substr(0, slash);
        if (H5Lexists(file.getId(), group.c_str(), H5P_DEFAULT) <= 0)
            file.createGroup(group);
    }
}

void writeAttribute(H5::Group& root, const std::string& name, const H5AttributeValue& value) {
    const H5::DataSpace scalar(H5S_SCALAR);
    if (const auto* text = std::get_if<std::string>(&value)) {
        const H5::StrType type = utf8StringType();
        root.createAttribute(name, type, scalar).write(type, *text);
    } else if (const auto* fixed = std::get_if<H5FixedString>(&value)) {
        const H5::StrType type(H5::PredType::C_S1, fixed->size);
        std::string padded = fixed->text;
        padded.resize(fixed->size, '\0');
        root.createAttribute(name, type, scalar).write(type, padded.data());
    } else if (const auto* texts = std::get_if<std::vector<std::string>>(&value)) {
        const H5::StrType type = utf8StringType();
        const hsize_t count = texts->size();
        std::vector<const char*> pointers;
        for (const std::string& t : *texts)
            pointers.push_back(t.c_str());
        root.createAttribute(name, type, H5::DataSpace(1, &count)).write(type, pointers.data());
    } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        root.createAttribute(name, H5::PredType::STD_I64LE, scalar)
            .write(H5::PredType::NATIVE_INT64, integer);
    } else {
        const double number = std::get<double>(value);
        root.createAttribute(name, H5::PredType::IEEE_F64LE, scalar)
            .write(H5::PredType::NATIVE_DOUBLE, &number);
    }
}

void writeDataset(H5::H5File& file, const std::string& path, const H5DatasetSpec& spec,
                  const std::string& directory) {
    const std::size_t count = spec.declaredOnly ? 0 : spec.elementCount();
    const bool isString = spec.type == H5ElementType::String || spec.type == H5ElementType::AsciiString;
    if ((isString ? spec.strings.size() : spec.values.size()) != count)
        throw std::logic_error("H5FileBuilder: " + path + " has " +
                               std::to_string(isString ? spec.strings.size() : spec.values.size()) +
                               " values for " + std::to_string(count) + " elements");
    H5::DataType type = fileType(spec.type);
    if (spec.elementBytes != 0 && H5Tset_size(type.getId(), spec.elementBytes) < 0)
        throw std::logic_error("H5FileBuilder: " + path + " cannot have elements of " +
                               std::to_string(spec.elementBytes) + " bytes");
    H5::DataSet dataset = file.createDataSet(path, type, makeSpace(spec.shape, spec.extendible),
                                             creationProperties(spec, directory));
    // Zero-element datasets (N = 0 cases) have nothing to write, and HDF5 rejects a null buffer.
    if (count == 0 || spec.declaredOnly)
        return;
    if (isString) {
        std::vector<const char*> pointers;
        for (const std::string& s : spec.strings)
            pointers.push_back(s.c_str());
        dataset.write(pointers.data(), type);
    } else {
        // HDF5 converts double to the file type, float16 included, so tests never hand-encode bytes.
        dataset.write(spec.values.data(), H5::PredType::NATIVE_DOUBLE);
    }
}

H5AttributeValue readAttribute(const H5::Attribute& attribute) {
    switch (attribute.getTypeClass()) {
    case H5T_STRING: {
        std::string text;
        attribute.read(attribute.getDataType(), text);
        return text;
    }
    case H5T_INTEGER: {
        std::int64_t integer = 0;
        attribute.read(H5::PredType::NATIVE_INT64, &integer);
        return integer;
    }
    case H5T_FLOAT: {
        double number = 0;
        attribute.read(H5::PredType::NATIVE_DOUBLE, &number);
        return number;
    }
    default:
        throw std::runtime_error("H5FileBuilder: attribute " + attribute.getName() +
                                 " has an unsupported type");
    }
}

H5ElementType elementType(const H5::DataSet& dataset, const std::string& path) {
    const std::size_t size = dataset.getDataType().getSize();
    switch (dataset.getTypeClass()) {
    case H5T_FLOAT:
        if (size == 2)
            return H5ElementType::Float16;
        if (size == 4)
            return H5ElementType::Float32;
        if (size == 8)
            return H5ElementType::Float64;
        break;
    case H5T_INTEGER:
        if (size == 1 && dataset.getIntType().getSign() == H5T_SGN_NONE)
            return H5ElementType::UInt8;
        if (size == 4)
            return H5ElementType::Int32;
        if (size == 8)
            return H5ElementType::Int64;
        break;
    case H5T_STRING: {
        const H5::StrType type = dataset.getStrType();
        return type.isVariableStr() && type.getCset() == H5T_CSET_ASCII ? H5ElementType::AsciiString
                                                                        : H5ElementType::String;
    }
    default:
        break;
    }
    throw std::runtime_error("H5FileBuilder: " + path + " has an element type it cannot represent");
}

std::vector<std::string> readStrings(const H5::DataSet& dataset, const H5::DataSpace& space,
                                     std::size_t count) {
    const H5::StrType type = dataset.getStrType();
    std::vector<std::string> strings;
    if (type.isVariableStr()) {
        std::vector<char*> pointers(count, nullptr);
        dataset.read(pointers.data(), type);
        for (const char* p : pointers)
            strings.emplace_back(p ? p : "");
        H5Dvlen_reclaim(type.getId(), space.getId(), H5P_DEFAULT, pointers.data());
    } else {
        const std::size_t width = type.getSize();
        std::vector<char> bytes(count * width);
        dataset.read(bytes.data(), type);
        for (std::size_t i = 0; i < count; ++i) {
            const char* begin = bytes.data() + i * width;
            strings.emplace_back(begin, std::find(begin, begin + width, '\0'));
        }
    }
    return strings;
}

H5DatasetSpec readDataset(const H5::DataSet& dataset, const std::string& path) {
    H5DatasetSpec spec;
    spec.type = elementType(dataset, path);
    const H5::DataSpace space = dataset.getSpace();
    std::vector<hsize_t> dims(static_cast<std::size_t>(space.getSimpleExtentNdims()));
    if (!dims.empty())
        space.getSimpleExtentDims(dims.data());
    spec.shape.assign(dims.begin(), dims.end());
    const std::size_t count = spec.elementCount();
    if (count > 0) {
        if (spec.type == H5ElementType::String || spec.type == H5ElementType::AsciiString) {
            spec.strings = readStrings(dataset, space, count);
        } else {
            spec.values.resize(count);
            dataset.read(spec.values.data(), H5::PredType::NATIVE_DOUBLE);
        }
    }
    const H5::DSetCreatPropList properties = dataset.getCreatePlist();
    bool deflated = false;
    for (int i = 0; i < properties.getNfilters(); ++i) {
        unsigned flags = 0;
        std::size_t numValues = 0;
        unsigned config = 0;
        deflated |= H5Pget_filter2(properties.getId(), static_cast<unsigned>(i), &flags, &numValues, nullptr,
                                   0, nullptr, &config) == H5Z_FILTER_DEFLATE;
    }
    spec.chunkedGzip = properties.getLayout() == H5D_CHUNKED && deflated;
    return spec;
}

void readGroup(const H5::Group& group, const std::string& prefix, std::map<std::string, H5DatasetSpec>& out) {
    for (hsize_t i = 0; i < group.getNumObjs(); ++i) {
        const std::string name = group.getObjnameByIdx(i);
        const std::string path = prefix + "/" + name;
        switch (group.getObjTypeByIdx(i)) {
        case H5G_GROUP:
            readGroup(group.openGroup(name), path, out);
            break;
        case H5G_DATASET:
            out[path] = readDataset(group.openDataSet(name), path);
            break;
        default:
            throw std::runtime_error("H5FileBuilder: " + path + " is neither a group nor a dataset");
        }
    }
}

// Baseline probabilities: integer weights favouring the label more at later exits, quantised to multiples of
// 1/1024 that sum to exactly 1024, so every storage type holds them exactly and rows sum to exactly 1.
void addSplit(H5FileBuilder& builder, const std::string& group, int numExits, int numSamples, int numClasses,
              std::mt19937& rng) {
    std::vector<double> labels;
    for (int i = 0; i < numSamples; ++i)
        labels.push_back(static_cast<double>(rng() % static_cast<unsigned>(numClasses)));
    std::vector<double> probs;
    for (int k = 0; k < numExits; ++k) {
        for (int i = 0; i < numSamples; ++i) {
            std::vector<unsigned> weights;
            for (int c = 0; c < numClasses; ++c)
                weights.push_back(1 + rng() % 64 + (c == static_cast<int>(labels[i]) ? 48u * (k + 1) : 0u));
            unsigned total = 0;
            for (unsigned w : weights)
                total += w;
            std::vector<unsigned> quanta;
            unsigned used = 0;
            for (unsigned w : weights) {
                quanta.push_back(w * 1024 / total);
                used += quanta.back();
            }
            *std::max_element(quanta.begin(), quanta.end()) += 1024 - used;
            for (unsigned q : quanta)
                probs.push_back(q / 1024.0);
        }
    }
    const auto k = static_cast<std::uint64_t>(numExits);
    const auto n = static_cast<std::uint64_t>(numSamples);
    const auto c = static_cast<std::uint64_t>(numClasses);
    builder.setDataset(group + "/probs", H5DatasetSpec::numbers(H5ElementType::Float32, {k, n, c}, probs));
    builder.setDataset(group + "/labels", H5DatasetSpec::numbers(H5ElementType::Int32, {n}, labels));
}

} // namespace

H5DatasetSpec H5DatasetSpec::numbers(H5ElementType type, std::vector<std::uint64_t> shape,
                                     std::vector<double> values) {
    H5DatasetSpec spec;
    spec.type = type;
    spec.shape = std::move(shape);
    spec.values = std::move(values);
    return spec;
}

H5DatasetSpec H5DatasetSpec::text(std::vector<std::string> strings) {
    H5DatasetSpec spec;
    spec.type = H5ElementType::String;
    spec.shape = {strings.size()};
    spec.strings = std::move(strings);
    return spec;
}

std::size_t H5DatasetSpec::elementCount() const {
    std::size_t count = 1;
    for (std::uint64_t d : shape)
        count *= static_cast<std::size_t>(d);
    return count;
}

H5FileBuilder H5FileBuilder::validBaseline(const BaselineOptions& options) {
    H5FileBuilder builder;
    builder.setAttribute("format", std::string("eenet-predictions"))
        .setAttribute("format_version", std::int64_t{1})
        .setAttribute("model", std::string("baseline-mlp"))
        .setAttribute("dataset", std::string("synthetic-blobs"))
        .setAttribute("cost_unit", std::string("ms"))
        .setAttribute("description", std::string("H5FileBuilder baseline"));
    std::vector<double> costs;
    for (int k = 1; k <= options.numExits; ++k)
        costs.push_back(k);
    builder.setDataset("/exits/costs",
                       H5DatasetSpec::numbers(H5ElementType::Float64,
                                              {static_cast<std::uint64_t>(options.numExits)}, costs));
    std::mt19937 rng(20240611u);
    addSplit(builder, "/val", options.numExits, options.numSamples, options.numClasses, rng);
    if (options.withTest)
        addSplit(builder, "/test", options.numExits, options.numTestSamples, options.numClasses, rng);
    return builder;
}

H5FileBuilder H5FileBuilder::fromFile(const QString& path) {
    H5FileBuilder builder;
    try {
        const H5::H5File file(path.toStdString(), H5F_ACC_RDONLY);
        const H5::Group root = file.openGroup("/");
        for (int i = 0; i < root.getNumAttrs(); ++i) {
            const H5::Attribute attribute = root.openAttribute(static_cast<unsigned>(i));
            builder.m_attributes[attribute.getName()] = readAttribute(attribute);
        }
        readGroup(root, "", builder.m_datasets);
    } catch (const H5::Exception& e) {
        throw std::runtime_error("H5FileBuilder: cannot read " + path.toStdString() + ": " +
                                 e.getDetailMsg());
    }
    return builder;
}

H5FileBuilder& H5FileBuilder::setAttribute(const std::string& name, H5AttributeValue value) {
    m_attributes[name] = std::move(value);
    return *this;
}

H5FileBuilder& H5FileBuilder::removeAttribute(const std::string& name) {
    m_attributes.erase(name);
    return *this;
}

bool H5FileBuilder::hasAttribute(const std::string& name) const {
    return m_attributes.count(name) > 0;
}

const H5AttributeValue& H5FileBuilder::attribute(const std::string& name) const {
    return m_attributes.at(name);
}

H5FileBuilder& H5FileBuilder::setDataset(const std::string& path, H5DatasetSpec spec) {
    m_datasets[path] = std::move(spec);
    return *this;
}

H5FileBuilder& H5FileBuilder::removeDataset(const std::string& path) {
    m_datasets.erase(path);
    return *this;
}

H5FileBuilder& H5FileBuilder::removeGroup(const std::string& groupPath) {
    const std::string prefix = groupPath + "/";
    for (auto it = m_datasets.begin(); it != m_datasets.end();)
        it = it->first.compare(0, prefix.size(), prefix) == 0 ? m_datasets.erase(it) : std::next(it);
    return *this;
}

bool H5FileBuilder::hasDataset(const std::string& path) const {
    return m_datasets.count(path) > 0;
}

H5DatasetSpec& H5FileBuilder::dataset(const std::string& path) {
    return m_datasets.at(path);
}

const H5DatasetSpec& H5FileBuilder::dataset(const std::string& path) const {
    return m_datasets.at(path);
}

std::vector<std::string> H5FileBuilder::datasetPaths() const {
    std::vector<std::string> paths;
    for (const auto& entry : m_datasets)
        paths.push_back(entry.first);
    return paths;
}

H5FileBuilder& H5FileBuilder::setAllChunkedGzip(bool on) {
    for (auto& entry : m_datasets)
        entry.second.chunkedGzip = on;
    return *this;
}

H5FileBuilder& H5FileBuilder::setSoftLink(const std::string& path, const std::string& target) {
    m_datasets.erase(path);
    m_links[path] = {std::string(), target};
    return *this;
}

H5FileBuilder& H5FileBuilder::setExternalLink(const std::string& path, const std::string& file,
                                              const std::string& objectPath) {
    m_datasets.erase(path);
    m_links[path] = {file, objectPath};
    return *this;
}

std::uint64_t H5FileBuilder::objectHeaderOffset(const QString& path, const std::string& objectPath) {
    try {
        const H5::H5File file(path.toStdString(), H5F_ACC_RDONLY);
        H5O_info_t info{};
        file.getObjinfo(objectPath, info);
        return info.addr;
    } catch (const H5::Exception& e) {
        throw std::runtime_error("H5FileBuilder: cannot locate " + objectPath + " in " + path.toStdString() +
                                 ": " + e.getDetailMsg());
    }
}

std::pair<std::uint64_t, std::uint64_t> H5FileBuilder::firstChunkLocation(const QString& path,
                                                                          const std::string& datasetPath) {
    try {
        const H5::H5File file(path.toStdString(), H5F_ACC_RDONLY);
        const H5::DataSet dataset = file.openDataSet(datasetPath);
        const H5::DataSpace space = dataset.getSpace();
        std::vector<hsize_t> offset(static_cast<std::size_t>(space.getSimpleExtentNdims()));
        unsigned filterMask = 0;
        haddr_t address = 0;
        hsize_t size = 0;
        if (H5Dget_chunk_info(dataset.getId(), space.getId(), 0, offset.data(), &filterMask, &address,
                              &size) < 0)
            throw std::runtime_error("H5FileBuilder: " + datasetPath + " in " + path.toStdString() +
                                     " is not chunked");
        return {address, size};
    } catch (const H5::Exception& e) {
        throw std::runtime_error("H5FileBuilder: cannot locate " + datasetPath + " in " + path.toStdString() +
                                 ": " + e.getDetailMsg());
    }
}

long H5FileBuilder::openObjectCount() {
    // Datatypes are left out: the C++ API keeps its predefined types open for the life of the process.
    return static_cast<long>(
        H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_FILE | H5F_OBJ_GROUP | H5F_OBJ_DATASET | H5F_OBJ_ATTR));
}

void H5FileBuilder::write(const QString& path) const {
    try {
        // Attributes over 64 KiB need the dense attribute storage of the 1.8 file format; every other file
        // keeps the default (earliest) format, which is what h5py writes.
        const bool largeAttributes = std::any_of(m_attributes.begin(), m_attributes.end(), [](const auto& a) {
            const auto* fixed = std::get_if<H5FixedString>(&a.second);
            return fixed && fixed->size > 32 * 1024;
        });
        H5::FileAccPropList access;
        if (largeAttributes)
            access.setLibverBounds(H5F_LIBVER_V18, H5F_LIBVER_LATEST);
        H5::H5File file(path.toStdString(), H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, access);
        H5::Group root = file.openGroup("/");
        for (const auto& [name, value] : m_attributes)
            writeAttribute(root, name, value);
        for (const auto& [datasetPath, spec] : m_datasets) {
            createParentGroups(file, datasetPath);
            const ScopedFilter filter(spec.unavailableFilter);
            writeDataset(file, datasetPath, spec, QFileInfo(path).absolutePath().toStdString());
        }
        for (const auto& [linkPath, link] : m_links) {
            createParentGroups(file, linkPath);
            const herr_t status =
                link.first.empty() ? H5Lcreate_soft(link.second.c_str(), file.getId(), linkPath.c_str(),
                                                    H5P_DEFAULT, H5P_DEFAULT)
                                   : H5Lcreate_external(link.first.c_str(), link.second.c_str(), file.getId(),
                                                        linkPath.c_str(), H5P_DEFAULT, H5P_DEFAULT);
            if (status < 0)
                throw std::runtime_error("H5FileBuilder: cannot create the link " + linkPath);
        }
    } catch (const H5::Exception& e) {
        throw std::runtime_error("H5FileBuilder: cannot write " + path.toStdString() + ": " +
                                 e.getDetailMsg());
    }
}

} // namespace eenet::test
