#pragma once

// Private to core/import: the files PyTorch code writes with torch.save, read with LibTorch's own unpickler
// (which runs no Python and knows only tensors, numbers, strings, lists, tuples and dicts): MSDNet's
// logits_single.pth and flops.pth.

#include "import/detail/RawCache.h"

#include <string>

namespace eenet::cache {

/// logits_single.pth: a tuple (val_pred, val_target) or (val_pred, val_target, test_pred, test_target), each
/// prediction a [K, N, C] tensor or a list of K [N, C] tensors, each target a [N] tensor. Throws IoError when
/// the file cannot be read, FormatError naming the file and the element otherwise.
RawCache readTorchCache(const std::string& path);

/// flops.pth: the cumulative FLOPs of each exit, a list of numbers or a 1-D tensor.
RawArray<double> readTorchFlops(const std::string& path);

} // namespace eenet::cache
