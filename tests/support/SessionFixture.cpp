#include "SessionFixture.h"

namespace eenet::test {

SessionFixture::SessionFixture(std::shared_ptr<const Predictions> data)
    : predictions(std::move(data))
    , evaluator(predictions) {
    resetSession();
}

void SessionFixture::resetSession() {
    session = std::make_unique<Session>();
    session->setPredictions(predictions);
}

std::shared_ptr<const PolicySnapshot> SessionFixture::snapshot(const char* method, double budget) {
    return snapshotOf(evaluator, method, budget, session->schedulers());
}

std::shared_ptr<const PolicySnapshot> SessionFixture::snapshot(const char* method) {
    return snapshot(method, session->budget());
}

} // namespace eenet::test
