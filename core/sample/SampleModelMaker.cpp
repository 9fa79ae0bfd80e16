#include "sample/SampleModelMaker.h"

#include "BlasThreads.h"

#include "Error.h"
#include "io/AtomicFile.h"
#include "runtime/BatchCostMeasure.h"
#include "runtime/ExitModel.h"
#include "sample/FashionMnist.h"
#include "sample/SampleSplits.h"
#include "sample/detail/MultiExitCnn.h"
#include "sample/detail/SampleModelScript.h"

#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

namespace eenet {

namespace {

constexpr double kLearningRate = 1e-3;
constexpr double kPi = 3.14159265358979323846;
constexpr int kEvalBatch = 1000;
constexpr int kLatencyWarmup = 30;
constexpr int kLatencyAttempts = 3;

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string fixed(double value, int digits) {
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(digits);
    out << value;
    return out.str();
}

/// Debian's LibTorch runs its matrix products in OpenBLAS, whose pool ignores torch::set_num_threads.
std::string cpuModel() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos)
                return line.substr(line.find_first_not_of(' ', colon + 1));
        }
    }
    return "unknown CPU";
}

std::string todayUtc() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
    return text;
}

/// Selected images as a normalised float tensor [N, 1, rows, cols] and their labels [N] (int64).
struct TensorSplit {
    torch::Tensor images;
    torch::Tensor labels;
    std::vector<int> labelList;
};

TensorSplit toTensors(const FashionMnist& data, const std::vector<int>& indices) {
    const int n = static_cast<int>(indices.size());
    const int pixels = data.rows * data.cols;
    TensorSplit split;
    split.images = torch::empty({n, 1, data.rows, data.cols});
    split.labels = torch::empty({n}, torch::kInt64);
    float* image = split.images.data_ptr<float>();
    auto* label = split.labels.data_ptr<std::int64_t>();
    for (int i = 0; i < n; ++i) {
        const auto source = static_cast<size_t>(indices[static_cast<size_t>(i)]);
        const std::uint8_t* from = data.pixels.data() + source * static_cast<size_t>(pixels);
        for (int p = 0; p < pixels; ++p)
            image[static_cast<size_t>(i) * pixels + p] = MultiExitCnnImpl::normalisedPixel(from[p]);
        label[i] = data.labels[source];
        split.labelList.push_back(data.labels[source]);
    }
    return split;
}

/// Softmax probabilities of every exit, row-major [K, N, C], in eval mode without autograd.
std::vector<float> exitProbabilities(MultiExitCnn& model, const torch::Tensor& images, int numClasses) {
    torch::NoGradGuard noGrad;
    model->eval();
    const int n = static_cast<int>(images.size(0));
    std::vector<float> probs(static_cast<size_t>(MultiExitCnnImpl::kNumExits) * n * numClasses);
    for (int start = 0; start < n; start += kEvalBatch) {
        const int count = std::min(kEvalBatch, n - start);
        const auto logits = model->forward(images.narrow(0, start, count));
        for (int k = 0; k < MultiExitCnnImpl::kNumExits; ++k) {
            const torch::Tensor p = torch::softmax(logits[static_cast<size_t>(k)], 1).contiguous();
            std::copy_n(p.data_ptr<float>(), static_cast<size_t>(count) * numClasses,
                        probs.begin() + (static_cast<std::ptrdiff_t>(k) * n + start) * numClasses);
        }
    }
    return probs;
}

std::vector<double> exitAccuracies(MultiExitCnn& model, const TensorSplit& split, int numClasses) {
    SplitPredictions predictions;
    predictions.numSamples = static_cast<int>(split.labelList.size());
    predictions.probs = exitProbabilities(model, split.images, numClasses);
    predictions.labels = split.labelList;
    std::vector<double> accuracies;
    for (int k = 0; k < MultiExitCnnImpl::kNumExits; ++k)
        accuracies.push_back(exitAccuracyPercent(predictions, numClasses, k));
    return accuracies;
}

void train(MultiExitCnn& model, const TensorSplit& trainSplit, const TensorSplit& valSplit,
           const SampleModelOptions& options, const ProgressCallback& progress) {
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(kLearningRate));
    const std::int64_t n = trainSplit.images.size(0);
    const std::int64_t batchesPerEpoch = (n + options.batchSize - 1) / options.batchSize;
    const double totalSteps = static_cast<double>(batchesPerEpoch) * options.epochs;
    std::int64_t step = 0;
    for (int epoch = 1; epoch <= options.epochs; ++epoch) {
        const auto epochStart = Clock::now();
        model->train();
        const torch::Tensor order = torch::randperm(n, torch::kInt64);
        double lossSum = 0.0;
        for (std::int64_t b = 0; b < batchesPerEpoch; ++b, ++step) {
            // Cosine decay to zero over the whole run: the last epoch settles instead of bouncing.
            const double lr = 0.5 * kLearningRate * (1.0 + std::cos(kPi * step / totalSteps));
            for (auto& group : optimizer.param_groups())
                static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
            const std::int64_t start = b * options.batchSize;
            const torch::Tensor index =
                order.narrow(0, start, std::min<std::int64_t>(options.batchSize, n - start));
            const torch::Tensor images = trainSplit.images.index_select(0, index);
            const torch::Tensor labels = trainSplit.labels.index_select(0, index);
            optimizer.zero_grad();
            torch::Tensor loss = torch::zeros({});
            for (const auto& logits : model->forward(images))
                loss = loss + torch::nn::functional::cross_entropy(logits, labels);
            loss.backward();
            optimizer.step();
            lossSum += loss.item<double>();
        }
        if (progress) {
            const auto accuracy = exitAccuracies(model, valSplit, FashionMnist::kNumClasses);
            std::string message = "epoch " + std::to_string(epoch) + "/" + std::to_string(options.epochs) +
                                  ": loss " + fixed(lossSum / batchesPerEpoch, 4) + ", val accuracy";
            for (double a : accuracy)
                message += " " + fixed(a, 2);
            message += " %, " + fixed(secondsSince(epochStart), 1) + " s";
            progress(message);
        }
    }
}

