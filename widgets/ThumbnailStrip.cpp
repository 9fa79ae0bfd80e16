#include "ThumbnailStrip.h"
#include "ChartPalette.h"
#include "FittedText.h"
#include "SampleThumbnails.h"

#include <QAbstractListModel>
#include <QPainter>
#include <QPainterPath>
#include <QStyledItemDelegate>

#include <algorithm>

namespace eenet {
namespace {

enum Role { SampleRole = Qt::UserRole, CorrectRole, HighlightedRole, ImageRole, SnippetRole, ErrorRole };

/// Around the frame: where a selected (or hovered) tile shows its ring.
constexpr int kRingPx = 3;
constexpr int kFramePx = 3;
constexpr int kPaddingPx = 2;
constexpr int kBadgePx = 15;
constexpr int kTextTileWidthPx = 180;
constexpr int kTextLines = 3;

/// A check (right) or a cross (wrong) in a disc of the truth colour: the shape tells them apart in grey.
void paintBadge(QPainter& painter, const QRectF& disc, bool correct) {
    const QColor fill = ChartPalette::truth(correct);
    painter.setPen(Qt::NoPen);
    painter.setBrush(fill);
    painter.drawEllipse(disc);
    painter.setPen(QPen(ChartPalette::textOn(fill), 2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter.setBrush(Qt::NoBrush);
    const QRectF mark = disc.adjusted(4, 4, -4, -4);
    QPainterPath path;
    if (correct) {
        path.moveTo(mark.left(), mark.center().y());
        path.lineTo(mark.left() + mark.width() * 0.4, mark.bottom());
        path.lineTo(mark.right(), mark.top());
    } else {
        path.moveTo(mark.topLeft());
        path.lineTo(mark.bottomRight());
        path.moveTo(mark.topRight());
        path.lineTo(mark.bottomLeft());
    }
    painter.drawPath(path);
}

class ThumbnailDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem& /*option*/, const QModelIndex& index) const override {
        return index.data(Qt::SizeHintRole).toSize();
    }

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override {
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        const QPalette& palette = option.palette;
        const QRect tile = option.rect.adjusted(kRingPx, kRingPx, -kRingPx, -kRingPx);
        const bool highlighted = index.data(HighlightedRole).toBool();
        if (highlighted || option.state & QStyle::State_MouseOver) {
            painter->fillRect(option.rect,
                              palette.color(highlighted ? QPalette::Highlight : QPalette::Midlight));
            painter->fillRect(tile, palette.color(QPalette::Base));
        }
        const bool correct = index.data(CorrectRole).toBool();
        painter->setPen(
            QPen(ChartPalette::truth(correct), kFramePx, Qt::SolidLine, Qt::SquareCap, Qt::MiterJoin));
        painter->setBrush(Qt::NoBrush);
        const double half = kFramePx / 2.0;
        painter->drawRect(QRectF(tile).adjusted(half, half, -half, -half));
        const QRect content = tile.adjusted(kFramePx + kPaddingPx, kFramePx + kPaddingPx,
                                            -kFramePx - kPaddingPx, -kFramePx - kPaddingPx);
        paintContent(*painter, content, palette, index);
        paintBadge(*painter, QRectF(tile.right() - kBadgePx, tile.top(), kBadgePx, kBadgePx), correct);
        painter->restore();
    }

private:
    static void paintContent(QPainter& painter, const QRect& content, const QPalette& palette,
                             const QModelIndex& index) {
        // Pre-scaled by SampleThumbnails: drawn at its own size, so the pixels stay crisp.
        const QImage image = index.data(ImageRole).value<QImage>();
        if (!image.isNull()) {
            QRect at(QPoint(), image.size());
            at.moveCenter(content.center());
            painter.drawImage(at.topLeft(), image);
            return;
        }
        painter.setPen(ChartPalette::text(palette));
        const QString snippet = index.data(SnippetRole).toString();
        if (!snippet.isEmpty()) {
            // Leave the badge's corner free (it overlaps the frame by only its padding).
            const QStringList lines = wrapToWidth(snippet.simplified(), painter.fontMetrics(),
                                                  content.width() - kBadgePx - kPaddingPx, kTextLines);
            const QFontMetrics metrics(painter.font());
            for (int n = 0; n < lines.size(); ++n)
                painter.drawText(content.left(), content.top() + metrics.ascent() + n * metrics.lineSpacing(),
                                 lines[n]);
            return;
        }
        // No input to show (none given, or unreadable): the sample number, and "?" when the read failed.
        const bool failed = !index.data(ErrorRole).toString().isEmpty();
        painter.setPen(ChartPalette::mutedText(palette));
        painter.drawText(content, Qt::AlignCenter | Qt::TextWordWrap,
                         QStringLiteral("#%1%2")
                             .arg(index.data(SampleRole).toInt())
                             .arg(failed ? QStringLiteral("\n?") : QString()));
    }
};

} // namespace

/// The tiles of one strip. Pictures come from the shared SampleThumbnails only when a tile is painted.
class ThumbnailModel : public QAbstractListModel {
public:
    using QAbstractListModel::QAbstractListModel;

    const std::vector<ThumbnailTile>& tiles() const { return m_tiles; }

