#pragma once

#include "data/Predictions.h"
#include "data/SyntheticPredictions.h"
#include "eval/PolicySnapshot.h"
#include "policy/EENetTrainer.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <vector>

namespace eenet::test {

/// The shipped Fashion-MNIST predictions (sample_data/), for the tests that need a real model's outputs.
QString samplePath();

/// Synthetic predictions shared the way Session and Evaluator hold them.
std::shared_ptr<const Predictions> sharedSynthetic(const SyntheticOptions& options);

/// What the chart and inspector tests draw: 4 exits, 10 classes, 1500 validation and 700 test samples.
std::shared_ptr<const Predictions> chartPredictions();

/// Writes synthetic predictions to `path` (inside the test's QTemporaryDir) and returns `path`.
QString writeSynthetic(const QString& path, const SyntheticOptions& options);

/// The budget `fraction` of the way from the first exit's cost (0) to the last one's (1).
double budgetAt(const Predictions& predictions, double fraction);

/// Training options whose fit takes far longer than any test waits, so a cancel, a close or a new file always
/// meets a running fit.
EENetOptions endlessTraining();

/// The snapshot of `method` at `budget`, computed as PolicyController computes it for the views.
std::shared_ptr<const PolicySnapshot>
snapshotOf(Evaluator& evaluator, const char* method, double budget,
           const std::vector<std::shared_ptr<const TrainedScheduler>>& trained = {});

/// A file's bytes; empty when it cannot be read.
QByteArray readBytes(const QString& path);
/// Writes `bytes` to `path`, replacing what was there; false when that fails.
bool writeBytes(const QString& path, const QByteArray& bytes);

} // namespace eenet::test
