#pragma once

#include <QJsonObject>
#include <QString>

namespace eenet {

/// What the load benchmark measures and how.
struct LoadBenchOptions {
    /// The file to load; empty: a synthetic one of `exits` x (`samples` val + `samples` test) x `classes`,
    /// float32 and contiguous, written to a temporary folder and deleted afterwards.
    QString file;
    int exits = 5;
    int classes = 1000;
    int samples = 25000;
    /// Loads timed; the best counts (the machine is shared).
    int runs = 3;
    /// Drop the page cache before each run (needs root): the file then comes from the disk.
    bool coldCache = false;
};

/// Loading a large predictions file (docs/performance.md, "Loading large files"): readPredictions()'s seconds
/// and the peak memory it adds, against the float32 probabilities of both splits, and the same arrays read by
/// h5py (python3 with h5py and numpy, when there is one) as the reference.
QJsonObject measureLoad(const LoadBenchOptions& options);

} // namespace eenet
