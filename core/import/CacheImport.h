#pragma once

#include "data/Predictions.h"

#include <optional>
#include <string>
#include <vector>

namespace eenet {

/// What to import (eenet-cli import, File ▸ Import…): a prediction cache and the optional files beside it.
struct CacheImportRequest {
    /// MSDNet's logits_single.pth (torch.save of (val_pred, val_target[, test_pred, test_target])) or a NumPy
    /// .npz (val_probs or val_logits, val_labels, ...; docs/format.md, "Importing caches").
    std::string source;
    std::string flopsPath;   ///< optional flops.pth: cumulative FLOPs per exit, a list or a 1-D tensor
    std::string secondsPath; ///< optional CSV: cumulative latency in ms per exit, one per line, no header
    std::string classesPath; ///< optional text file: one class name per line
    std::string model;       ///< empty: the source's folder and file name
    std::string dataset;     ///< empty: "unknown"
};

/// How one split's predictions were read.
struct ImportedSplit {
    std::string array; ///< as the source names it: "val_logits", "element 0 (val predictions)"
    std::string dtype; ///< as the source stores it: "float16"
    int numSamples = 0;
    bool fromLogits = false; ///< logits, turned into probabilities with a softmax
    std::string evidence;    ///< why they were taken for what they are: "every row in [0, 1] sums to 1"
};

/// What an import found, for the CLI and the studio to report, and for the file's description.
struct CacheImportReport {
    std::string source;
    std::string layout; ///< "a torch.save tuple of val_pred, val_target", "a NumPy .npz of val_probs, ..."
    int numExits = 0;
    int numClasses = 0;
    ImportedSplit val;
    std::optional<ImportedSplit> test;
    std::string costUnit;
    std::vector<double> costs;
    std::string costSource;  ///< "seconds.csv (ms)", "costs in cache.npz", "flops.pth (FLOPs / 10^6)"
    std::string flopsSource; ///< empty when the file gets no /exits/flops
    std::string classSource; ///< empty when the class names are the defaults
    std::vector<std::string> notes;
};

/// One "label: text" line per finding, aligned, as eenet-cli import prints them and the studio shows them.
std::vector<std::string> reportLines(const CacheImportReport& report);

/// The same on one line, for a status bar: "4 exits, 10 classes; val: 5000 samples of probabilities; ...".
std::string importSummary(const CacheImportReport& report);

struct ImportedCache {
    Predictions predictions; ///< its description names the source files and their SHA-256
    CacheImportReport report;
};

/// Reads a cache and its side files and checks them against format v1's rules. Throws IoError when a file
/// cannot be read, FormatError naming the file, the array and the problem when one is malformed or ambiguous
/// (predictions that are neither clearly probabilities nor logits, FLOPs that are not counts of FLOPs), and
/// ArgumentError when no file gives the exits' costs.
ImportedCache importCache(const CacheImportRequest& request);

/// importCache, then writes the predictions file to `outPath` atomically. Refuses (ArgumentError) an
/// `outPath` that is one of the inputs.
CacheImportReport importCacheToFile(const CacheImportRequest& request, const std::string& outPath);

} // namespace eenet