/// Median cumulative latency (ms per image, batch 1) of each exit. Exits are timed in a rotating order
/// on the same image, so slow drifts of the machine hit every exit alike.
std::vector<double> measureLatencyOnce(MultiExitCnn& model, const torch::Tensor& images, int samples) {
    torch::NoGradGuard noGrad;
    model->eval();
    const int k = MultiExitCnnImpl::kNumExits;
    const int available = static_cast<int>(images.size(0));
    for (int w = 0; w < kLatencyWarmup; ++w) {
        for (int exit = 0; exit < k; ++exit)
            model->forwardToExit(images.narrow(0, w % available, 1), exit);
    }
    std::vector<std::vector<double>> timesMs(static_cast<size_t>(k));
    for (int s = 0; s < samples; ++s) {
        const torch::Tensor image = images.narrow(0, s % available, 1).contiguous();
        for (int j = 0; j < k; ++j) {
            const int exit = (s + j) % k;
            const auto start = Clock::now();
            const torch::Tensor logits = model->forwardToExit(image, exit);
            const auto stop = Clock::now();
            timesMs[static_cast<size_t>(exit)].push_back(
                std::chrono::duration<double, std::milli>(stop - start).count());
        }
    }
    std::vector<double> medians;
    for (auto& times : timesMs) {
        std::sort(times.begin(), times.end());
        const size_t mid = times.size() / 2;
        medians.push_back(times.size() % 2 ? times[mid] : 0.5 * (times[mid - 1] + times[mid]));
    }
    return medians;
}

bool strictlyIncreasing(const std::vector<double>& values) {
    return std::adjacent_find(values.begin(), values.end(), std::greater_equal<double>()) == values.end();
}

std::vector<double> measureLatency(MultiExitCnn& model, const torch::Tensor& images, int samples,
                                   const ProgressCallback& progress) {
    // Latency is a property of a single-threaded deployment; both pools go to one thread for it.
    torch::set_num_threads(1);
    setBlasThreads(1);
    std::vector<double> latency;
    for (int attempt = 1; attempt <= kLatencyAttempts; ++attempt) {
        latency = measureLatencyOnce(model, images, samples);
        if (strictlyIncreasing(latency))
            return latency;
        if (progress)
            progress("latency medians not increasing (attempt " + std::to_string(attempt) +
                     "), measuring again");
    }
    std::string values;
    for (double v : latency)
        values += " " + fixed(v, 4);
    throw Error("measured exit latencies are not strictly increasing after " +
                std::to_string(kLatencyAttempts) + " attempts (ms:" + values +
                "); the machine is too noisy, retry on an idle machine or with more "
                "--latency-samples");
}

/// The serving costs of the scripted network, timed as `eenet-cli measure` times a user's model: loaded
/// from its file, on the stored test images.
BatchCosts measureScriptedModel(const std::string& torchScript, const SampleInputs& images,
                                double budgetSeconds, const ProgressCallback& progress) {
    QTemporaryDir dir;
    if (!dir.isValid())
        throw IoError(dir.path().toStdString(), "cannot create a temporary folder for the scripted model");
    const std::string path = dir.filePath("model.pt").toStdString();
    writeFileAtomically(path, QByteArray::fromStdString(torchScript));
    const ExitModel model = loadExitModel(path);
    BatchCostOptions options;
    options.budgetSeconds = budgetSeconds;
    return measureBatchCosts(model, images, options, [&](int batchSize, int repetitions) {
        if (progress)
            progress("  batch size " + std::to_string(batchSize) + ": " + std::to_string(repetitions) +
                     " repetitions");
    });
}

void validate(const SampleModelOptions& o) {
    auto require = [](bool ok, const std::string& what) {
        if (!ok)
            throw ArgumentError("invalid sample options: " + what);
    };
    require(o.trainCount > 0 && o.valCount > 0 && o.testCount > 0,
            "train, val and test counts must be positive");
    require(o.epochs > 0, "epochs must be positive");
    require(o.batchSize > 0, "batch size must be positive");
    require(o.latencySamples > 0, "latency samples must be positive");
    require(o.threads > 0, "threads must be positive");
    require(o.batchCostSeconds > 0, "batch cost seconds must be positive");
}

