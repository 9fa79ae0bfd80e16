#include "io/PredictionsReader.h"

#include "Error.h"
#include "io/Hdf5Lock.h"
#include "io/Hdf5SampleInputs.h"
#include "io/detail/CostDatasets.h"
#include "io/detail/Hdf5Helpers.h"
#include "io/detail/InputsDataset.h"
#include "io/detail/ProbabilityChecks.h"
#include "io/detail/ReaderLimits.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>

namespace eenet {
namespace {

constexpr const char* kFormatName = "eenet-predictions";
constexpr std::int64_t kFormatVersion = 1;

/// Reads one file; every failure becomes a FormatError naming the file and the dataset being read.
class Reader {
public:
    Reader(std::string path, const ReadProgress& progress, const std::atomic<bool>* cancel)
        : m_path(std::move(path))
        , m_progress(progress)
        , m_cancel(cancel) {}

    std::shared_ptr<const Predictions> read() {
        checkFileIsHdf5();
        try {
            m_file.openFile(m_path, H5F_ACC_RDONLY);
        } catch (const H5::Exception& e) {
            fail("/", "cannot be opened: truncated or corrupt file (HDF5: " + e.getDetailMsg() + ")");
        }
        auto predictions = std::make_shared<Predictions>();
        predictions->sourcePath = m_path;
        try {
            readContent(*predictions);
        } catch (const H5::Exception& e) {
            fail(m_current, "cannot be read: truncated or corrupt file (HDF5: " + e.getDetailMsg() + ")");
        }
        if (m_progress)
            m_progress(1.0);
        return predictions;
    }

private:
    [[noreturn]] void fail(const std::string& dataset, const std::string& problem) const {
        throw FormatError(m_path, dataset, problem);
    }

    /// For the checks that return a problem: empty when there is none.
    void failIf(const std::string& dataset, const std::string& problem) const {
        if (!problem.empty())
            fail(dataset, problem);
    }

    void checkFileIsHdf5() const {
        std::error_code error;
        if (!std::filesystem::exists(m_path, error))
            throw IoError(m_path, "no such file");
        if (std::filesystem::is_directory(m_path, error))
            throw IoError(m_path, "is a directory, not a predictions file");
        if (!std::ifstream(m_path, std::ios::binary).is_open())
            throw IoError(m_path, "cannot be read (permission denied?)");
        if (H5Fis_hdf5(m_path.c_str()) <= 0)
            fail("/", "not an HDF5 file");
    }

    /// A split's datasets, checked from their metadata, before any of its values are read.
    struct SplitPlan {
        /// /<split>/probs, or /<split>/logits when the file has only those.
        std::string valuesPath;
        std::string labelsPath;
        bool fromLogits = false;
        H5::DataSet values;
        H5::DataSet labels;
        Shape3 shape;
    };

    void readContent(Predictions& predictions) {
        readRootAttributes(predictions);
        predictions.costs = readCosts();
        const int exits = static_cast<int>(predictions.costs.size());

        // Everything is checked from its metadata first: a file that cannot load is refused before gigabytes
        // are read, and progress knows the whole amount.
        const SplitPlan val = planSplit("val", nullptr);
        if (val.shape.exits != exits)
            fail(val.valuesPath, "has " + std::to_string(val.shape.exits) + " exits but /exits/costs has " +
                                     std::to_string(exits) + " entries");
        predictions.numExits = val.shape.exits;
        predictions.numClasses = val.shape.classes;
        std::optional<SplitPlan> test;
        if (h5::exists(m_file, "/test/probs") || h5::exists(m_file, "/test/logits") ||
            h5::exists(m_file, "/test/labels") || h5::exists(m_file, "/test/inputs"))
            test = planSplit("test", &val.shape);
        const auto valInputs = inputsOf("val", val.shape.samples);
        const auto testInputs = test ? inputsOf("test", test->shape.samples) : nullptr;
        if (valInputs && testInputs && !sameSampleShape(*valInputs, *testInputs))
            fail("/test/inputs", "holds " + describe(*testInputs) + " but /val/inputs holds " +
                                     describe(*valInputs) + "; both splits must hold the same");
        predictions.flops = readOptionalCosts("/exits/flops", exits);
        readCostModels(predictions);
        predictions.exitNames = readNames("/exits/names", exits, "exit ", 1);
        predictions.classNames = readNames("/classes/names", val.shape.classes, "class ", 0);

        predictions.val = readSplit(val, predictions.loadNotes);
        predictions.val.inputs = valInputs;
        if (test) {
            predictions.test = readSplit(*test, predictions.loadNotes);
            predictions.test->inputs = testInputs;
        }
    }

