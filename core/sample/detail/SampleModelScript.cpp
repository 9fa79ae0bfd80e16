#include "sample/detail/SampleModelScript.h"

#include <torch/script.h>

#include <map>
#include <sstream>
#include <stdexcept>

namespace eenet {
namespace {

// MultiExitCnn's forward, op for op, as TorchScript: LibTorch C++ cannot script a C++ nn::Module, so the
// module is compiled from this text and given copies of the trained weights. Each line calls the ATen op the
// C++ layer calls (Conv2d -> conv2d, BatchNorm2d in eval mode -> batch_norm with the running statistics,
// MaxPool2d(2) -> max_pool2d with stride 2, AdaptiveAvgPool2d -> adaptive_avg_pool2d, Flatten -> flatten
// from dim 1, Linear -> linear), so on the same batch it computes what the maker's evaluation computed.
// 1e-05 is BatchNorm2d's default eps, which MultiExitCnn keeps; dropout is the identity in eval mode and
// is left out.
//
// stage(0, x) takes the images exactly as the predictions file stores them (uint8 [n, 28, 28]) and looks
// each pixel up in `pixel_values`, the 256 floats MultiExitCnnImpl::normalisedPixel gives: the same
// (v / 255 - 0.2860) / 0.3530 in float32 that training and evaluation fed the network, bit for bit, which
// recomputing it with tensor ops (another rounding order) would not guarantee.
constexpr const char* kSource = R"TS(
def num_exits(self) -> int:
    return 4

def _check_exit(self, k: int):
    assert k >= 0 and k < 4, "exit index k must be 0, 1, 2 or 3 (0-based), got " + str(k)

def _images(self, x: Tensor) -> Tensor:
    # 0 is torch.uint8: TorchScript compiled without Python knows dtypes by their numbers.
    assert x.dtype == 0, "stage 0 takes the images as stored, uint8 [n, 28, 28] (0-255): the model normalises them itself"
    assert x.dim() == 3 and x.size(1) == 28 and x.size(2) == 28, "stage 0 takes uint8 images [n, 28, 28], got size " + str(x.size())
    return torch.take(self.pixel_values, x.long()).unsqueeze(1)

def _conv(self, x: Tensor, weight: Tensor, bn_weight: Tensor, bn_bias: Tensor, bn_mean: Tensor,
          bn_var: Tensor) -> Tensor:
    x = torch.conv2d(x, weight, None, [1, 1], [1, 1])
    x = torch.batch_norm(x, bn_weight, bn_bias, bn_mean, bn_var, False, 0.1, 1e-05, True)
    return torch.relu(x)

def stage(self, k: int, x: Tensor) -> Tensor:
    self._check_exit(k)
    if k == 0:
        x = self._conv(self._images(x), self.block1_conv1_weight, self.block1_bn1_weight, self.block1_bn1_bias,
                       self.block1_bn1_running_mean, self.block1_bn1_running_var)
        return torch.max_pool2d(x, [2, 2])
    if k == 1:
        x = self._conv(x, self.block2_conv1_weight, self.block2_bn1_weight, self.block2_bn1_bias,
                       self.block2_bn1_running_mean, self.block2_bn1_running_var)
        return torch.max_pool2d(x, [2, 2])
    if k == 2:
        return self._conv(x, self.block3_conv1_weight, self.block3_bn1_weight, self.block3_bn1_bias,
                          self.block3_bn1_running_mean, self.block3_bn1_running_var)
    x = self._conv(x, self.block4_conv1_weight, self.block4_bn1_weight, self.block4_bn1_bias,
                   self.block4_bn1_running_mean, self.block4_bn1_running_var)
    x = torch.max_pool2d(x, [2, 2])
    return self._conv(x, self.block4_conv2_weight, self.block4_bn2_weight, self.block4_bn2_bias,
                      self.block4_bn2_running_mean, self.block4_bn2_running_var)

def head(self, k: int, h: Tensor) -> Tensor:
    self._check_exit(k)
    if k == 0:
        return torch.linear(torch.flatten(torch.adaptive_avg_pool2d(h, [3, 3]), 1), self.head1_linear1_weight,
                            self.head1_linear1_bias)
    if k == 1:
        return torch.linear(torch.flatten(torch.adaptive_avg_pool2d(h, [3, 3]), 1), self.head2_linear1_weight,
                            self.head2_linear1_bias)
    if k == 2:
        return torch.linear(torch.flatten(torch.adaptive_avg_pool2d(h, [2, 2]), 1), self.head3_linear1_weight,
                            self.head3_linear1_bias)
    h = torch.relu(torch.linear(torch.flatten(h, 1), self.head4_linear1_weight, self.head4_linear1_bias))
    return torch.linear(h, self.head4_linear2_weight, self.head4_linear2_bias)

def forward(self, x: Tensor) -> List[Tensor]:
    logits: List[Tensor] = []
    for k in range(4):
        x = self.stage(k, x)
        logits.append(self.head(k, x))
    return logits
)TS";

/// "conv", "bn" or "linear" for the layers that hold weights; empty for those that hold none.
std::string layerKind(const torch::nn::Module& layer) {
    if (dynamic_cast<const torch::nn::Conv2dImpl*>(&layer) != nullptr)
        return "conv";
    if (dynamic_cast<const torch::nn::BatchNorm2dImpl*>(&layer) != nullptr)
        return "bn";
    if (dynamic_cast<const torch::nn::LinearImpl*>(&layer) != nullptr)
        return "linear";
    if (!layer.parameters().empty() || !layer.buffers().empty())
        throw std::logic_error(
            "scriptedSampleModel: MultiExitCnn has a layer with weights of unknown kind (" + layer.name() +
            "); extend the export");
    return {};
}

/// Copies every weight of `model` into `module` as `<child>_<kind><i>_<tensor>` (block4_bn2_running_var):
/// parameters as parameters, BatchNorm's running statistics as buffers, copied so that the module owns them.
void copyWeights(MultiExitCnnImpl& model, torch::jit::Module& module) {
    for (const auto& child : model.named_children()) {
        std::map<std::string, int> counts;
        for (const auto& layer : child.value()->children()) {
            const std::string kind = layerKind(*layer);
            if (kind.empty())
                continue;
            const std::string prefix = child.key() + "_" + kind + std::to_string(++counts[kind]) + "_";
            for (const auto& weight : layer->named_parameters(false))
                module.register_parameter(prefix + weight.key(), weight.value().detach().clone(), false);
            for (const auto& buffer : layer->named_buffers(false)) {
                // A training counter BatchNorm keeps; inference never reads it.
                if (buffer.key() != "num_batches_tracked")
                    module.register_buffer(prefix + buffer.key(), buffer.value().detach().clone());
            }
        }
    }
}

} // namespace

std::string scriptedSampleModel(MultiExitCnnImpl& model) {
    torch::NoGradGuard noGrad;
    torch::jit::Module module(c10::QualifiedName("__torch__.eenet.SampleMultiExitCnn"));
    // Python's Module.eval()/train() expect the attribute every scripted module has.
    module.register_attribute("training", c10::BoolType::get(), false);
    torch::Tensor pixelValues = torch::empty({256}, torch::kFloat32);
    float* values = pixelValues.data_ptr<float>();
    for (int v = 0; v < 256; ++v)
        values[v] = MultiExitCnnImpl::normalisedPixel(static_cast<std::uint8_t>(v));
    module.register_buffer("pixel_values", pixelValues);
    copyWeights(model, module);
    module.define(kSource);
    std::ostringstream archive;
    module.save(archive);
    return archive.str();
}

} // namespace eenet
