#pragma once

#include "session/Session.h"

#include <QString>

#include <memory>

namespace eenet {

/// What the views that show samples themselves (the exit gallery, the overthinking view) share: the shown
/// split's inputs and policy, and the words they use for them.

/// The inputs of the session's split; nullptr without predictions or when the file stores none.
std::shared_ptr<const SampleInputs> shownInputs(const Session& session);

/// The snapshot's policy on the session's split, when it describes the loaded file (a snapshot still in
/// flight from the previous file does not); nullptr otherwise.
const SplitPolicy* shownPolicy(const Session& session);

/// Why a view of samples shows a message instead: nothing loaded, no inputs in the file, no policy yet,
/// or the snapshot's own note. Empty when the view can show its samples.
QString samplesUnavailableText(const Session& session);

/// "maxprob at budget 2.5 ms".
QString policyText(const PolicySnapshot& snapshot, const Predictions& predictions);

/// Rich text: "sample 12 · label coat".
QString sampleHeadline(const Predictions& predictions, const ExitData& data, int sample);

/// Rich text: "exit 2 predicts shirt: ✗ wrong".
QString predictionLine(const Predictions& predictions, const ExitData& data, int exit, int sample);

} // namespace eenet
