#pragma once

class QMainWindow;

namespace eenet {

class ServingView;
class Session;
class TrainingController;

/// Wires the serving view's controls to the session. A new cost model puts budgets in another unit, so it
/// ends trained schedulers and thresholds set by hand: asked first when there are any. A new serving mode or
/// guarantee refits every policy under it and ends thresholds set by hand (asked first too). The status bar
/// says what changed.
void connectServingSwitch(QMainWindow* window, ServingView* view, Session* session,
                          TrainingController* training);

} // namespace eenet
