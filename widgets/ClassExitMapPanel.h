#pragma once

#include <QWidget>

class QComboBox;

namespace eenet {

class ClassExitMap;

/// The per-class exit map under a "Show" row that chooses its rows: how many (20, 50 or every class) and in
/// which order (class order, the classes that exit latest or earliest, or that lose the most accuracy).
/// Wraps a map made elsewhere (the window keeps the map as its view) and mirrors the map's choice, which a
/// new file resets to what suits its class count.
class ClassExitMapPanel : public QWidget {
    Q_OBJECT
public:
    explicit ClassExitMapPanel(ClassExitMap* map, QWidget* parent = nullptr);

    ClassExitMap* map() const { return m_map; }
    /// Row limits (item data: the limit, 0 for every class), only those below the file's class count.
    QComboBox* rowsBox() const { return m_rows; }
    /// Orders (item data: the ClassOrder as an int).
    QComboBox* orderBox() const { return m_order; }

private:
    /// The boxes to the map's choice and class count, without echoing it back.
    void showMapChoice();

    ClassExitMap* m_map;
    QComboBox* m_rows;
    QComboBox* m_order;
};

} // namespace eenet
