#pragma once

#include "eval/ServingMode.h"
#include "eval/Split.h"
#include "policy/EENetTrainer.h"

#include <QByteArray>

#include <optional>
#include <string>
#include <vector>

namespace eenet {

/// One EENet fit kept in a session.
struct SavedFit {
    double budget = 0;
    EENetFit fit;
    /// Trained on the temperature-scaled probabilities ("Calibrate exits") rather than the file's own.
    bool calibrated = false;
};

/// Thresholds set by hand (CustomPolicy), as a session keeps them.
struct SavedCustomPolicy {
    /// The method whose scores the thresholds apply to: a threshold rule ("maxprob", "eenet-opt", ...).
    std::string base;
    /// For a learned base, the budget of the fit (one of SessionState::fits, of the probabilities shown)
    /// whose scores are used.
    std::optional<double> schedulerBudget;
    /// T_k per exit, T_K = -inf.
    std::vector<double> thresholds;
};

/// A studio session as saved to disk: which file, its hash (to warn when it changed), what was shown
/// (budget, method and, for "custom", the thresholds set by hand, split), the trained EENet schedulers (so
/// nothing has to be retrained) and the window layout. JSON, "eenet-session" format version 1.
struct SessionState {
    std::string inputFile;
    std::string inputSha256;
    double budget = 0;
    std::string method = "maxprob";
    /// Set exactly when `method` is "custom".
    std::optional<SavedCustomPolicy> custom;
    Split split = Split::Test;
    /// "Calibrate exits" was on: the views showed temperature-scaled probabilities (the temperatures are
    /// fitted again on load: they follow from the input).
    bool calibrated = false;
    /// The cost model budgets were in (key "cost_model", Predictions::costModel; "costs" when absent).
    std::string costModel = "costs";
    /// What budgets bounded (Session::budgetRule): key "serving" ("sync:32", absent for per sample) and
    /// key "guarantee" (the confidence, absent for none).
    std::optional<ServingMode> serving;
    double guarantee = 0;
    /// Those of both probabilities, each marked.
    std::vector<SavedFit> fits;
    /// The multi-exit TorchScript model attached for "Run on model" (absolute path; key "model", written
    /// only when set); empty when none.
    std::string modelFile;
    QByteArray windowGeometry;
    QByteArray windowState;
};

/// Writes atomically; an existing file stays intact on failure. Throws IoError.
void writeSessionFile(const std::string& path, const SessionState& state);
/// Throws IoError (cannot read) or FormatError (names the key and the problem).
SessionState readSessionFile(const std::string& path);

} // namespace eenet
