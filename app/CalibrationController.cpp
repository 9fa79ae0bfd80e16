#include "CalibrationController.h"

#include "session/Session.h"

namespace eenet {

CalibrationController::CalibrationController(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_job(this, [this](Result result) { onFinished(std::move(result)); }) {
    connect(m_session, &Session::predictionsLoaded, this, &CalibrationController::start);
}

void CalibrationController::start() {
    auto predictions = m_session->predictions();
    m_job.start([predictions]() {
        Result result{predictions, nullptr, {}};
        try {
            // Only the figures are kept: the calibrated copy of the probabilities is as large as the file's.
            result.exits = std::make_shared<const std::vector<ExitCalibration>>(
                summarizeCalibration(*predictions).exits);
        } catch (const std::exception& e) {
            result.error = QString::fromStdString(e.what());
        }
        return result;
    });
}

void CalibrationController::onFinished(Result result) {
    if (result.predictions != m_session->predictions())
        return; // a newer file was loaded meanwhile; its own computation is queued
    if (!result.error.isEmpty()) {
        Q_EMIT failed(result.error);
        return;
    }
    m_session->setCalibration(std::move(result.exits));
}

} // namespace eenet
