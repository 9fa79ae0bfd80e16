#pragma once

#include "data/Predictions.h"

#include <memory>
#include <string>

namespace eenet {

/// Reads and validates a predictions file (format v1, docs/format.md).
/// Throws IoError when the file cannot be opened and FormatError naming the dataset and the problem
/// for anything that breaks the format. Safe to call from any thread: HDF5 calls are serialised.
std::shared_ptr<const Predictions> readPredictions(const std::string& path);

} // namespace eenet
