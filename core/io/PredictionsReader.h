#pragma once

#include "data/Predictions.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace eenet {

/// How much of a file readPredictions() has read: a fraction that rises from 0 and ends at exactly 1. Called
/// on the reading thread, with HDF5's lock held: it must not read HDF5 files itself.
using ReadProgress = std::function<void(double fraction)>;

/// Reads and validates a predictions file (format v1, docs/format.md).
/// Throws IoError when the file cannot be opened and FormatError naming the dataset and the problem
/// for anything that breaks the format. Safe to call from any thread: HDF5 calls are serialised.
/// The probabilities are read a few MB at a time, each slab checked as it arrives; `progress` hears of each
/// slab. Once `cancel` (owned by the caller, set from any thread) is true, the read stops at the next slab
/// and throws CancelledError.
std::shared_ptr<const Predictions> readPredictions(const std::string& path, const ReadProgress& progress = {},
                                                   const std::atomic<bool>* cancel = nullptr);

} // namespace eenet
