#pragma once

#include "TestData.h"

#include "eval/Evaluator.h"
#include "session/Session.h"

#include <memory>

namespace eenet::test {

/// What the view tests start from: predictions, an evaluator over them (to compute snapshots as
/// PolicyController does) and a session holding the predictions. Build it in the test object or on the stack,
/// after the application exists.
struct SessionFixture {
    explicit SessionFixture(std::shared_ptr<const Predictions> data = chartPredictions());

    /// Replaces the session by a fresh one holding the predictions, so no state leaks between test functions.
    void resetSession();
    /// The snapshot of `method` at `budget` with the session's trained schedulers.
    std::shared_ptr<const PolicySnapshot> snapshot(const char* method, double budget);
    /// The same at the session's budget.
    std::shared_ptr<const PolicySnapshot> snapshot(const char* method);

    std::shared_ptr<const Predictions> predictions;
    Evaluator evaluator;
    std::unique_ptr<Session> session;
};

} // namespace eenet::test