    void readRootAttributes(Predictions& predictions) {
        m_current = "/";
        const H5::Group root = m_file.openGroup("/");
        const auto format = stringAttribute(root, "format");
        if (!format)
            fail("/", "attribute 'format' is missing or not a string; expected '" + std::string(kFormatName) +
                          "'");
        if (*format != kFormatName)
            fail("/", "attribute 'format' is '" + *format + "', expected '" + kFormatName + "'");
        const auto version = h5::integerAttribute(root, "format_version");
        if (!version)
            fail("/", "attribute 'format_version' is missing or not an integer");
        if (*version != kFormatVersion)
            fail("/", "attribute 'format_version' is " + std::to_string(*version) +
                          "; this version of EENet Studio reads version " + std::to_string(kFormatVersion));
        predictions.model = requiredString(root, "model");
        predictions.dataset = requiredString(root, "dataset");
        predictions.costUnit = requiredString(root, "cost_unit");
        predictions.description = stringAttribute(root, "description").value_or("");
    }

    /// A string attribute of the root group; nullopt when it is missing or not a string. Refuses arrays of
    /// strings (the HDF5 C++ API reads only one) and strings over limits::kMaxStringBytes, fixed-length ones
    /// before reading them. HDF5 offers no way to learn a variable-length string's length before reading it.
    std::optional<std::string> stringAttribute(const H5::Group& root, const std::string& name) const {
        if (!root.attrExists(name))
            return std::nullopt;
        {
            const H5::Attribute attribute = root.openAttribute(name);
            if (attribute.getTypeClass() != H5T_STRING)
                return std::nullopt;
            const hssize_t count = attribute.getSpace().getSimpleExtentNpoints();
            if (count != 1)
                fail("/", "attribute '" + name + "' holds " + std::to_string(count) +
                              " strings, expected a single string");
            const H5::StrType type = attribute.getStrType();
            if (!type.isVariableStr() && type.getSize() > limits::kMaxStringBytes)
                fail("/", "attribute '" + name + "' is " + h5::bytesText(type.getSize()) +
                              " long; attributes may be at most " + h5::bytesText(limits::kMaxStringBytes));
        }
        auto value = h5::stringAttribute(root, name);
        if (value && value->size() > limits::kMaxStringBytes)
            fail("/", "attribute '" + name + "' is " + h5::bytesText(value->size()) +
                          " long; attributes may be at most " + h5::bytesText(limits::kMaxStringBytes));
        return value;
    }

    std::string requiredString(const H5::Group& root, const std::string& name) const {
        const auto value = stringAttribute(root, name);
        if (!value)
            fail("/", "attribute '" + name + "' is missing or not a string");
        return *value;
    }

    /// Opens a dataset to read whole, after checking from its metadata only that reading it is safe and
    /// will fit.
    H5::DataSet open(const std::string& path) {
        H5::DataSet dataset = locate(path);
        failIf(path, h5::storageProblem(dataset, limits::kMaxChunks, limits::kMaxChunkBytes));
        return dataset;
    }

