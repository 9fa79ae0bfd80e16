#pragma once

#include <QString>

class QMainWindow;

namespace eenet {

class ModelRunController;
class ModelRunView;
class Session;

/// Wires "Run on model": the view's Run, Cancel and Attach to the controller, the controller's progress,
/// figures and model checks back to the view, and its errors to a message box naming the model file
/// (window-modal, named "errorBox" as the window's other errors). Progress also shows in the status bar.
void connectModelRun(QMainWindow* window, Session* session, ModelRunController* controller,
                     ModelRunView* view);

/// File ▸ Attach Model…: attaches `suggested`, or asks for a TorchScript model (starting beside the loaded
/// predictions file) and attaches it; the controller checks it in the background.
void attachModelInteractively(QMainWindow* window, Session* session, ModelRunController* controller,
                              const QString& suggested = QString());

} // namespace eenet
