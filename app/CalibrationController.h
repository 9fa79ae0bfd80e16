#pragma once

#include "LatestJob.h"
#include "eval/CalibrationSummary.h"

#include <QObject>

namespace eenet {

class Session;

/// Measures every exit's calibration and fits its temperature (docs/method.md section 8) off the GUI thread
/// whenever a file is loaded, for the calibration view. The latest file wins.
class CalibrationController : public QObject {
    Q_OBJECT
public:
    explicit CalibrationController(Session* session, QObject* parent = nullptr);

Q_SIGNALS:
    void failed(const QString& message);

private:
    struct Result {
        std::shared_ptr<const Predictions> predictions;
        std::shared_ptr<const std::vector<ExitCalibration>> exits;
        QString error;
    };
    void start();
    void onFinished(Result result);

    Session* m_session;
    LatestJob<Result> m_job;
};

} // namespace eenet
