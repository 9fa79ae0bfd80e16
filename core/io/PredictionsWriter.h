#pragma once

#include "data/Predictions.h"

#include <string>

namespace eenet {

struct PredictionsWriteOptions {
    /// gzip level for the probability datasets (0 = contiguous, uncompressed).
    int gzipLevel = 4;
};

/// Writes `predictions` in format v1 atomically: to a temporary file beside `path`, then renamed over it.
/// An existing file at `path` stays intact when anything fails. Throws IoError.
void writePredictions(const std::string& path, const Predictions& predictions,
                      const PredictionsWriteOptions& options = {});

} // namespace eenet
