#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace eenet {

class LoadController;

/// The status bar's loading indicator: how much of the file is read and a Cancel button, shown while a
/// predictions file loads. A cancelled load says so in `statusLabel` (the window's status text, which said
/// "Loading …"); the data loaded before stays, since the session only changes on a completed load.
class LoadProgress : public QWidget {
    Q_OBJECT
public:
    LoadProgress(LoadController* loader, QLabel* statusLabel, QWidget* parent = nullptr);

    QProgressBar* progressBar() const { return m_bar; }
    QToolButton* cancelButton() const { return m_cancel; }

private:
    QProgressBar* m_bar;
    QToolButton* m_cancel;
};

} // namespace eenet
