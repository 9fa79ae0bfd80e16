#include "WrappedLabel.h"

#include <QEvent>

namespace eenet {

WrappedLabel::WrappedLabel(QWidget* parent)
    : QLabel(parent) {
    setWordWrap(true);
}

int WrappedLabel::heightForWidth(int width) const {
    // Comparing the text is cheap next to laying it out. A label without text (a pixmap) is not cached.
    const QString current = text();
    if (width != m_measuredWidth || current != m_measuredText || current.isEmpty()) {
        m_measuredHeight = QLabel::heightForWidth(width);
        m_measuredWidth = width;
        m_measuredText = current;
    }
    return m_measuredHeight;
}

void WrappedLabel::changeEvent(QEvent* event) {
    // A new font or style (presentation mode, the theme) changes the height of the same text.
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        m_measuredWidth = -1;
    QLabel::changeEvent(event);
}

} // namespace eenet
