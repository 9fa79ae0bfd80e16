#pragma once

#include <QString>

#include <functional>

class QWidget;

namespace eenet {

/// The studio's file dialogs. Each asks for a path and returns it with the extension its type needs, or
/// an empty string when the user cancels.
QString askPredictionsFile(QWidget* parent, const QString& startDirectory);
/// JSON or TorchScript, by the chosen filter unless the typed name already says which.
QString askSchedulerPath(QWidget* parent, const QString& suggestedName);
/// An HTML file; ".html" is added when the name has no such extension.
QString askReportPath(QWidget* parent, const QString& suggestedName);
QString askSessionToSave(QWidget* parent);
QString askSessionToOpen(QWidget* parent);
/// True for a session file (by its extension), which the studio opens wherever a predictions file is taken.
bool isSessionFile(const QString& path);

/// The one message for a session whose input file cannot be opened (a window-modal box named
/// "inputMissingBox"): Locate… asks for the file and calls `located` with it; Cancel (or no file chosen)
/// calls `cancelled`.
void askToLocateInput(QWidget* parent, const QString& sessionPath, const QString& inputPath,
                      const QString& reason, std::function<void(const QString&)> located,
                      std::function<void()> cancelled);

} // namespace eenet