    void setTiles(std::vector<ThumbnailTile> tiles) {
        beginResetModel();
        m_tiles = std::move(tiles);
        endResetModel();
    }
    void setThumbnails(std::shared_ptr<SampleThumbnails> thumbnails) {
        // A new kind of input changes the tile size: the view must lay the tiles out again.
        beginResetModel();
        m_thumbnails = std::move(thumbnails);
        endResetModel();
    }
    void setToolTipMaker(std::function<QString(int)> maker) { m_toolTipMaker = std::move(maker); }
    void setHighlighted(std::vector<int> samples) { m_highlighted = std::move(samples); }

    int rowCount(const QModelIndex& parent = {}) const override {
        return parent.isValid() ? 0 : static_cast<int>(m_tiles.size());
    }

    QVariant data(const QModelIndex& index, int role) const override {
        if (!index.isValid() || index.row() >= rowCount())
            return {};
        const ThumbnailTile& tile = m_tiles[static_cast<size_t>(index.row())];
        const InputKind kind = m_thumbnails ? m_thumbnails->kind() : InputKind::None;
        switch (role) {
        case SampleRole:
            return tile.sample;
        case CorrectRole:
            return tile.correct;
        case HighlightedRole:
            return std::binary_search(m_highlighted.begin(), m_highlighted.end(), tile.sample);
        case ImageRole:
            return kind == InputKind::Image ? m_thumbnails->image(tile.sample) : QImage();
        case SnippetRole:
            return kind == InputKind::Text ? m_thumbnails->text(tile.sample) : QString();
        case ErrorRole:
            return m_thumbnails ? m_thumbnails->error(tile.sample) : QString();
        case Qt::ToolTipRole:
            return m_toolTipMaker ? m_toolTipMaker(tile.sample) : QString();
        case Qt::SizeHintRole:
            return tileSize(kind);
        default:
            return {};
        }
    }

private:
    static QSize tileSize(InputKind kind) {
        const int border = 2 * (kRingPx + kFramePx + kPaddingPx);
        if (kind == InputKind::Text)
            return {kTextTileWidthPx, border + kTextLines * QFontMetrics(QFont()).lineSpacing()};
        return {border + SampleThumbnails::kImageBoxPx, border + SampleThumbnails::kImageBoxPx};
    }

    std::shared_ptr<SampleThumbnails> m_thumbnails;
    std::function<QString(int)> m_toolTipMaker;
    std::vector<ThumbnailTile> m_tiles;
    /// Ascending, for binary search.
    std::vector<int> m_highlighted;
};

ThumbnailStrip::ThumbnailStrip(QWidget* parent)
    : QListView(parent)
    , m_model(new ThumbnailModel(this)) {
    setModel(m_model);
    setItemDelegate(new ThumbnailDelegate(this));
    setViewMode(QListView::ListMode);
    setFlow(QListView::LeftToRight);
    setWrapping(true);
    setResizeMode(QListView::Adjust);
    // Every tile has the same size: the layout asks one tile, not ten thousand.
    setUniformItemSizes(true);
    setSpacing(2);
    setSelectionMode(QAbstractItemView::NoSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_Hover);
    viewport()->setCursor(Qt::PointingHandCursor);
    connect(this, &QListView::clicked, this,
            [this](const QModelIndex& index) { Q_EMIT sampleClicked(index.data(SampleRole).toInt()); });
}

void ThumbnailStrip::setThumbnails(std::shared_ptr<SampleThumbnails> thumbnails) {
    m_model->setThumbnails(std::move(thumbnails));
}

void ThumbnailStrip::setTiles(std::vector<ThumbnailTile> tiles) {
    m_model->setTiles(std::move(tiles));
    scrollToTop();
}

void ThumbnailStrip::setToolTipMaker(std::function<QString(int)> maker) {
    m_model->setToolTipMaker(std::move(maker));
}

void ThumbnailStrip::setHighlighted(std::vector<int> samples) {
    m_model->setHighlighted(std::move(samples));
    viewport()->update();
}

void ThumbnailStrip::setEmptyText(const QString& text) {
    m_emptyText = text;
    viewport()->update();
}

QVector<int> ThumbnailStrip::samples() const {
    QVector<int> samples;
    samples.reserve(static_cast<qsizetype>(m_model->tiles().size()));
    for (const ThumbnailTile& tile : m_model->tiles())
        samples.push_back(tile.sample);
    return samples;
}

QRect ThumbnailStrip::tileRect(int position) const {
    return visualRect(m_model->index(position));
}

QString ThumbnailStrip::toolTipAt(int position) const {
    return m_model->index(position).data(Qt::ToolTipRole).toString();
}

bool ThumbnailStrip::isHighlighted(int position) const {
    return m_model->index(position).data(HighlightedRole).toBool();
}

void ThumbnailStrip::paintEvent(QPaintEvent* event) {
    QListView::paintEvent(event);
    if (m_model->rowCount() > 0 || m_emptyText.isEmpty())
        return;
    QPainter painter(viewport());
    painter.setPen(ChartPalette::mutedText(palette()));
    painter.drawText(viewport()->rect().adjusted(6, 6, -6, -6), Qt::AlignCenter | Qt::TextWordWrap,
                     m_emptyText);
}

} // namespace eenet
