#include "CalibrationSwitch.h"

#include "CalibrationController.h"
#include "PolicyControls.h"
#include "session/Session.h"

#include <QCheckBox>
#include <QMainWindow>
#include <QMessageBox>
#include <QStatusBar>

namespace eenet {

void connectCalibrationSwitch(QMainWindow* window, PolicyControls* controls, Session* session,
                              CalibrationController* calibration) {
    const auto apply = [=](bool on) {
        calibration->setCalibrated(on);
        if (calibration->isSwitching())
            window->statusBar()->showMessage(
                QObject::tr("Scaling the probabilities by the fitted temperatures …"));
    };
    QObject::connect(controls, &PolicyControls::calibrationRequested, window, [=](bool on) {
        if (!session->customPolicy()) {
            apply(on);
            return;
        }
        auto* box = new QMessageBox(
            QMessageBox::Question, QObject::tr("Thresholds set by hand"),
            QObject::tr("Calibration changes every exit's scores, so the thresholds you set by hand would no "
                        "longer mean what they did. Switching ends them: the method returns to %1 fitted at "
                        "the budget. Switch anyway?")
                .arg(QString::fromStdString(session->customPolicy()->base.name())),
            QMessageBox::Yes | QMessageBox::Cancel, window);
        box->setObjectName(QStringLiteral("calibrationSwitchBox"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        QObject::connect(box, &QMessageBox::finished, window, [=](int answer) {
            if (answer == QMessageBox::Yes)
                apply(on);
            else
                controls->calibrateBox()->setChecked(session->calibrated());
        });
        box->open();
    });
    QObject::connect(session, &Session::probabilitiesChanged, window, [=] {
        window->statusBar()->showMessage(
            session->calibrated()
                ? QObject::tr(
                      "Calibrated probabilities: every policy, curve and EENet fit now uses them; the "
                      "curves also show the uncalibrated curve of the chosen method")
                : QObject::tr("The model's own probabilities again; schedulers trained on them are back"),
            8000);
    });
}

} // namespace eenet
