#pragma once

#include <QString>

class QWidget;

namespace eenet {

/// The studio's file dialogs. Each asks for a path and returns it with the extension its type needs, or
/// an empty string when the user cancels.
QString askPredictionsFile(QWidget* parent, const QString& startDirectory);
/// JSON or TorchScript, by the chosen filter unless the typed name already says which.
QString askSchedulerPath(QWidget* parent, const QString& suggestedName);
QString askSessionToSave(QWidget* parent);
QString askSessionToOpen(QWidget* parent);

} // namespace eenet
