#include "io/TorchScriptPolicy.h"

#include "Error.h"
#include "data/ProbabilityScaling.h"
#include "io/AtomicFile.h"
#include "io/TorchScriptSource.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <sstream>

namespace eenet {
namespace {

constexpr const char* kFormat = "eenet-policy";
constexpr std::int64_t kVersion = 1;

/// The metadata's "costs" when it holds one number per exit: a runtime then reads them as a tensor.
std::vector<double> costsFromMetadata(const std::string& metadataJson, int numExits) {
    const QJsonObject root = QJsonDocument::fromJson(QByteArray::fromStdString(metadataJson)).object();
    const QJsonArray costs = root.value(QStringLiteral("costs")).toArray();
    std::vector<double> result;
    for (const QJsonValue& cost : costs) {
        if (!cost.isDouble())
            return {};
        result.push_back(cost.toDouble());
    }
    return static_cast<int>(result.size()) == numExits ? result : std::vector<double>{};
}

at::Tensor vectorTensor(const std::vector<double>& values) {
    at::Tensor t = torch::empty({static_cast<std::int64_t>(values.size())}, torch::kFloat64);
    std::copy(values.begin(), values.end(), t.data_ptr<double>());
    return t;
}

/// Rows of different lengths, zero-padded to `width`.
at::Tensor matrixTensor(const std::vector<std::vector<double>>& rows, size_t width) {
    at::Tensor t = torch::zeros({static_cast<std::int64_t>(rows.size()), static_cast<std::int64_t>(width)},
                                torch::kFloat64);
    for (size_t r = 0; r < rows.size(); ++r)
        std::copy(rows[r].begin(), rows[r].end(), t.data_ptr<double>() + r * width);
    return t;
}

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

/// A loaded and validated policy file: the module and its shape.
struct LoadedPolicy {
    std::string path;
    torch::jit::Module module;
    int numExits = 0;
    int numClasses = 0;

    [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
        throw FormatError(path, key, problem);
    }

    std::int64_t integer(const std::string& name) const {
        if (!module.hasattr(name) || !module.attr(name).isInt())
            fail(name, "missing integer attribute");
        return module.attr(name).toInt();
    }

    std::string text(const std::string& name) const {
        if (!module.hasattr(name) || !module.attr(name).isString())
            fail(name, "missing string attribute");
        return module.attr(name).toStringRef();
    }

    /// [K, N, C] float32, copied: the module is code from a file and may write to its input.
    at::Tensor probs(const SplitPredictions& split, int expectedExits, int expectedClasses) const {
        if (expectedExits != numExits || expectedClasses != numClasses)
            throw ArgumentError(path + ": the policy has " + std::to_string(numExits) + " exits and " +
                                std::to_string(numClasses) + " classes but the predictions have " +
                                std::to_string(expectedExits) + " and " + std::to_string(expectedClasses));
        const std::int64_t n = split.numSamples;
        if (n < 0 || split.probs.size() != static_cast<size_t>(numExits * n * numClasses))
            throw ArgumentError(path + ": the predictions are not [" + std::to_string(numExits) + ", " +
                                std::to_string(n) + ", " + std::to_string(numClasses) + "]");
        at::Tensor t = torch::empty({numExits, n, numClasses}, torch::kFloat32);
        std::copy(split.probs.begin(), split.probs.end(), t.data_ptr<float>());
        return t;
    }

