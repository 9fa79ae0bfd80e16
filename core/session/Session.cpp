#include "session/Session.h"

namespace eenet {

Session::Session(QObject* parent)
    : QObject(parent) {}

void Session::setPredictions(std::shared_ptr<const Predictions> predictions) {
    if (predictions == m_predictions || !predictions)
        return;
    m_predictions = std::move(predictions);
    m_summary = summarize(*m_predictions);
    Q_EMIT predictionsLoaded();
}

} // namespace eenet
