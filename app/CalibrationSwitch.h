#pragma once

class QMainWindow;

namespace eenet {

class CalibrationController;
class PolicyControls;
class Session;

/// Wires the "Calibrate exits" box to the controller: asks before the switch ends thresholds set by hand
/// (they are in units of the scores they were set on), and says in the status bar what the switch did.
void connectCalibrationSwitch(QMainWindow* window, PolicyControls* controls, Session* session,
                              CalibrationController* calibration);

} // namespace eenet
