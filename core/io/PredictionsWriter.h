#pragma once

#include "data/Predictions.h"

#include <string>

namespace eenet {

struct PredictionsWriteOptions {
    /// gzip level for the probabilities and the inputs (0 = contiguous, uncompressed).
    int gzipLevel = 4;
};

/// Writes `predictions` in format v1 atomically: to a temporary file beside `path`, then renamed over it.
/// An existing file at `path` stays intact when anything fails. Inputs (SplitPredictions::inputs) are written
/// when a split has them, read from their source in batches. Throws IoError; ArgumentError when the
/// predictions or inputs are inconsistent; whatever the inputs' read() throws when their source fails.
void writePredictions(const std::string& path, const Predictions& predictions,
                      const PredictionsWriteOptions& options = {});

} // namespace eenet
