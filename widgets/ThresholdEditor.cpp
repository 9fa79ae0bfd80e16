#include "ThresholdEditor.h"

#include <QKeyEvent>
#include <QLocale>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

namespace eenet {

ThresholdEditor::ThresholdEditor(QWidget* parent)
    : QLineEdit(parent) {
    setToolTip(tr("Type a threshold and press Enter (inf: nobody leaves, -inf: everyone leaves); Escape "
                  "cancels"));
    // Room for the longest value a label prints (6 significant digits and a sign) and the frame.
    setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("-0.000000")) + 12);
    hide();
}

void ThresholdEditor::open(const QString& text, const QRect& over) {
    setText(text);
    setModified(false);
    resize(std::max(over.width(), minimumWidth()), sizeHint().height());
    const QWidget* area = parentWidget();
    move(std::clamp(over.x(), 0, std::max(0, area->width() - width())),
         std::clamp(over.y(), 0, std::max(0, area->height() - height())));
    show();
    raise();
    selectAll();
    setFocus(Qt::OtherFocusReason);
}

std::optional<double> ThresholdEditor::parse(const QString& text) {
    const QString typed = text.trimmed().toLower();
    if (typed == QLatin1String("inf") || typed == QLatin1String("+inf") || typed == QStringLiteral("∞"))
        return std::numeric_limits<double>::infinity();
    if (typed == QLatin1String("-inf") || typed == QStringLiteral("-∞") || typed == QStringLiteral("−∞"))
        return -std::numeric_limits<double>::infinity();
    bool ok = false;
    const double value = QLocale::c().toDouble(typed, &ok);
    return ok && std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

void ThresholdEditor::accept() {
    if (!isModified()) {
        hide();
        return;
    }
    const auto value = parse(text());
    if (!value) {
        QToolTip::showText(mapToGlobal(QPoint(0, height())), tr("Not a number: type e.g. 0.9, inf or -inf"),
                           this);
        return;
    }
    hide();
    Q_EMIT accepted(*value);
}

void ThresholdEditor::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        accept();
        return;
    case Qt::Key_Escape:
        hide();
        return;
    default:
        QLineEdit::keyPressEvent(event);
    }
}

void ThresholdEditor::focusOutEvent(QFocusEvent* event) {
    QLineEdit::focusOutEvent(event);
    // Clicking elsewhere gives up the edit, as Escape does; the error tooltip takes no focus.
    if (event->reason() != Qt::PopupFocusReason)
        hide();
}

void ThresholdEditor::hideEvent(QHideEvent* event) {
    QLineEdit::hideEvent(event);
    Q_EMIT closed();
}

} // namespace eenet