    /// Opens a dataset stored in this file, whatever its storage.
    H5::DataSet locate(const std::string& path) {
        m_current = path;
        if (!h5::exists(m_file, path))
            fail(path, "missing");
        // Links could point anywhere, another file included: only objects stored in this file are read.
        const std::string link = h5::linkProblem(m_file, path);
        if (!link.empty())
            fail(path, link + "; links are not followed, store the dataset itself in the file");
        const H5O_type_t type = m_file.childObjType(path);
        if (type != H5O_TYPE_DATASET)
            fail(path, type == H5O_TYPE_GROUP ? "is a group, not a dataset" : "is not a dataset");
        return m_file.openDataSet(path);
    }

    /// HDF5 sizes its conversion buffers by the element size the file declares, which can be gigabytes.
    void checkNumberSize(const H5::DataSet& dataset, const std::string& path) const {
        const size_t bytes = dataset.getDataType().getSize();
        if (bytes > limits::kMaxNumberBytes)
            fail(path, "has elements of " + h5::bytesText(bytes) + "; numbers may be at most " +
                           std::to_string(limits::kMaxNumberBytes) + " bytes (float128)");
    }

    std::vector<double> readVector(const H5::DataSet& dataset, const std::string& path) const {
        const auto dims = h5::dimensions(dataset);
        if (dims.size() != 1)
            fail(path, "has rank " + std::to_string(dims.size()) + ", expected rank 1");
        const H5T_class_t type = dataset.getTypeClass();
        if (type != H5T_FLOAT && type != H5T_INTEGER)
            fail(path, "must hold numbers");
        checkNumberSize(dataset, path);
        if (dims[0] > limits::kMaxExits)
            fail(path, "has " + std::to_string(dims[0]) + " entries; at most " +
                           std::to_string(limits::kMaxExits) + " exits are supported");
        std::vector<double> values(dims[0]);
        dataset.read(values.data(), H5::PredType::NATIVE_DOUBLE);
        return values;
    }

    std::vector<double> readCosts() {
        const std::string path = "/exits/costs";
        auto costs = readVector(open(path), path);
        failIf(path, costsProblem(costs));
        return costs;
    }

    std::vector<double> readOptionalCosts(const std::string& path, int exits) {
        if (!h5::exists(m_file, path))
            return {};
        auto values = readVector(open(path), path);
        if (static_cast<int>(values.size()) != exits)
            fail(path, "has " + std::to_string(values.size()) + " entries, expected " +
                           std::to_string(exits) + " (one per exit)");
        failIf(path, costsProblem(values));
        return values;
    }

    /// The flops' unit, the named cost vectors and the serving costs (docs/format.md, "Cost models").
    void readCostModels(Predictions& predictions) {
        const costio::CostSource source{m_file, m_path,
                                        [this](const std::string& path) { return open(path); }};
        if (!predictions.flops.empty())
            predictions.flopsUnit = costio::readFlopsUnit(source, open("/exits/flops"));
        predictions.extraCosts = costio::readExtraCosts(source, predictions.numExits);
        predictions.batchCosts = costio::readBatchCosts(source, predictions.numExits);
    }

    std::vector<std::string> readNames(const std::string& path, int count, const std::string& prefix,
                                       int firstNumber) {
        if (!h5::exists(m_file, path)) {
            std::vector<std::string> names;
            for (int i = 0; i < count; ++i)
                names.push_back(prefix + std::to_string(i + firstNumber));
            return names;
        }
        const H5::DataSet dataset = open(path);
        if (dataset.getTypeClass() != H5T_STRING)
            fail(path, "must hold strings");
        const auto dims = h5::dimensions(dataset);
        if (dims.size() != 1)
            fail(path, "has rank " + std::to_string(dims.size()) + ", expected rank 1");
        if (dims[0] != static_cast<hsize_t>(count))
            fail(path, "has " + std::to_string(dims[0]) + " names, expected " + std::to_string(count));
        const H5::StrType type = dataset.getStrType();
        if (!type.isVariableStr() && type.getSize() > limits::kMaxStringBytes)
            fail(path, "holds names of " + h5::bytesText(type.getSize()) + "; names may be at most " +
                           h5::bytesText(limits::kMaxStringBytes));
        auto names = h5::readStrings(dataset);
        for (size_t i = 0; i < names.size(); ++i)
            if (names[i].size() > limits::kMaxStringBytes)
                fail(path, "name " + std::to_string(i) + " is " + h5::bytesText(names[i].size()) +
                               " long; names may be at most " + h5::bytesText(limits::kMaxStringBytes));
        return names;
    }

