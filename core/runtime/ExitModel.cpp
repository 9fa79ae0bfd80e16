#include "runtime/ExitModel.h"

#include "Error.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <sstream>

namespace eenet {

struct ExitActivations::Tensor {
    at::Tensor value;
};

namespace {

/// Samples per batch when checking a model: the sample CNN's activations for 500 images are about 25 MB.
constexpr int kCheckBatch = 500;

constexpr const char* kInterface =
    "a multi-exit model has num_exits() -> int, stage(k: int, x: Tensor) -> "
    "Tensor and head(k: int, h: Tensor) -> Tensor (docs/deploy.md, \"The model\")";

/// What went wrong, in one line. Torch throws c10::Error and, from the TorchScript compiler that loading
/// runs, other std::exceptions; an error raised inside TorchScript ends its traceback with the message.
std::string torchMessage(const std::exception& error) {
    const auto* c10Error = dynamic_cast<const c10::Error*>(&error);
    std::string text = c10Error != nullptr ? c10Error->what_without_backtrace() : error.what();
    while (!text.empty() && text.back() == '\n')
        text.pop_back();
    if (text.find("Traceback of TorchScript") != std::string::npos)
        return text.substr(text.rfind('\n') + 1);
    return text.substr(0, text.find('\n'));
}

std::string number(double value) {
    std::ostringstream out;
    out.precision(7);
    out << value;
    return out.str();
}

/// "class 3 (Dress)", or "class 3" when the predictions name no classes.
std::string className(const Predictions& predictions, int c) {
    const std::string text = "class " + std::to_string(c);
    if (static_cast<size_t>(c) >= predictions.classNames.size())
        return text;
    return text + " (" + predictions.classNames[static_cast<size_t>(c)] + ")";
}

std::string sizeText(const at::Tensor& t) {
    std::ostringstream out;
    out << t.sizes() << ' ' << t.scalar_type();
    return out.str();
}

} // namespace

ExitActivations::ExitActivations() = default;

ExitActivations ExitActivations::fromInputs(const SampleInputs& inputs, int first, int count) {
    if (inputs.kind() != InputKind::Image)
        throw ArgumentError("the stored inputs are " + describeInputs(inputs.kind(), inputs.shape()) +
                            ": a multi-exit model's stage 0 takes uint8 images");
    if (first < 0 || count < 1 || first > inputs.numSamples() - count)
        throw ArgumentError("samples " + std::to_string(first) + " to " + std::to_string(first + count - 1) +
                            " are outside the " + std::to_string(inputs.numSamples()) + " stored inputs");
    const std::vector<int> shape = inputs.shape();
    std::vector<std::int64_t> sizes(shape.begin(), shape.end());
    sizes.front() = count;
    at::Tensor images = torch::empty(sizes, torch::kUInt8);
    const auto bytes = static_cast<size_t>(images.numel() / count);
    std::uint8_t* data = images.data_ptr<std::uint8_t>();
    for (int i = 0; i < count; ++i) {
        const SampleInput sample = inputs.read(first + i);
        if (sample.pixels.size() != bytes)
            throw ArgumentError("stored input " + std::to_string(first + i) + " has " +
                                std::to_string(sample.pixels.size()) + " bytes, not " +
                                std::to_string(bytes));
        std::copy(sample.pixels.begin(), sample.pixels.end(), data + static_cast<size_t>(i) * bytes);
    }
    ExitActivations result;
    result.m_tensor = std::make_shared<const Tensor>(Tensor{images});
    return result;
}

int ExitActivations::numSamples() const {
    return m_tensor ? static_cast<int>(m_tensor->value.size(0)) : 0;
}

ExitActivations ExitActivations::select(const std::vector<int>& rows) const {
    const int n = numSamples();
    std::vector<std::int64_t> index;
    index.reserve(rows.size());
    for (int row : rows) {
        if (row < 0 || row >= n)
            throw std::out_of_range("ExitActivations::select: row " + std::to_string(row) + " of " +
                                    std::to_string(n));
        index.push_back(row);
    }
    ExitActivations result;
    if (m_tensor)
        result.m_tensor = std::make_shared<const Tensor>(
            Tensor{m_tensor->value.index_select(0, torch::tensor(index, torch::kLong))});
    return result;
}

struct ExitModel::Impl {
    std::string path;
    torch::jit::Module module;
    int numExits = 0;
    /// Looked up once: a lookup by name on every call is measurable at batch 1 (the per-exit overhead the
    /// runner times).
    std::optional<torch::jit::Method> stageMethod;
    std::optional<torch::jit::Method> headMethod;

