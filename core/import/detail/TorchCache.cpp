#include "import/detail/TorchCache.h"

#include "Error.h"
#include "import/detail/CacheAssembly.h"
#include "io/detail/Hdf5Helpers.h"
#include "io/detail/ReaderLimits.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/import_read.h>
#include <torch/csrc/jit/serialization/storage_context.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

namespace eenet::cache {
namespace {

/// How errors about the file as a whole name what they are about.
constexpr const char* kWhole = "torch.save data";
constexpr const char* kExpectedTuple =
    "expected a tuple (val_pred, val_target) or (val_pred, val_target, test_pred, test_target), as MSDNet "
    "writes logits_single.pth";
constexpr const char* kExpectedFlops =
    "expected the cumulative FLOPs of each exit, a list of numbers or a 1-D tensor";
const char* const kElementNames[] = {"element 0 (val predictions)", "element 1 (val targets)",
                                     "element 2 (test predictions)", "element 3 (test targets)"};

[[noreturn]] void fail(const std::string& path, const std::string& what, const std::string& problem) {
    throw FormatError(path, what, problem);
}

std::string firstLine(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

std::string shapeText(const at::Tensor& tensor) {
    const std::vector<std::int64_t> sizes = tensor.sizes().vec();
    return sizes.empty() ? "a scalar" : h5::shapeText(std::vector<hsize_t>(sizes.begin(), sizes.end()));
}

/// What a value is, for errors: "a dict", "a tensor of shape 10 x 4", "a tuple of 3 elements".
std::string describe(const c10::IValue& value) {
    if (value.isTensor())
        return "a tensor of shape " + shapeText(value.toTensor());
    if (value.isTuple())
        return "a tuple of " + std::to_string(value.toTupleRef().elements().size()) + " elements";
    if (value.isList())
        return "a list of " + std::to_string(value.toListRef().size()) + " elements";
    if (value.isGenericDict())
        return "a dict";
    if (value.isNone())
        return "None";
    if (value.isDouble() || value.isInt())
        return "a number";
    if (value.isString())
        return "a string";
    return std::string("a ") + value.tagKind();
}

std::vector<c10::IValue> elementsOf(const c10::IValue& value) {
    return value.isTuple() ? value.toTupleRef().elements().vec() : value.toListRef().vec();
}

std::string dtypeName(c10::ScalarType type) {
    switch (type) {
    case at::kHalf:
        return "float16";
    case at::kFloat:
        return "float32";
    case at::kDouble:
        return "float64";
    case at::kBFloat16:
        return "bfloat16";
    case at::kLong:
        return "int64";
    case at::kInt:
        return "int32";
    case at::kShort:
        return "int16";
    case at::kChar:
        return "int8";
    case at::kByte:
        return "uint8";
    case at::kBool:
        return "bool";
    default:
        return c10::toString(type);
    }
}

/// Empty when every value `tensor` views lies inside the bytes its record holds (see load()).
std::string tensorProblem(const at::Tensor& tensor) {
    if (!tensor.defined() || tensor.layout() != c10::kStrided || tensor.is_quantized() || !tensor.is_cpu() ||
        !tensor.has_storage())
        return "is not a dense tensor";
    if (tensor.numel() == 0)
        return {};
    long double last = static_cast<long double>(tensor.storage_offset());
    bool valid = tensor.storage_offset() >= 0;
    for (std::int64_t d = 0; d < tensor.dim(); ++d) {
        valid = valid && tensor.stride(d) >= 0;
        last += static_cast<long double>(tensor.size(d) - 1) * static_cast<long double>(tensor.stride(d));
    }
    const long double needed = (last + 1) * static_cast<long double>(tensor.element_size());
    if (!valid || needed > static_cast<long double>(tensor.storage().nbytes()))
        return "declares " + h5::bytesText(needed) + " of values but its data holds " +
               h5::bytesText(static_cast<long double>(tensor.storage().nbytes())) +
               ": the file is truncated or corrupt";
    return {};
}

/// Refuses what LibTorch cannot read with a reason a user can act on, before it tries.
void checkArchive(const std::string& path) {
    std::error_code error;
    const std::uintmax_t bytes = std::filesystem::file_size(path, error);
    std::ifstream file(path, std::ios::binary);
    if (error || !file.is_open())
        throw IoError(path, "cannot be read (missing, a directory, or permission denied)");
    const long double budget = limits::memoryBudgetBytes();
    if (static_cast<long double>(bytes) > budget)
        fail(path, kWhole,
             "is " + h5::bytesText(static_cast<long double>(bytes)) + ", more than the " +
                 h5::bytesText(budget) + " an import may take on this machine (half of its physical memory)");
    char magic[2] = {};
    file.read(magic, sizeof magic);
    if (magic[0] == 'P' && magic[1] == 'K')
        return;
    if (static_cast<unsigned char>(magic[0]) == 0x80)
        fail(path, kWhole,
             "is in the legacy torch.save format (PyTorch before 1.6, or "
             "_use_new_zipfile_serialization=False), "
             "which LibTorch cannot read; re-save it with a recent PyTorch: torch.save(torch.load(f), f)");
    fail(path, kWhole, "is not a torch.save file (not a ZIP archive)");
}

c10::IValue load(const std::string& path) {
    checkArchive(path);
    try {
        caffe2::serialize::PyTorchStreamReader reader(path);
        // LibTorch 1.13 sizes a storage by the count the pickle declares, not by the bytes its record holds,
        // so a damaged file could make a tensor read past its data. Handing the unpickler every record at its
        // true size makes each storage what the file really holds; tensorProblem() checks each tensor against
        // it.
        auto storages = std::make_shared<torch::jit::DeserializationStorageContext>();
        const std::string prefix = "data/";
        for (const std::string& record : reader.getAllRecords()) {
            if (record.compare(0, prefix.size(), prefix) != 0)
                continue;
            auto [data, bytes] = reader.getRecord(record);
            storages->addStorage(record.substr(prefix.size()),
                                 c10::Storage(c10::Storage::use_byte_size_t(), bytes, std::move(data)));
        }
        // Mapped to the CPU, so that tensors saved from a GPU load too.
        return torch::jit::readArchiveAndTensors("data", "", "", c10::nullopt, c10::nullopt,
                                                 c10::Device(c10::kCPU), reader,
                                                 torch::jit::Unpickler::defaultTypeParser, storages);
    } catch (const c10::Error& e) {
        fail(path, kWhole, "cannot be read by LibTorch: " + firstLine(e.what_without_backtrace()));
    } catch (const std::exception& e) {
        fail(path, kWhole, "cannot be read by LibTorch: " + firstLine(e.what()));
    }
}

at::Tensor tensorOf(const c10::IValue& value, const std::string& path, const std::string& what,
                    const std::string& expected) {
    if (!value.isTensor())
        fail(path, what, "holds " + describe(value) + "; expected " + expected);
    at::Tensor tensor = value.toTensor();
    if (const std::string problem = tensorProblem(tensor); !problem.empty())
        fail(path, what, problem);
    return tensor;
}

/// A [K, N, C] tensor, or a list of K [N, C] tensors (as some forks keep them), as float32.
RawArray<float> predictionsOf(const c10::IValue& value, const std::string& path, const std::string& what) {
    at::Tensor tensor;
    if (value.isList() || value.isTuple()) {
        std::vector<at::Tensor> exits;
        for (const c10::IValue& element : elementsOf(value)) {
            exits.push_back(tensorOf(element, path, what, "a [N, C] tensor per exit"));
            if (exits.back().dim() != 2 || exits.back().sizes() != exits.front().sizes())
                fail(path, what,
                     "holds a list of tensors of shapes " + shapeText(exits.front()) + " and " +
                         shapeText(exits.back()) + "; expected K tensors of one shape [N, C]");
        }
        if (exits.empty())
            fail(path, what, "is an empty list; expected predictions [K, N, C]");
        tensor = at::stack(exits);
    } else {
        tensor = tensorOf(value, path, what, "a [K, N, C] tensor of predictions");
    }
    RawArray<float> raw{path, what, dtypeName(tensor.scalar_type()), tensor.sizes().vec(), {}};
    if (!tensor.is_floating_point())
        fail(path, what, "holds " + raw.dtype + " values; predictions must be floating-point");
    if (const std::string problem = outputsShapeProblem(raw.shape); !problem.empty())
        fail(path, what, problem);
    const at::Tensor values = tensor.to(at::kFloat).contiguous();
    raw.values.assign(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
    return raw;
}

/// Class indices [N]: integers, or floats holding whole numbers (some forks copy them into a float tensor).
RawArray<double> labelsOf(const c10::IValue& value, const std::string& path, const std::string& what) {
    const at::Tensor tensor = tensorOf(value, path, what, "a [N] tensor of class indices");
    RawArray<double> raw{path, what, dtypeName(tensor.scalar_type()), tensor.sizes().vec(), {}};
    if (tensor.scalar_type() == at::kBool || tensor.is_complex())
        fail(path, what, "holds " + raw.dtype + " values; targets must be class indices");
    if (const std::string problem = labelsShapeProblem(raw.shape); !problem.empty())
        fail(path, what, problem);
    const at::Tensor values = tensor.to(at::kDouble).contiguous();
    raw.values.assign(values.data_ptr<double>(), values.data_ptr<double>() + values.numel());
    return raw;
}

} // namespace

RawCache readTorchCache(const std::string& path) {
    const c10::IValue root = load(path);
    if (!root.isTuple() && !root.isList())
        fail(path, kWhole, "holds " + describe(root) + "; " + kExpectedTuple);
    const std::vector<c10::IValue> elements = elementsOf(root);
    if (elements.size() != 2 && elements.size() != 4)
        fail(path, kWhole, "holds " + describe(root) + "; " + kExpectedTuple);
    const bool withTest = elements.size() == 4 && !(elements[2].isNone() && elements[3].isNone());

    RawCache cache;
    cache.file = path;
    cache.layout = withTest ? "a torch.save tuple of val_pred, val_target, test_pred, test_target"
                            : "a torch.save tuple of val_pred, val_target";
    cache.val.outputs = predictionsOf(elements[0], path, kElementNames[0]);
    cache.val.labels = labelsOf(elements[1], path, kElementNames[1]);
    if (withTest) {
        cache.test.emplace();
        cache.test->outputs = predictionsOf(elements[2], path, kElementNames[2]);
        cache.test->labels = labelsOf(elements[3], path, kElementNames[3]);
    }
    return cache;
}

RawArray<double> readTorchFlops(const std::string& path) {
    const c10::IValue root = load(path);
    RawArray<double> flops{path, "flops", "list", {}, {}};
    if (root.isTensor()) {
        const at::Tensor tensor = tensorOf(root, path, flops.name, kExpectedFlops);
        flops.dtype = dtypeName(tensor.scalar_type());
        flops.shape = tensor.sizes().vec();
        if (tensor.scalar_type() == at::kBool || tensor.is_complex())
            fail(path, flops.name, "holds " + flops.dtype + " values; " + kExpectedFlops);
        if (const std::string problem = exitsShapeProblem(flops.shape); !problem.empty())
            fail(path, flops.name, problem);
        const at::Tensor values = tensor.to(at::kDouble).contiguous();
        flops.values.assign(values.data_ptr<double>(), values.data_ptr<double>() + values.numel());
        return flops;
    }
    if (!root.isList() && !root.isTuple())
        fail(path, flops.name, "holds " + describe(root) + "; " + kExpectedFlops);
    const std::vector<c10::IValue> elements = elementsOf(root);
    flops.shape = {static_cast<std::int64_t>(elements.size())};
    if (const std::string problem = exitsShapeProblem(flops.shape); !problem.empty())
        fail(path, flops.name, problem);
    for (std::size_t k = 0; k < elements.size(); ++k) {
        const c10::IValue& element = elements[k];
        if (element.isDouble())
            flops.values.push_back(element.toDouble());
        else if (element.isInt())
            flops.values.push_back(static_cast<double>(element.toInt()));
        else if (element.isTensor() && element.toTensor().numel() == 1 &&
                 tensorProblem(element.toTensor()).empty())
            flops.values.push_back(element.toTensor().to(at::kDouble).item<double>());
        else
            fail(path, flops.name,
                 "entry " + std::to_string(k) + " is " + describe(element) + "; " + kExpectedFlops);
    }
    return flops;
}

} // namespace eenet::cache