    /// Checks /<split>/probs (or logits) and labels from their metadata. `expected` (the val split's shape)
    /// makes the test split's exits and classes checked before anything else of it.
    SplitPlan planSplit(const std::string& split, const Shape3* expected) {
        SplitPlan plan;
        const std::string probsPath = "/" + split + "/probs";
        const std::string logitsPath = "/" + split + "/logits";
        plan.fromLogits = !h5::exists(m_file, probsPath) && h5::exists(m_file, logitsPath);
        plan.valuesPath = plan.fromLogits ? logitsPath : probsPath;
        const std::string& path = plan.valuesPath;

        plan.values = open(path);
        const auto dims = h5::dimensions(plan.values);
        if (dims.size() != 3)
            fail(path,
                 "has rank " + std::to_string(dims.size()) + ", expected rank 3 [exits, samples, classes]");
        if (plan.values.getTypeClass() != H5T_FLOAT)
            fail(path, "must hold floating-point numbers (float16, float32 or float64)");
        checkNumberSize(plan.values, path);
        // Guard the int conversions and the allocation: a corrupt or hostile header can declare anything.
        const long double values = static_cast<long double>(dims[0]) * static_cast<long double>(dims[1]) *
                                   static_cast<long double>(dims[2]);
        const long double bytes = values * sizeof(float) + static_cast<long double>(dims[1]) * 8;
        const long double budget = limits::memoryBudgetBytes();
        if (dims[0] > hsize_t(std::numeric_limits<int>::max()) ||
            dims[1] > hsize_t(std::numeric_limits<int>::max()) ||
            dims[2] > hsize_t(std::numeric_limits<int>::max()) || values > limits::kMaxValues)
            fail(path, "is too large to load: " + h5::shapeText(dims) + " values; at most " +
                           h5::countText(limits::kMaxValues) + " values per split are supported");
        if (m_plannedBytes + bytes > budget)
            fail(path,
                 "is too large to load: " + h5::shapeText(dims) + " values need " + h5::bytesText(bytes) +
                     " in memory" +
                     (m_plannedBytes > 0 ? " besides " + h5::bytesText(m_plannedBytes) + " for /val" : "") +
                     ", more than the " + h5::bytesText(budget) +
                     " a file may take on this machine (half of its physical memory)");
        m_plannedBytes += bytes;
        m_totalValues += values;
        Shape3& shape = plan.shape;
        shape = {static_cast<int>(dims[0]), static_cast<int>(dims[1]), static_cast<int>(dims[2])};
        if (expected && shape.exits != expected->exits)
            fail(path, "has " + std::to_string(shape.exits) + " exits but the val split has " +
                           std::to_string(expected->exits));
        if (expected && shape.classes != expected->classes)
            fail(path, "has " + std::to_string(shape.classes) + " classes but the val split has " +
                           std::to_string(expected->classes));
        if (shape.exits < 2)
            fail(path, "needs at least 2 exits, has " + std::to_string(shape.exits));
        if (shape.classes < 2)
            fail(path, "needs at least 2 classes, has " + std::to_string(shape.classes));
        if (shape.samples == 0)
            fail(path, "has no samples");
        plan.labelsPath = "/" + split + "/labels";
        plan.labels = openLabels(plan);
        return plan;
    }

