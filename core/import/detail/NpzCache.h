#pragma once

// Private to core/import: an .npz cache (docs/format.md, "Importing caches"): val_probs or val_logits
// [K, N, C] and val_labels [N]; optionally test_probs or test_logits and test_labels, costs [K] with a
// cost_unit string, flops [K].

#include "import/detail/RawCache.h"

namespace eenet::cache {

class ZipArchive;

/// Reads the cache's arrays, each checked from its header (shape, limits, the memory it takes) before it is
/// read. Throws FormatError naming the file and the array.
RawCache readNpzCache(const ZipArchive& archive);

} // namespace eenet::cache
