#include "LoadBench.h"

#include "Error.h"
#include "data/SyntheticPredictions.h"
#include "io/PredictionsReader.h"
#include "io/PredictionsWriter.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <limits>
#include <string>
#include <unistd.h>

namespace eenet {
namespace {

/// h5py reading what readPredictions() reads: both splits' probabilities as float32, and the labels.
constexpr auto kH5pyRead = R"(
import sys, time, h5py, numpy as np
start = time.perf_counter()
with h5py.File(sys.argv[1], "r") as f:
    arrays = [f[name][...] for name in ("val/probs", "val/logits", "test/probs", "test/logits",
                                        "val/labels", "test/labels") if name in f]
arrays = [a.astype(np.float32, copy=False) if a.dtype.kind == "f" else a for a in arrays]
print(time.perf_counter() - start)
)";

/// A line of /proc/self/status in KiB ("VmRSS:", "VmHWM:"); -1 where there is none.
long statusKiB(const std::string& key) {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.compare(0, key.size(), key) == 0)
            return std::stol(line.substr(key.size()));
    return -1;
}

/// Lowers the peak resident size (VmHWM) to the current one (Linux 4.0 and later), so that the next peak is
/// the read's own.
bool resetPeakMemory() {
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    return static_cast<bool>(clear);
}

void dropPageCache() {
    sync();
    std::ofstream drop("/proc/sys/vm/drop_caches");
    drop << "3";
    drop.flush();
    if (!drop)
        throw ArgumentError("--cold needs root: /proc/sys/vm/drop_caches cannot be written");
}

QString writeSynthetic(const QTemporaryDir& dir, const LoadBenchOptions& options) {
    const QString path = dir.filePath(QStringLiteral("large.h5"));
    std::cerr << "eenet-bench: writing a synthetic " << options.exits << " x (" << options.samples << " + "
              << options.samples << ") x " << options.classes << " file to " << path.toStdString() << "\n";
    writePredictions(
        path.toStdString(),
        makeSyntheticPredictions({options.exits, options.classes, options.samples, options.samples, 1}), {0});
    return path;
}

/// Best seconds of h5py reading the arrays; a negative number when python3 or h5py is missing.
double h5pySeconds(const QString& path, const LoadBenchOptions& options) {
    // Debian's python3-h5py belongs to the system's python3, which another one on the PATH may hide.
    QString python = QStandardPaths::findExecutable(QStringLiteral("python3"), {QStringLiteral("/usr/bin")});
    if (python.isEmpty())
        python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty())
        return -1;
    double best = std::numeric_limits<double>::infinity();
    for (int run = 0; run < options.runs; ++run) {
        if (options.coldCache)
            dropPageCache();
        QProcess process;
        process.start(python, {QStringLiteral("-c"), QString::fromUtf8(kH5pyRead), path});
        bool ok = false;
        const double seconds = process.waitForFinished(600000) && process.exitCode() == 0
                                   ? process.readAllStandardOutput().trimmed().toDouble(&ok)
                                   : 0;
        if (!ok) {
            std::cerr << "eenet-bench: no h5py reference: " << process.readAllStandardError().toStdString();
            return -1;
        }
        best = std::min(best, seconds);
    }
    return best;
}

} // namespace

QJsonObject measureLoad(const LoadBenchOptions& options) {
    QTemporaryDir dir;
    const QString path = options.file.isEmpty() ? writeSynthetic(dir, options) : options.file;
    std::cerr << "eenet-bench: loading " << path.toStdString() << "\n";
    double best = std::numeric_limits<double>::infinity();
    long peakKiB = -1;
    double probsBytes = 0;
    QJsonObject row{{"input", QFileInfo(path).fileName()},
                    {"file_bytes", static_cast<double>(QFileInfo(path).size())},
                    {"cache", options.coldCache ? "cold" : "warm"},
                    {"runs", options.runs}};
    for (int run = 0; run < options.runs; ++run) {
        if (options.coldCache)
            dropPageCache();
        const bool peakKnown = resetPeakMemory();
        const long before = statusKiB("VmRSS:");
        const auto start = std::chrono::steady_clock::now();
        const auto predictions = readPredictions(path.toStdString());
        best =
            std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        if (peakKnown && before >= 0)
            peakKiB = std::max(peakKiB, statusKiB("VmHWM:") - before);
        probsBytes = 4.0 * static_cast<double>(predictions->val.probs.size() +
                                               (predictions->test ? predictions->test->probs.size() : 0));
        row["num_exits"] = predictions->numExits;
        row["num_classes"] = predictions->numClasses;
        row["num_val"] = predictions->val.numSamples;
        row["num_test"] = predictions->test ? predictions->test->numSamples : 0;
    }
    row["load_s"] = best;
    row["probs_mb"] = probsBytes / 1e6;
    if (peakKiB >= 0) {
        row["load_peak_added_mb"] = peakKiB * 1024.0 / 1e6;
        row["load_peak_vs_probs"] = peakKiB * 1024.0 / probsBytes;
    }
    const double reference = h5pySeconds(path, options);
    if (reference > 0) {
        row["h5py_s"] = reference;
        row["load_vs_h5py"] = best / reference;
    }
    return row;
}

} // namespace eenet
