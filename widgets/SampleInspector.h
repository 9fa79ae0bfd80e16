#pragma once

#include <QWidget>

#include <vector>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace eenet {

class Session;
class SampleDetail;
class SampleTableModel;

/// Lists the samples the user picked in another view (the session's selection), one row each, sortable,
/// with the current row's sample shown up close beside them (SampleDetail):
/// label, the exit the current policy sends it to, its prediction there, and the threshold rule's reason,
/// followed by every exit's prediction and score. Follows the selection and the snapshot: moving the budget
/// re-judges the same samples. "Export CSV…" writes the rows as listed.
class SampleInspector : public QWidget {
    Q_OBJECT
public:
    explicit SampleInspector(Session* session, QWidget* parent = nullptr);

    SampleTableModel* model() const { return m_model; }
    /// The sorting proxy between the model and the table.
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QTableView* table() const { return m_table; }
    /// The current row's sample up close (its input, every exit's top classes and score).
    SampleDetail* detail() const { return m_detail; }
    /// The header line's text: what was selected, under which method and budget, and its size; then the
    /// policy the rows are judged by now and the exits it sends them to ("re-judged" once the budget or
    /// the method moved since the click). A hint when nothing is selected.
    QString headerText() const;
    /// The header row's "Export CSV…" button (enabled while there are rows).
    QPushButton* exportButton() const { return m_exportButton; }

    /// Writes every row, in the table's current order, with every column as displayed (the current
    /// policy's decisions included) to `path` as CSV. Throws IoError naming the path and the reason.
    void exportCsv(const QString& path) const;

private:
    void showSelection();
    void showSnapshot();
    void updateHeader();
    void showCurrentSample();
    /// "exit 4", "exits 1–3", "exits now 1, 3" (1-based).
    static QString exitsText(const std::vector<int>& exits, bool now);

    Session* m_session;
    QLabel* m_header;
    QPushButton* m_exportButton;
    SampleTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    SampleDetail* m_detail;
};

} // namespace eenet
