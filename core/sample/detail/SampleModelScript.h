#pragma once

// Private to core/sample: takes the LibTorch model, so only core/sample/*.cpp may include it.
#include "sample/detail/MultiExitCnn.h"

#include <string>

namespace eenet {

/// The trained `model` as a TorchScript module, returned as the bytes of its .pt archive, in the interface
/// docs/deploy.md ("The model") describes and core/runtime/ExitModel runs:
///
///     num_exits() -> int                      4
///     stage(k: int, x: Tensor) -> Tensor      block k on block k - 1's output; for k = 0 the images exactly
///                                             as the predictions file stores them, uint8 [n, 28, 28]
///     head(k: int, h: Tensor) -> Tensor       exit k's logits [n, C] from stage k's output
///     forward(x: Tensor) -> List[Tensor]      every exit's logits, from the stored images
///
/// for inference only: BatchNorm applies its running statistics and the last head's dropout is left out,
/// as in eval mode. The weights are copies, named `<block|head><k>_<layer><i>_<tensor>` after the layers of
/// MultiExitCnn (block4_conv2_weight, head4_linear1_bias). Run on the stored images, it gives the
/// probabilities the sample maker stores, to float rounding. Throws std::exception (from LibTorch) when the
/// module cannot be built, std::logic_error when `model` has a layer this export does not know.
std::string scriptedSampleModel(MultiExitCnnImpl& model);

} // namespace eenet
