#include "CalibrationController.h"

#include "eval/TemperatureScaling.h"
#include "session/Session.h"

namespace eenet {

CalibrationController::CalibrationController(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_job(this, [this](Result result) { onFinished(std::move(result)); })
    , m_copyJob(this, [this](Copy copy) { onCopied(std::move(copy)); }) {
    connect(m_session, &Session::predictionsLoaded, this, &CalibrationController::start);
}

void CalibrationController::start() {
    m_wanted = false;
    auto predictions = m_session->modelPredictions();
    m_job.start([predictions]() {
        Result result{predictions, nullptr, {}};
        try {
            // Only the figures are kept: the calibrated copy is made when the switch asks for it.
            result.exits = std::make_shared<const std::vector<ExitCalibration>>(
                summarizeCalibration(*predictions).exits);
        } catch (const std::exception& e) {
            result.error = QString::fromStdString(e.what());
        }
        return result;
    });
}

void CalibrationController::onFinished(Result result) {
    if (result.predictions != m_session->modelPredictions())
        return; // a newer file was loaded meanwhile; its own computation is queued
    if (!result.error.isEmpty()) {
        Q_EMIT failed(result.error);
        return;
    }
    m_session->setCalibration(std::move(result.exits));
    if (m_wanted)
        makeCopy();
}

void CalibrationController::setCalibrated(bool on) {
    m_wanted = on;
    if (!m_session->hasPredictions())
        return;
    if (!on) {
        m_session->setCalibratedPredictions(nullptr);
        return;
    }
    if (auto kept = m_session->calibratedPredictions()) {
        m_session->setCalibratedPredictions(std::move(kept));
        return;
    }
    if (m_session->calibration())
        makeCopy(); // else onFinished makes it once the temperatures are fitted
}

bool CalibrationController::isSwitching() const {
    return m_wanted && !m_session->calibrated();
}

void CalibrationController::makeCopy() {
    std::vector<double> temperatures;
    for (const ExitCalibration& exit : *m_session->calibration())
        temperatures.push_back(exit.fit.temperature);
    auto model = m_session->modelPredictions();
    m_copyJob.start([model, temperatures]() {
        Copy copy{model, nullptr, {}};
        try {
            copy.scaled = temperatureScaledCopy(*model, temperatures, kStudioCalibration);
        } catch (const std::exception& e) {
            copy.error = QString::fromStdString(e.what());
        }
        return copy;
    });
}

void CalibrationController::onCopied(Copy copy) {
    if (copy.model != m_session->modelPredictions())
        return;
    if (!copy.error.isEmpty()) {
        m_wanted = false;
        Q_EMIT failed(copy.error);
        return;
    }
    if (m_wanted)
        m_session->setCalibratedPredictions(std::move(copy.scaled));
}

} // namespace eenet
