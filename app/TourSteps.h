#pragma once

#include <QString>

#include <functional>
#include <vector>

class QWidget;

namespace eenet {

class MainWindow;

/// One step of the guided tour: what it is called, what it says (two to four sentences, with the open
/// file's own numbers), the state it puts the studio in and the view it points at.
struct TourStep {
    QString title;
    std::function<QString(const MainWindow&)> text;
    /// Puts the studio into the state the text describes (method, budget, tab, dock raised).
    std::function<void(MainWindow&)> apply;
    /// The widget the step points at; nullptr for the whole window.
    std::function<QWidget*(const MainWindow&)> target;
    /// Skipped when the open file stores no inputs (images or texts) to look at.
    bool needsInputs = false;
};

/// The tour (Help ▸ Guided Tour): from a multi-exit network to exporting a scheduler, then the sandbox.
std::vector<TourStep> tourSteps();

} // namespace eenet