FashionMnistSample makeSample(const SampleModelOptions& options, const ProgressCallback& progress) {
    validate(options);
    const auto runStart = Clock::now();
    auto report = [&](const std::string& message) {
        if (progress)
            progress(message);
    };

    report("loading Fashion-MNIST from " + options.fashionMnistDir);
    const SampleSplits splits = SampleSplits::load(options);
    const TensorSplit trainSplit = toTensors(splits.trainPart, splits.train);
    const TensorSplit valSplit = toTensors(splits.trainPart, splits.val);
    const TensorSplit testSplit = toTensors(splits.testPart, splits.test);

    torch::manual_seed(options.seed);
    torch::set_num_threads(options.threads);
    // Our linear layers are small; one OpenBLAS thread keeps its pool from fighting torch's over the cores.
    setBlasThreads(1);
    const int numClasses = FashionMnist::kNumClasses;
    MultiExitCnn model(numClasses);
    report("training " + std::to_string(options.epochs) + " epochs on " + std::to_string(options.trainCount) +
           " images, batch " + std::to_string(options.batchSize) + ", " + std::to_string(options.threads) +
           " thread(s)");
    train(model, trainSplit, valSplit, options, progress);

    Predictions result;
    result.val.numSamples = options.valCount;
    result.val.probs = exitProbabilities(model, valSplit.images, numClasses);
    result.val.labels = valSplit.labelList;
    result.val.inputs = splits.valImages();
    SplitPredictions test;
    test.numSamples = options.testCount;
    test.probs = exitProbabilities(model, testSplit.images, numClasses);
    test.labels = testSplit.labelList;
    test.inputs = splits.testImages();
    result.test = std::move(test);

    report("measuring latency: " + std::to_string(options.latencySamples) +
           " test images per exit, batch 1, 1 thread");
    result.costs = measureLatency(model, testSplit.images, options.latencySamples, progress);
    result.flops = model->cumulativeMegaMacs(splits.testPart.rows, splits.testPart.cols);

    result.model = "cnn4-multi-exit";
    result.dataset = "Fashion-MNIST";
    result.costUnit = "ms";
    result.numExits = MultiExitCnnImpl::kNumExits;
    result.numClasses = numClasses;
    result.exitNames = MultiExitCnnImpl::exitNames();
    result.classNames = FashionMnist::classNames();
    result.description =
        "4-exit CNN trained on Fashion-MNIST by eenet-make-sample (LibTorch " + std::string(TORCH_VERSION) +
        ") on " + todayUtc() + ". Seed " + std::to_string(options.seed) + "; " +
        std::to_string(options.epochs) + " epochs, batch " + std::to_string(options.batchSize) +
        ", Adam lr 1e-3 with cosine decay, sum of the 4 exits' cross-entropies. Splits: train " +
        std::to_string(options.trainCount) + " and val " + std::to_string(options.valCount) +
        " from the shuffled 60k training images, test = first " + std::to_string(options.testCount) +
        " t10k images; both splits' 28x28 uint8 images are stored as inputs. Costs: cumulative latency in ms "
        "per image, median of " +
        std::to_string(options.latencySamples) + " batch-1 runs on 1 thread, CPU " + cpuModel() + " (" +
        std::to_string(std::thread::hardware_concurrency()) +
        " logical CPUs). flops: cumulative multiply-adds of conv and linear layers, in millions. "
        "batch_costs: "
        "median ms per batch of test images to reach each exit at batch sizes 1, 2, 4, ... 256, the "
        "TorchScript network on 1 thread; extra_costs/" +
        std::string(kMeasuredCostName) + ": their batch-1 column.\n" + MultiExitCnnImpl::architecture();
    std::string torchScript = scriptedSampleModel(*model);
    report("measuring serving costs: the scripted network at batch sizes 1 to 256 on the test images, 1 "
           "thread");
    result.batchCosts =
        measureScriptedModel(torchScript, *result.test->inputs, options.batchCostSeconds, progress);
    result.extraCosts = {batchOneCosts(result.batchCosts, kMeasuredCostName)};
    FashionMnistSample sample{std::move(result), std::move(torchScript)};
    report("done in " + fixed(secondsSince(runStart), 1) + " s");
    return sample;
}

} // namespace

FashionMnistSample makeFashionMnistSample(const SampleModelOptions& options,
                                          const ProgressCallback& progress) {
    try {
        return makeSample(options, progress);
    } catch (const Error&) {
        throw;
    } catch (const c10::Error& e) {
        // LibTorch errors never leave core as themselves: the UI and the CLI only know eenet::Error.
        throw Error(std::string("LibTorch failed while making the sample: ") + e.what_without_backtrace());
    } catch (const std::exception& e) {
        // The TorchScript compiler (scriptedSampleModel) throws its own std::exception types.
        throw Error(std::string("making the sample failed: ") + e.what());
    }
}

} // namespace eenet