    /// A 1-D integer result of `method` with `n` entries in [0, limit).
    std::vector<int> indices(const at::Tensor& t, std::int64_t n, int limit,
                             const std::string& method) const {
        if (t.dim() != 1 || t.size(0) != n || t.scalar_type() != torch::kLong)
            fail(method, "returned a tensor of another shape or type than int64 [" + std::to_string(n) + "]");
        const at::Tensor values = t.contiguous();
        const std::int64_t* data = values.data_ptr<std::int64_t>();
        std::vector<int> result;
        result.reserve(static_cast<size_t>(n));
        for (std::int64_t i = 0; i < n; ++i) {
            if (data[i] < 0 || data[i] >= limit)
                fail(method,
                     "returned " + std::to_string(data[i]) + ", outside [0, " + std::to_string(limit) + ")");
            result.push_back(static_cast<int>(data[i]));
        }
        return result;
    }
};

LoadedPolicy loadPolicy(const std::string& path) {
    requireReadableFile(path);
    LoadedPolicy policy;
    policy.path = path;
    try {
        policy.module = torch::jit::load(path);
    } catch (const std::exception& error) {
        throw FormatError(path, "/", "not a valid TorchScript archive (" + torchMessage(error) + ")");
    }
    if (policy.text("format") != kFormat)
        policy.fail("format", "expected '" + std::string(kFormat) + "'");
    if (policy.integer("format_version") != kVersion)
        policy.fail("format_version", "unknown version; this tool reads version " + std::to_string(kVersion));
    policy.numExits = static_cast<int>(policy.integer("num_exits"));
    policy.numClasses = static_cast<int>(policy.integer("num_classes"));
    if (policy.numExits < 2 || policy.numClasses < 2)
        policy.fail("num_exits", "needs at least 2 exits and 2 classes");
    if (!parseScoreName(policy.text("score_type")))
        policy.fail("score_type", "unknown score '" + policy.text("score_type") + "'");
    for (const char* method : {"forward", "score", "predict", "threshold", "scores"})
        if (!policy.module.find_method(method))
            policy.fail(method, "missing method");
    return policy;
}

TorchScriptDecisions runForward(const LoadedPolicy& policy, const at::Tensor& probs) {
    const std::int64_t n = probs.size(1);
    const c10::IValue out = policy.module.get_method("forward")({probs});
    if (!out.isTuple() || out.toTupleRef().elements().size() != 2 ||
        !out.toTupleRef().elements()[0].isTensor() || !out.toTupleRef().elements()[1].isTensor())
        policy.fail("forward", "did not return a tuple of two tensors");
    const auto& elements = out.toTupleRef().elements();
    return {policy.indices(elements[0].toTensor(), n, policy.numExits, "forward"),
            policy.indices(elements[1].toTensor(), n, policy.numClasses, "forward")};
}

/// The loop of an early-stopping runtime: exit k sees only the samples no earlier exit took.
TorchScriptDecisions runExitByExit(LoadedPolicy& policy, const at::Tensor& probs) {
    const std::int64_t n = probs.size(1);
    at::Tensor exits = torch::full({n}, -1, torch::kLong);
    at::Tensor predictions = torch::full({n}, -1, torch::kLong);
    at::Tensor running = torch::arange(n, torch::kLong);
    at::Tensor previousScores = torch::zeros({n, 0}, torch::kFloat64);
    at::Tensor previousPredictions = torch::zeros({n, 0}, torch::kLong);
    for (std::int64_t k = 0; k < policy.numExits && running.numel() > 0; ++k) {
        const at::Tensor probsK = probs[k].index_select(0, running);
        const at::Tensor predicted = policy.module.run_method("predict", probsK).toTensor();
        const bool last = k == policy.numExits - 1;
        at::Tensor scores;
        at::Tensor leave = torch::ones({running.numel()}, torch::kBool);
        if (!last) {
            scores =
                policy.module.run_method("score", k, probsK, previousScores, previousPredictions).toTensor();
            leave = scores >= policy.module.run_method("threshold", k).toDouble();
        }
        const at::Tensor leaving = leave.nonzero().squeeze(1);
        exits.index_fill_(0, running.index_select(0, leaving), k);
        predictions.index_copy_(0, running.index_select(0, leaving), predicted.index_select(0, leaving));
        const at::Tensor staying = leave.logical_not().nonzero().squeeze(1);
        running = running.index_select(0, staying);
        if (last)
            break;
        previousScores = torch::cat(
            {previousScores.index_select(0, staying), scores.index_select(0, staying).unsqueeze(1)}, 1);
        previousPredictions = torch::cat(
            {previousPredictions.index_select(0, staying), predicted.index_select(0, staying).unsqueeze(1)},
            1);
    }
    return {policy.indices(exits, n, policy.numExits, "score"),
            policy.indices(predictions, n, policy.numClasses, "predict")};
}

} // namespace

void writeTorchScriptPolicy(const std::string& path, const DeployedPolicy& policy,
                            const std::string& metadataJson) {
    checkDeployedPolicy(policy, "TorchScript policy", 2);
    std::ostringstream buffer;
    try {
        torch::jit::Module module(c10::QualifiedName("__torch__.eenet.DeployedPolicy"));
        // Python's Module.eval()/train() expect the attribute every scripted module has.
        module.register_attribute("training", c10::BoolType::get(), false);
        module.register_attribute("format", c10::StringType::get(), std::string(kFormat));
        module.register_attribute("format_version", c10::IntType::get(), kVersion);
        module.register_attribute("num_exits", c10::IntType::get(),
                                  static_cast<std::int64_t>(policy.numExits));
        module.register_attribute("num_classes", c10::IntType::get(),
                                  static_cast<std::int64_t>(policy.numClasses));
        module.register_attribute("log_num_classes", c10::FloatType::get(),
                                  std::log(static_cast<double>(policy.numClasses)));
        module.register_attribute("score_type", c10::StringType::get(), scoreName(policy.score));
        module.register_attribute("metadata", c10::StringType::get(), metadataJson);
        module.register_attribute("probability_floor", c10::FloatType::get(), kProbabilityFloor);
        module.register_buffer("thresholds", vectorTensor(policy.thresholds));
        module.register_buffer("temperatures", vectorTensor(policy.temperatures));
        module.register_buffer("costs", vectorTensor(costsFromMetadata(metadataJson, policy.numExits)));
        if (policy.score == DeployedPolicy::Score::EENet) {
            module.register_buffer("class_weights", matrixTensor(policy.eenet.classWeights,
                                                                 static_cast<size_t>(policy.numClasses)));
            module.register_buffer("aux_weights", matrixTensor(policy.eenet.auxWeights,
                                                               static_cast<size_t>(policy.numExits + 1)));
        }
        module.define(torchScriptSource(policy.score));
        module.save(buffer);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& error) {
        throw Error(path + ": cannot build the TorchScript policy: " + torchMessage(error));
    }
    writeFileAtomically(path, QByteArray::fromStdString(buffer.str()));
}

TorchScriptDecisions runTorchScriptPolicy(const std::string& path, const SplitPredictions& split,
                                          int numExits, int numClasses, TorchScriptCall call) {
    LoadedPolicy policy = loadPolicy(path);
    const at::Tensor probs = policy.probs(split, numExits, numClasses);
    torch::NoGradGuard noGrad;
    try {
        return call == TorchScriptCall::Forward ? runForward(policy, probs) : runExitByExit(policy, probs);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& error) {
        throw FormatError(path, call == TorchScriptCall::Forward ? "forward" : "score",
                          "failed to run: " + torchMessage(error));
    }
}

std::vector<int> applyTorchScriptPolicy(const std::string& path, const SplitPredictions& split, int numExits,
                                        int numClasses) {
    return runTorchScriptPolicy(path, split, numExits, numClasses).exits;
}

ScoreMatrix torchScriptScores(const std::string& path, const SplitPredictions& split, int numExits,
                              int numClasses) {
    LoadedPolicy policy = loadPolicy(path);
    const at::Tensor probs = policy.probs(split, numExits, numClasses);
    torch::NoGradGuard noGrad;
    at::Tensor scores;
    try {
        scores = policy.module.run_method("scores", probs).toTensor().contiguous();
    } catch (const std::exception& error) {
        throw FormatError(path, "scores", "failed to run: " + torchMessage(error));
    }
    if (scores.dim() != 2 || scores.size(0) != numExits || scores.size(1) != split.numSamples ||
        scores.scalar_type() != torch::kFloat64)
        policy.fail("scores", "did not return float64 [K, N]");
    ScoreMatrix result(numExits, split.numSamples);
    std::copy(scores.data_ptr<double>(), scores.data_ptr<double>() + scores.numel(), result.data());
    return result;
}

std::string readTorchScriptMetadata(const std::string& path) {
    return loadPolicy(path).text("metadata");
}

} // namespace eenet