    [[noreturn]] void fail(const std::string& method, const std::string& problem) const {
        throw FormatError(path, method, problem);
    }

    /// The method must exist with exactly these argument and return types (after self).
    void checkSignature(const std::string& name, const std::vector<c10::TypeKind>& arguments,
                        c10::TypeKind returns) const {
        const auto method = module.find_method(name);
        if (!method)
            fail(name, std::string("missing method; ") + kInterface);
        const c10::FunctionSchema& schema = method->function().getSchema();
        bool ok = schema.arguments().size() == arguments.size() + 1 && schema.returns().size() == 1 &&
                  schema.returns().front().type()->kind() == returns;
        for (size_t i = 0; ok && i < arguments.size(); ++i)
            ok = schema.arguments()[i + 1].type()->kind() == arguments[i];
        if (!ok) {
            std::ostringstream text;
            text << schema;
            fail(name, "has the signature " + text.str() + "; " + kInterface);
        }
    }

    void checkExit(int k, const char* method) const {
        if (k < 0 || k >= numExits)
            throw ArgumentError(path + ": " + method + "(" + std::to_string(k) + ", ...): k is outside [0, " +
                                std::to_string(numExits) + "), the model's exits numbered from 0");
    }

    /// `method`(k, x), which must return a tensor whose first dimension is x's.
    at::Tensor run(const char* method, int k, const ExitActivations::Tensor* x) const {
        checkExit(k, method);
        if (x == nullptr)
            throw ArgumentError(path + ": " + method + "(" + std::to_string(k) +
                                ", ...) called without samples");
        torch::NoGradGuard noGrad;
        c10::IValue out;
        try {
            const torch::jit::Method& callee = std::strcmp(method, "stage") == 0 ? *stageMethod : *headMethod;
            out = callee({static_cast<std::int64_t>(k), x->value});
        } catch (const std::exception& error) {
            fail(method, "failed for k = " + std::to_string(k) + " on " + sizeText(x->value) + ": " +
                             torchMessage(error));
        }
        // checkSignature made sure the method returns a Tensor.
        at::Tensor result = out.toTensor();
        if (result.dim() < 1 || result.size(0) != x->value.size(0))
            fail(method, "returned " + sizeText(result) + " for k = " + std::to_string(k) + " on " +
                             std::to_string(x->value.size(0)) +
                             " samples; the first dimension is the samples'");
        return result;
    }
};

ExitModel::ExitModel(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl)) {}
ExitModel::ExitModel(ExitModel&&) noexcept = default;
ExitModel& ExitModel::operator=(ExitModel&&) noexcept = default;
ExitModel::~ExitModel() = default;

const std::string& ExitModel::path() const {
    return m_impl->path;
}

int ExitModel::numExits() const {
    return m_impl->numExits;
}

ExitActivations ExitModel::stage(int k, const ExitActivations& x) const {
    ExitActivations result;
    result.m_tensor = std::make_shared<const ExitActivations::Tensor>(
        ExitActivations::Tensor{m_impl->run("stage", k, x.m_tensor.get())});
    return result;
}

ExitOutput ExitModel::probabilities(int k, const ExitActivations& h) const {
    const at::Tensor logits = m_impl->run("head", k, h.m_tensor.get());
    if (logits.dim() != 2 || logits.size(1) < 1 || !logits.is_floating_point())
        m_impl->fail("head", "returned " + sizeText(logits) + " for k = " + std::to_string(k) +
                                 "; expected float logits [n, C]");
    // The softmax the sample maker applied to its logits; float64 logits keep float64 until the end.
    const at::Tensor probs = torch::softmax(logits, 1).to(torch::kFloat32).contiguous();
    ExitOutput output;
    output.numSamples = static_cast<int>(probs.size(0));
    output.numClasses = static_cast<int>(probs.size(1));
    output.probs.assign(probs.data_ptr<float>(), probs.data_ptr<float>() + probs.numel());
    return output;
}

