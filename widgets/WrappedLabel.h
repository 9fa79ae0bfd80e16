#pragma once

#include <QLabel>

namespace eenet {

/// A word-wrapped label that lays its text out once per text and width. QLabel lays it out again each time
/// a layout asks for its height at a width, several times per change: for labels rewritten on every budget
/// move (the gallery's headers, the sample detail) that was most of a move's layout time. Contents margins
/// and indent are taken as fixed once the label is shown.
class WrappedLabel : public QLabel {
    Q_OBJECT
public:
    explicit WrappedLabel(QWidget* parent = nullptr);

    int heightForWidth(int width) const override;

protected:
    void changeEvent(QEvent* event) override;

private:
    mutable QString m_measuredText;
    mutable int m_measuredWidth = -1;
    mutable int m_measuredHeight = 0;
};

} // namespace eenet
