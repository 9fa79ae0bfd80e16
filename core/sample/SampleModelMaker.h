#pragma once

#include "data/Predictions.h"

#include <cstdint>
#include <functional>
#include <string>

namespace eenet {

/// How eenet-make-sample trains the shipped sample: a 4-exit CNN on Debian's Fashion-MNIST.
struct SampleModelOptions {
    std::string fashionMnistDir = "/usr/share/datasets/fashion-mnist";
    /// The 60k training images are shuffled with `seed` and split into train / validation; the official
    /// 10k test images are the test split. Smaller counts serve the test suite's quick run.
    int trainCount = 50000;
    int valCount = 10000;
    int testCount = 10000;
    int epochs = 6;
    int batchSize = 128;
    std::uint64_t seed = 20240101;
    /// Samples timed at batch size 1 for each exit's cumulative latency (the median is reported).
    int latencySamples = 300;
    /// LibTorch intra-op threads for training; latency is always measured on one thread.
    int threads = 2;
    /// About how long timing the TorchScript network at batch sizes 1, 2, 4, ... 256 takes (the serving
    /// costs, measureBatchCosts).
    double batchCostSeconds = 20.0;
};

using ProgressCallback = std::function<void(const std::string& message)>;

/// What eenet-make-sample writes: the predictions file's content and the network that made it.
struct FashionMnistSample {
    /// Validation and test predictions, with their images as inputs (SampleSplits).
    Predictions predictions;
    /// The trained network as a TorchScript module, the bytes of its .pt file: num_exits(), stage(k, x) from
    /// the stored images, head(k, h) and forward(x) (docs/deploy.md, "The model"). Run on the stored images
    /// it reproduces `predictions`' probabilities to float rounding.
    std::string torchScriptModel;
};

/// Trains the multi-exit CNN, measures per-exit cumulative latency (ms per sample, batch 1, median) and
/// MFLOPs, times the scripted network at batch sizes 1 to 256 on the test images (the serving costs, and
/// batch 1's column as the cost vector kMeasuredCostName), and returns the predictions and the network, ready
/// to write. Throws eenet::Error on failure
/// (missing dataset files, counts larger than the dataset).
FashionMnistSample makeFashionMnistSample(const SampleModelOptions& options,
                                          const ProgressCallback& progress = {});

} // namespace eenet