ExitModel loadExitModel(const std::string& path) {
    requireReadableFile(path);
    auto impl = std::make_unique<ExitModel::Impl>();
    impl->path = path;
    try {
        impl->module = torch::jit::load(path);
    } catch (const std::exception& error) {
        impl->fail("/", "not a TorchScript archive (" + torchMessage(error) +
                            "); save the model with torch.jit.save or torch::jit::Module::save");
    }
    using Kind = c10::TypeKind;
    impl->checkSignature("num_exits", {}, Kind::IntType);
    impl->checkSignature("stage", {Kind::IntType, Kind::TensorType}, Kind::TensorType);
    impl->checkSignature("head", {Kind::IntType, Kind::TensorType}, Kind::TensorType);
    try {
        // Dropout and batch statistics belong to training; a model saved in train mode would give other
        // probabilities each run.
        if (impl->module.hasattr("training"))
            impl->module.eval();
        impl->numExits = static_cast<int>(impl->module.get_method("num_exits")({}).toInt());
        impl->stageMethod = impl->module.get_method("stage");
        impl->headMethod = impl->module.get_method("head");
    } catch (const std::exception& error) {
        impl->fail("num_exits", "failed: " + torchMessage(error));
    }
    if (impl->numExits < 1)
        impl->fail("num_exits",
                   "returned " + std::to_string(impl->numExits) + "; expected a positive number");
    return ExitModel(std::move(impl));
}

ModelCheck checkModelAgainst(const ExitModel& model, const Predictions& predictions, Split split, int count,
                             double tolerance) {
    const std::string file = predictions.sourcePath.empty() ? "the predictions" : predictions.sourcePath;
    const std::string name = splitName(split);
    const SplitPredictions* data = split == Split::Val ? &predictions.val
                                   : predictions.test  ? &*predictions.test
                                                       : nullptr;
    if (data == nullptr)
        throw ArgumentError(file + ": has no test split to check the model on");
    if (!data->inputs)
        throw ArgumentError(file + ": /" + name +
                            "/inputs: missing; the model needs the stored inputs to run on");
    if (count < 1)
        throw ArgumentError("checkModelAgainst: count must be positive, got " + std::to_string(count));
    if (model.numExits() != predictions.numExits)
        throw Error(model.path() + ": num_exits() is " + std::to_string(model.numExits()) + " but " + file +
                    " has " + std::to_string(predictions.numExits) + " exits");
    const int classes = predictions.numClasses;
    ModelCheck check;
    check.samples = std::min(count, data->numSamples);
    for (int first = 0; first < check.samples; first += kCheckBatch) {
        const int batch = std::min(kCheckBatch, check.samples - first);
        ExitActivations x = ExitActivations::fromInputs(*data->inputs, first, batch);
        for (int k = 0; k < predictions.numExits; ++k) {
            x = model.stage(k, x);
            const ExitOutput out = model.probabilities(k, x);
            if (out.numClasses != classes)
                throw Error(model.path() + ": head(" + std::to_string(k) + ", h) gives " +
                            std::to_string(out.numClasses) + " classes but " + file + " has " +
                            std::to_string(classes));
            for (int i = 0; i < batch; ++i) {
                const float* stored = data->row(classes, k, first + i);
                for (int c = 0; c < classes; ++c) {
                    const double computed = out.probs[static_cast<size_t>(i) * classes + c];
                    const double difference = std::abs(computed - stored[c]);
                    if (!(difference <= tolerance)) // NaN fails too
                        throw Error(model.path() + " does not reproduce " + file + " (/" + name +
                                    "/probs): exit " + std::to_string(k + 1) + ", sample " +
                                    std::to_string(first + i) + ", " + className(predictions, c) +
                                    ": the model gives " + number(computed) + ", the file stores " +
                                    number(stored[c]) + " (difference " + number(difference) +
                                    ", tolerance " + number(tolerance) + ")");
                    check.maxDifference = std::max(check.maxDifference, difference);
                }
            }
        }
    }
    return check;
}

} // namespace eenet
