#pragma once

#include "LatestJob.h"
#include "eval/CalibrationSummary.h"

#include <QObject>

namespace eenet {

class Session;

/// How the studio's load note names the calibrated copy (temperatureScaledCopy).
inline constexpr const char* kStudioCalibration = "Calibrate exits";

/// Measures every exit's calibration and fits its temperature (docs/method.md section 8) off the GUI thread
/// whenever a file is loaded, for the calibration view; and runs the "Calibrate exits" switch: the
/// temperature-scaled copy of the probabilities is made in the background the first time it is asked for,
/// then handed to the session, which keeps it for the next switch. The latest file wins.
class CalibrationController : public QObject {
    Q_OBJECT
public:
    explicit CalibrationController(Session* session, QObject* parent = nullptr);

    /// Shows the calibrated probabilities in every view (once the temperatures are fitted and the copy is
    /// made), or the model's own again.
    void setCalibrated(bool on);
    /// True while the calibrated copy is being made or waits for the temperatures.
    bool isSwitching() const;

Q_SIGNALS:
    void failed(const QString& message);

private:
    struct Result {
        std::shared_ptr<const Predictions> predictions;
        std::shared_ptr<const std::vector<ExitCalibration>> exits;
        QString error;
    };
    struct Copy {
        std::shared_ptr<const Predictions> model;
        std::shared_ptr<const Predictions> scaled;
        QString error;
    };
    void start();
    void onFinished(Result result);
    void makeCopy();
    void onCopied(Copy copy);

    Session* m_session;
    /// The switch as the user left it; the copy is shown when it arrives only if it is still on.
    bool m_wanted = false;
    LatestJob<Result> m_job;
    LatestJob<Copy> m_copyJob;
};

} // namespace eenet
