#pragma once

#include "eval/Split.h"

#include <QWidget>

class QLabel;

namespace eenet {

class Session;

/// One sample up close, beside the inspector's rows: its input large (image, or text) and, exit by exit,
/// the top classes with their probabilities and the score against the threshold, with the exit the current
/// policy sends it to marked. Follows the snapshot, so a budget move re-judges the same sample.
class SampleDetail : public QWidget {
    Q_OBJECT
public:
    /// How many classes each exit lists.
    static constexpr int kTopClasses = 3;

    explicit SampleDetail(Session* session, QWidget* parent = nullptr);

    /// Shows sample `index` of `split`; a negative index clears the pane.
    void showSample(Split split, int index);
    int sample() const { return m_index; }

    /// The pane's parts, for tests: the heading, the input (a pixmap or a text) and the per-exit lines.
    QLabel* heading() const { return m_heading; }
    QLabel* input() const { return m_input; }
    QLabel* exits() const { return m_exits; }

private:
    void refresh();
    void showInput();
    QString exitLines() const;

    Session* m_session;
    Split m_split = Split::Val;
    int m_index = -1;
    QLabel* m_heading;
    QLabel* m_input;
    QLabel* m_exits;
};

} // namespace eenet
