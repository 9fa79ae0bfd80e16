#pragma once

#include "data/Predictions.h"

#include <string>
#include <vector>

namespace eenet {

/// Costs measured for a predictions file after it was written (`eenet-cli measure`).
struct CostsUpdate {
    /// Replaces /exits/batch_sizes and /exits/batch_costs; left alone when empty.
    BatchCosts batchCosts;
    /// Each replaces /exits/extra_costs/<name>, or is added.
    std::vector<CostVector> extraCosts;
};

/// Writes `target` atomically (writeFileAtomically): the predictions file `source` with `update` in it and
/// everything else as it was stored, values, attributes and storage alike, so that nothing measured or
/// written before changes. `target` may be `source`. The file is edited in memory, where it takes about
/// twice its size. Throws IoError when `source` cannot be read or `target` written, FormatError when
/// `source` is not an HDF5 file with /exits/costs, ArgumentError when the update would not pass the reader
/// (docs/format.md, "Cost models" and "Serving costs").
void updateCosts(const std::string& source, const std::string& target, const CostsUpdate& update);

} // namespace eenet
