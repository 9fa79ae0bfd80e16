#pragma once

#include "policy/ScoreMatrix.h"

#include <QVector>
#include <QWidget>

#include <memory>
#include <vector>

class QLabel;
class QStackedWidget;

namespace eenet {

class DeferredRefresh;
class SampleThumbnails;
class Session;
class ThumbnailStrip;
struct SplitPolicy;

/// The samples themselves, one column per exit: the session's policy (method and budget, its snapshot) on
/// the shown split sends each sample to one exit, and its column shows it as a thumbnail framed right or
/// wrong. A column lists the most confident first: by how far the sample's score at that exit is past
/// the exit's threshold, which within one column is the score order (ties, and the oracle, which has no
/// scores, by sample index). Headers give the exit, how many samples leave there and how many of them are
/// right. Hovering a tile gives label, prediction and score against threshold; clicking it makes it the
/// session's selection (the inspector shows it). Follows the snapshot and the split; only visible tiles
/// read their inputs. Without inputs in the file (or before a policy) a message says why.
class ExitGallery : public QWidget {
    Q_OBJECT
public:
    explicit ExitGallery(Session* session, QWidget* parent = nullptr);

    /// Columns shown (the file's exits; 0 before a file).
    int columnCount() const { return static_cast<int>(m_columns.size()); }
    /// The samples of exit `exit`'s column, in display order; empty while the message shows.
    QVector<int> samplesInColumn(int exit) const;
    /// The header of exit `exit`'s column (plain text): exit name, number of samples, share right.
    QString columnHeader(int exit) const;
    ThumbnailStrip* column(int exit) const;
    /// The line above the columns: the policy, the split and the order.
    QString titleText() const;
    /// True while a message stands in for the columns (no file, no inputs, no policy).
    bool showsPlaceholder() const;
    QString placeholderText() const;

    /// Makes `sample` of the shown split, leaving at `exit`, the session's selection.
    void selectSample(int exit, int sample);

private:
    void rebuild();
    void makeColumns(int numExits);
    void fillColumn(int exit, const SplitPolicy& shown);
    /// Every sample of the split by its score at `exit`, highest first (ties by index); computed once per
    /// score matrix, so a budget move filters it instead of sorting each column again.
    const std::vector<int>& scoreOrder(const SplitPolicy& shown, int exit);
    void showSelection();
    QString toolTip(int exit, int sample) const;

    Session* m_session;
    DeferredRefresh* m_refresh;
    QLabel* m_title;
    QStackedWidget* m_pages;
    QLabel* m_placeholder;
    QWidget* m_columnsPage;
    struct Column {
        QWidget* box;
        QLabel* header;
        ThumbnailStrip* strip;
    };
    std::vector<Column> m_columns;
    std::shared_ptr<SampleThumbnails> m_thumbnails;
    /// The scores scoreOrder() sorted, held so that their address cannot be reused by another matrix.
    std::shared_ptr<const ScoreMatrix> m_orderedScores;
    std::vector<std::vector<int>> m_scoreOrder;
};

} // namespace eenet
