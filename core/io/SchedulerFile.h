#pragma once

#include "policy/EENetScheduler.h"

#include <QJsonObject>

#include <string>
#include <vector>

namespace eenet {

/// A scheduler as saved by `eenet-cli train` and loaded by `eenet-cli apply` (docs/cli.md; the export
/// issue extends it into the deployment format). Infinite thresholds are written as "inf" / "-inf".
struct SchedulerFile {
    std::string policy = "eenet";
    EENetScheduler scheduler;
    std::vector<double> costs;
    std::string costUnit;
    std::string inputFile;
    std::uint64_t seed = 0;
    /// Validation / test figures at fit time, as printed by the CLI.
    QJsonObject metrics;
};

/// Writes atomically (temporary file + rename); an existing file stays intact on failure. Throws IoError.
void writeSchedulerFile(const std::string& path, const SchedulerFile& file);

/// Throws IoError (cannot read) or FormatError (names the JSON key and the problem).
SchedulerFile readSchedulerFile(const std::string& path);

/// JSON number for a threshold: finite values as numbers, infinities as "inf" / "-inf".
QJsonValue thresholdToJson(double threshold);

} // namespace eenet
