#include "sample/detail/MultiExitCnn.h"

#include <stdexcept>

namespace eenet {

namespace nn = torch::nn;

namespace {

// Fashion-MNIST pixel statistics (training set, pixels scaled to [0, 1]).
constexpr float kPixelMean = 0.2860f;
constexpr float kPixelStd = 0.3530f;

/// Appends conv3x3 (no bias: BatchNorm's shift replaces it), BatchNorm and ReLU. BatchNorm makes the short
/// training converge; in eval mode it applies its running statistics, a fixed per-channel affine map, so
/// batch-1 inference is ordinary.
void addConvBnRelu(nn::Sequential& seq, int in, int out) {
    seq->push_back(nn::Conv2d(nn::Conv2dOptions(in, out, 3).padding(1).bias(false)));
    seq->push_back(nn::BatchNorm2d(out));
    seq->push_back(nn::ReLU());
}

nn::MaxPool2d halve() {
    return nn::MaxPool2d(nn::MaxPool2dOptions(2));
}

/// Multiply-adds of one pass of `image` (batch 1) through `seq`, advancing `image` to the output.
double sequentialMacs(nn::Sequential& seq, torch::Tensor& image) {
    double macs = 0.0;
    for (auto& layer : *seq) {
        torch::Tensor out = layer.forward(image);
        if (auto conv = std::dynamic_pointer_cast<nn::Conv2dImpl>(layer.ptr())) {
            const auto& w = conv->weight; // [out, in / groups, kh, kw]
            macs += static_cast<double>(out.numel()) * w.size(1) * w.size(2) * w.size(3);
        } else if (auto linear = std::dynamic_pointer_cast<nn::LinearImpl>(layer.ptr())) {
            macs += static_cast<double>(linear->weight.numel());
        }
        image = out;
    }
    return macs;
}

} // namespace

MultiExitCnnImpl::MultiExitCnnImpl(int numClasses) {
    // Widths and heads are chosen so accuracy rises clearly with the exit while exit 1 stays cheap;
    // see sample_data/README.md for the measured trade-off.
    nn::Sequential block1; // -> 16x14x14
    addConvBnRelu(block1, 1, 16);
    block1->push_back(halve());
    m_blocks.push_back(block1);
    m_heads.push_back(nn::Sequential(nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions(3)), nn::Flatten(),
                                     nn::Linear(16 * 3 * 3, numClasses)));

    nn::Sequential block2; // -> 32x7x7
    addConvBnRelu(block2, 16, 32);
    block2->push_back(halve());
    m_blocks.push_back(block2);
    m_heads.push_back(nn::Sequential(nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions(3)), nn::Flatten(),
                                     nn::Linear(32 * 3 * 3, numClasses)));

    nn::Sequential block3; // -> 64x7x7
    addConvBnRelu(block3, 32, 64);
    m_blocks.push_back(block3);
    m_heads.push_back(nn::Sequential(nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions(2)), nn::Flatten(),
                                     nn::Linear(64 * 2 * 2, numClasses)));

    nn::Sequential block4; // -> 128x3x3
    addConvBnRelu(block4, 64, 128);
    block4->push_back(halve());
    addConvBnRelu(block4, 128, 128);
    m_blocks.push_back(block4);
    m_heads.push_back(nn::Sequential(nn::Flatten(), nn::Linear(128 * 3 * 3, 256), nn::ReLU(),
                                     nn::Dropout(0.3), nn::Linear(256, numClasses)));

    for (int k = 0; k < kNumExits; ++k) {
        register_module("block" + std::to_string(k + 1), m_blocks[static_cast<size_t>(k)]);
        register_module("head" + std::to_string(k + 1), m_heads[static_cast<size_t>(k)]);
    }
}

std::vector<torch::Tensor> MultiExitCnnImpl::forward(torch::Tensor images) {
    std::vector<torch::Tensor> logits;
    logits.reserve(kNumExits);
    torch::Tensor x = images;
    for (int k = 0; k < kNumExits; ++k) {
        x = m_blocks[static_cast<size_t>(k)]->forward(x);
        logits.push_back(m_heads[static_cast<size_t>(k)]->forward(x));
    }
    return logits;
}

torch::Tensor MultiExitCnnImpl::forwardToExit(torch::Tensor images, int exit) {
    if (exit < 0 || exit >= kNumExits)
        throw std::out_of_range("MultiExitCnn: exit " + std::to_string(exit) + " out of range");
    torch::Tensor x = images;
    for (int k = 0; k <= exit; ++k)
        x = m_blocks[static_cast<size_t>(k)]->forward(x);
    return m_heads[static_cast<size_t>(exit)]->forward(x);
}

std::vector<double> MultiExitCnnImpl::cumulativeMegaMacs(int rows, int cols) {
    torch::NoGradGuard noGrad;
    torch::Tensor x = torch::zeros({1, 1, rows, cols});
    std::vector<double> cumulative;
    double blocks = 0.0;
    for (int k = 0; k < kNumExits; ++k) {
        blocks += sequentialMacs(m_blocks[static_cast<size_t>(k)], x);
        torch::Tensor headInput = x;
        const double head = sequentialMacs(m_heads[static_cast<size_t>(k)], headInput);
        cumulative.push_back((blocks + head) / 1e6);
    }
    return cumulative;
}

float MultiExitCnnImpl::normalisedPixel(std::uint8_t value) {
    return (value / 255.0f - kPixelMean) / kPixelStd;
}

std::vector<std::string> MultiExitCnnImpl::exitNames() {
    std::vector<std::string> names;
    for (int k = 1; k <= kNumExits; ++k)
        names.push_back("exit " + std::to_string(k) + " (block " + std::to_string(k) + ")");
    return names;
}

std::string MultiExitCnnImpl::architecture() {
    return "conv = conv3x3 + BatchNorm + ReLU\n"
           "block 1: conv(1->16) maxpool2 -> 16x14x14 | head 1: avgpool to 3x3, linear(144->C)\n"
           "block 2: conv(16->32) maxpool2 -> 32x7x7 | head 2: avgpool to 3x3, linear(288->C)\n"
           "block 3: conv(32->64) -> 64x7x7 | head 3: avgpool to 2x2, linear(256->C)\n"
           "block 4: conv(64->128) maxpool2 conv(128->128) -> 128x3x3 | head 4: "
           "linear(1152->256) ReLU dropout(0.3) linear(256->C)";
}

} // namespace eenet
