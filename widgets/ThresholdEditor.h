#pragma once

#include <QLineEdit>

#include <optional>

namespace eenet {

/// A one-line editor for a threshold, opened over a chart. Enter accepts a number, or "inf" / "-inf"
/// (nobody / everyone leaves); Enter on the untouched value, Escape or clicking elsewhere closes it
/// unchanged.
class ThresholdEditor : public QLineEdit {
    Q_OBJECT
public:
    explicit ThresholdEditor(QWidget* parent);

    /// Shows `text` (the value as the chart prints it), selected and focused, over the top of `over` (in the
    /// parent's pixels): as wide as it, or as wide as a threshold needs, and kept inside the parent.
    void open(const QString& text, const QRect& over);
    /// The number typed: C locale digits, "inf", "∞" or "-inf"; std::nullopt for anything else.
    static std::optional<double> parse(const QString& text);

Q_SIGNALS:
    void accepted(double value);
    /// Hidden again, whether a value was accepted or not.
    void closed();

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void accept();
};

} // namespace eenet
