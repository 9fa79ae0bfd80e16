#pragma once

#include "policy/ConfidenceScores.h"

#include <optional>
#include <string>
#include <vector>

namespace eenet {

/// An exit policy the studio and the CLI can evaluate. Names are the CLI's (docs/cli.md).
struct Method {
    enum class Kind {
        EENet,          ///< "eenet": learned scores, thresholds from the learned exit distribution
        EENetOpt,       ///< "eenet-opt": learned scores, thresholds searched under the budget
        EENetReference, ///< "eenet-reference": the authors' formulation, for comparison
        Heuristic,      ///< "maxprob", "entropy", "patience", "agreement": the paper's geometric protocol
        HeuristicOpt,   ///< "maxprob-opt", ...: searched thresholds
        Oracle,         ///< "oracle": label-aware upper bound
        Static,         ///< "static": each exit alone ("exit-1" ... "exit-K" in results)
        Custom,         ///< "custom": thresholds set by hand on another method's scores (CustomPolicy); not
                        ///< parsed from a name, since a name alone does not say which thresholds
    };
    Kind kind = Kind::Heuristic;
    ConfidenceMeasure measure = ConfidenceMeasure::MaxProb;

    std::string name() const;
    bool needsBudget() const { return kind != Kind::Static; }
    /// Uses a trained EENet scheduler's scores.
    bool isLearned() const {
        return kind == Kind::EENet || kind == Kind::EENetOpt || kind == Kind::EENetReference;
    }
    /// A threshold rule whose thresholds can be set by hand (CustomPolicy): not the oracle, which has no
    /// scores, the static exits, nor "custom" itself, whose base is what counts.
    bool acceptsCustomThresholds() const {
        return kind != Kind::Oracle && kind != Kind::Static && kind != Kind::Custom;
    }

    /// Parses one CLI name; std::nullopt when unknown.
    static std::optional<Method> parse(const std::string& name);
    /// Every method name the CLI accepts, for help texts and errors.
    static std::vector<std::string> allNames();
};

} // namespace eenet