    /// Reads a planned split's values slab by slab, each slab checked (or turned from logits into
    /// probabilities) while it is in the cache, then its labels.
    SplitPredictions readSplit(const SplitPlan& plan, std::vector<std::string>& notes) {
        SplitPredictions result;
        result.numSamples = plan.shape.samples;
        m_current = plan.valuesPath;
        stopIfCancelled();
        h5::readFloatSlabs(plan.values, result.probs, [&](float* rows, size_t count, size_t firstRow) {
            failIf(plan.valuesPath, splitBlockProblem({rows, count, firstRow}, plan.shape, !plan.fromLogits));
            if (plan.fromLogits)
                softmaxRows(rows, count, plan.shape.classes);
            m_valuesRead += static_cast<long double>(count) * plan.shape.classes;
            if (m_progress)
                m_progress(static_cast<double>(std::min(m_valuesRead / m_totalValues, 1.0L)));
            stopIfCancelled();
        });
        if (plan.fromLogits)
            notes.push_back("softmax applied to " + plan.valuesPath +
                            " (the file has logits, not probabilities)");
        result.labels = readLabels(plan);
        return result;
    }

    void stopIfCancelled() const {
        if (m_cancel && m_cancel->load(std::memory_order_relaxed))
            throw CancelledError();
    }

    /// A split's inputs, checked from their metadata and read later, one sample at a time when asked;
    /// nullptr when the split has none.
    std::shared_ptr<const SampleInputs> inputsOf(const std::string& split, int numSamples) {
        const std::string path = "/" + split + "/inputs";
        if (!h5::exists(m_file, path))
            return nullptr;
        const h5::InputsLayout layout = h5::inspectInputs(locate(path), m_path, path, numSamples);
        return std::make_shared<Hdf5SampleInputs>(m_path, path, layout.kind, layout.shape);
    }

    static std::string describe(const SampleInputs& inputs) {
        return describeInputs(inputs.kind(), inputs.shape());
    }

    /// Opens a split's labels, checked from their metadata against its values.
    H5::DataSet openLabels(const SplitPlan& plan) {
        const std::string& path = plan.labelsPath;
        H5::DataSet dataset = open(path);
        const auto dims = h5::dimensions(dataset);
        if (dims.size() != 1)
            fail(path, "has rank " + std::to_string(dims.size()) + ", expected rank 1 [samples]");
        if (dataset.getTypeClass() != H5T_INTEGER)
            fail(path, "must hold integer class indices");
        checkNumberSize(dataset, path);
        // Compared as hsize_t: a 64-bit length like 2^32 + N must not pass for N.
        if (dims[0] != static_cast<hsize_t>(plan.shape.samples))
            fail(path, "has " + std::to_string(dims[0]) + " samples but " + plan.valuesPath + " has " +
                           std::to_string(plan.shape.samples));
        return dataset;
    }

    std::vector<int> readLabels(const SplitPlan& plan) {
        const std::string& path = plan.labelsPath;
        m_current = path;
        std::vector<std::int64_t> raw(static_cast<size_t>(plan.shape.samples));
        plan.labels.read(raw.data(), H5::PredType::NATIVE_INT64);
        std::vector<int> labels(raw.size());
        for (size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] < 0 || raw[i] >= plan.shape.classes)
                fail(path, "label " + std::to_string(raw[i]) + " of sample " + std::to_string(i) +
                               " is outside [0, C) with C = " + std::to_string(plan.shape.classes));
            labels[i] = static_cast<int>(raw[i]);
        }
        return labels;
    }

    std::string m_path;
    H5::H5File m_file;
    std::string m_current = "/";
    /// Bytes of probabilities and labels of the splits accepted so far, against limits::memoryBudgetBytes().
    long double m_plannedBytes = 0;
    const ReadProgress& m_progress;
    const std::atomic<bool>* m_cancel;
    /// Values of the splits planned, and those read so far: the progress reported.
    long double m_totalValues = 0;
    long double m_valuesRead = 0;
};

} // namespace

std::shared_ptr<const Predictions> readPredictions(const std::string& path, const ReadProgress& progress,
                                                   const std::atomic<bool>* cancel) {
    const std::lock_guard<std::mutex> lock(hdf5Mutex());
    h5::silenceErrorStack();
    return Reader(path, progress, cancel).read();
}

} // namespace eenet
