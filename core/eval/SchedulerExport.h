#pragma once

#include "eval/PolicySnapshot.h"
#include "io/SchedulerFile.h"

#include <string>
#include <vector>

namespace eenet {

/// A written scheduler replayed on the predictions it was fitted on, against the studio's own decisions.
struct ReplayReport {
    struct SplitReplay {
        Split split = Split::Val;
        int identical = 0;
        int total = 0;
        /// First sample whose exit differs; -1 when none.
        int firstDifference = -1;
    };
    std::vector<SplitReplay> splits;

    bool identical() const;
    /// "decisions identical on 10000/10000 val and 10000/10000 test samples".
    std::string summary() const;
};

/// The scheduler file of the method a snapshot shows at its budget: score type, thresholds lowered for
/// export (exportThresholds), EENet's weights, costs, exit names, metrics of both splits and provenance.
/// `predictions` are those the snapshot was computed on: when they were temperature-scaled, the file
/// carries their temperatures, so a runtime fed the model's own probabilities scales them alike.
/// A custom policy is written as policy "custom" with its base's score type, and its provenance says the
/// thresholds were set by hand on the base's scores.
SchedulerFile schedulerFileFor(const PolicySnapshot& snapshot, const Predictions& predictions,
                               SchedulerProvenance provenance);

/// Records in `file` the budget rule `snapshot` was computed under (nothing for the default rule): `serving`
/// with its unit and `guarantee`; `budget` is then the budget as asked (a cost per sample under the serving
/// mode), and `metrics` gain the per-sample budget the thresholds were fitted at (fitted_budget), the budget
/// left over on val (margin), with a guarantee its cost_upper_bound and accuracy_cost, and per split the cost
/// per sample in the cost unit (cost) and under the serving mode (serving_cost). `predictions` are those the
/// snapshot was computed on.
void recordBudgetRule(SchedulerFile& file, const BudgetRule& rule, const PolicySnapshot& snapshot,
                      const Predictions& predictions);

/// Exits (0-based) a written scheduler, JSON or TorchScript (.pt), takes on a split of the model's own
/// probabilities, applying the scheduler's temperatures as a runtime does. Throws ArgumentError when
/// `predictions` carry temperatures (they would be scaled twice).
std::vector<int> writtenSchedulerExits(const std::string& path, const Predictions& predictions, Split split);

/// Writes `file` as JSON, or as TorchScript when `path` ends in ".pt", next to the target; reloads it and
/// replays it on every split of `modelPredictions` against `snapshot`'s decisions. `modelPredictions` are
/// the model's own probabilities, even when the snapshot was computed on temperature-scaled ones: the
/// replay applies the file's temperatures, so it proves that a runtime fed the model's own probabilities
/// takes the studio's decisions. Only when every decision is identical does the file replace the target
/// (rename); otherwise the target stays as it was and Error says where the first difference is. Throws
/// ArgumentError when `modelPredictions` carry temperatures, IoError when the directory cannot be written.
ReplayReport exportScheduler(const std::string& path, const SchedulerFile& file,
                             const PolicySnapshot& snapshot, const Predictions& modelPredictions);

/// Provenance of `method` fitted on `predictions` (hashes the input file): EENet's training settings, or
/// how the heuristic's thresholds were set. For a custom policy, pass its base (PolicySnapshot::scoreMethod).
SchedulerProvenance provenanceFor(const Predictions& predictions, const Method& method,
                                  const EENetOptions& options);

} // namespace eenet
