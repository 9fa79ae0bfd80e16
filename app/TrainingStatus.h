#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace eenet {

class TrainingController;

/// The status bar's training indicator: what is being trained, a progress bar, the time left and a
/// cancel button. Hidden while nothing trains.
class TrainingStatus : public QWidget {
    Q_OBJECT
public:
    explicit TrainingStatus(TrainingController* controller, QWidget* parent = nullptr);

    QProgressBar* progressBar() const { return m_bar; }
    QLabel* textLabel() const { return m_text; }

private:
    void showProgress(double fraction, double secondsLeft, const QString& text);

    QLabel* m_text;
    QProgressBar* m_bar;
    QLabel* m_eta;
    QToolButton* m_cancel;
};

} // namespace eenet
