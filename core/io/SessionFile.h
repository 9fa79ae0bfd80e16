#pragma once

#include "eval/Split.h"
#include "policy/EENetTrainer.h"

#include <QByteArray>

#include <string>
#include <vector>

namespace eenet {

/// One EENet fit kept in a session.
struct SavedFit {
    double budget = 0;
    EENetFit fit;
};

/// A studio session as saved to disk: which file, its hash (to warn when it changed), what was shown
/// (budget, method, split), the trained EENet schedulers (so nothing has to be retrained) and the window
/// layout. JSON, "eenet-session" format version 1.
struct SessionState {
    std::string inputFile;
    std::string inputSha256;
    double budget = 0;
    std::string method = "maxprob";
    Split split = Split::Test;
    std::vector<SavedFit> fits;
    QByteArray windowGeometry;
    QByteArray windowState;
};

/// Writes atomically; an existing file stays intact on failure. Throws IoError.
void writeSessionFile(const std::string& path, const SessionState& state);
/// Throws IoError (cannot read) or FormatError (names the key and the problem).
SessionState readSessionFile(const std::string& path);

} // namespace eenet
