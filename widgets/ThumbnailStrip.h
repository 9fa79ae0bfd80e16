#pragma once

#include <QListView>

#include <functional>
#include <memory>
#include <vector>

namespace eenet {

class SampleThumbnails;
class ThumbnailModel;

/// One tile of a strip: a sample and whether the exit it is shown at gets it right.
struct ThumbnailTile {
    int sample = 0;
    bool correct = false;
};

/// A scrolling, wrapping grid of sample tiles: images scaled up crisply, texts as three-line snippets, each
/// framed in its truth colour with a check or a cross badge, so right and wrong read without colour too.
/// Only the tiles in view are painted, so only their inputs are read; a tile's tooltip is made when it is
/// hovered. Clicking a tile emits sampleClicked. The exit gallery and the overthinking view both use it.
class ThumbnailStrip : public QListView {
    Q_OBJECT
public:
    explicit ThumbnailStrip(QWidget* parent = nullptr);

    /// Where the pictures come from; a view shares one per split. nullptr: tiles show sample numbers.
    void setThumbnails(std::shared_ptr<SampleThumbnails> thumbnails);
    /// The tiles, in display order.
    void setTiles(std::vector<ThumbnailTile> tiles);
    /// Makes the hover text of a sample; asked only for the tile under the mouse.
    void setToolTipMaker(std::function<QString(int sample)> maker);
    /// Samples drawn highlighted (the session's selection), ascending; empty for none.
    void setHighlighted(std::vector<int> samples);
    /// Said in the middle of the strip while it has no tiles.
    void setEmptyText(const QString& text);
    QString emptyText() const { return m_emptyText; }

    /// The samples, in display order.
    QVector<int> samples() const;
    /// The tile at `position` in display order, in viewport pixels; empty when out of range.
    QRect tileRect(int position) const;
    /// The tooltip of the tile at `position` in display order.
    QString toolTipAt(int position) const;
    /// Whether the tile at `position` is drawn highlighted.
    bool isHighlighted(int position) const;

Q_SIGNALS:
    void sampleClicked(int sample);

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    ThumbnailModel* m_model;
    QString m_emptyText;
};

} // namespace eenet
