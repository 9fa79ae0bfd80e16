#pragma once

// Private to core/sample: this header pulls in LibTorch, so only core/sample/*.cpp may include it.
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace eenet {

/// A small CNN for 28x28 grey images with four exits: four conv blocks of growing width, an exit head after
/// each. Exit 1 is deliberately cheap and weak (one narrow conv, a pooled linear head) so the shipped
/// sample shows a clear accuracy/cost trade-off across exits.
class MultiExitCnnImpl : public torch::nn::Module {
public:
    static constexpr int kNumExits = 4;

    explicit MultiExitCnnImpl(int numClasses);

    /// Logits [B, C] of every exit from one pass through the blocks: training and batch evaluation.
    std::vector<torch::Tensor> forward(torch::Tensor images);

    /// Logits of exit `exit` (0-based) alone: blocks 0..exit, then head `exit`. This is what a deployed
    /// early-exit model runs to reach that exit, so latency is timed on it.
    torch::Tensor forwardToExit(torch::Tensor images, int exit);

    /// Cumulative multiply-adds per image, in millions, to reach and evaluate each exit. Counts the
    /// convolution and linear layers (MSDNet / EENet convention); activations, pooling and biases are left
    /// out.
    std::vector<double> cumulativeMegaMacs(int rows, int cols);

    /// What the network takes for a stored uint8 pixel: scaled to [0, 1], then normalised with the
    /// Fashion-MNIST mean and standard deviation, in float32. Training, evaluation and the TorchScript
    /// model's pixel table (SampleModelScript) all go through here, so they feed the network the same floats.
    static float normalisedPixel(std::uint8_t value);

    /// Human-readable name of each exit, "exit 1 (block 1)" ...
    static std::vector<std::string> exitNames();

    /// One line per block and head, for the file's description and the README.
    static std::string architecture();

private:
    std::vector<torch::nn::Sequential> m_blocks;
    std::vector<torch::nn::Sequential> m_heads;
};
TORCH_MODULE(MultiExitCnn);

} // namespace eenet
