#include "report/ReportGallery.h"

#include "SampleThumbnails.h"
#include "ThumbnailStrip.h"
#include "report/ReportCharts.h"
#include "report/ReportContent.h"

#include <QApplication>
#include <QCoreApplication>
#include <QResizeEvent>
#include <QStyle>

namespace eenet {
namespace {

/// Wide enough for a row of kGallerySamplesPerExit image tiles; the picture is cropped to the tiles.
constexpr int kStripWidthPx = 1200;
constexpr int kStripHeightPx = 200;

/// The split whose samples the gallery shows: the comparison split when it has inputs, else validation.
const SplitPredictions* gallerySplit(const ReportContent& content, Split& which) {
    const Predictions& predictions = *content.request.predictions;
    which = content.comparisonSplit;
    const SplitPredictions* split = which == Split::Test && predictions.test ? &*predictions.test : nullptr;
    if (split && split->inputs)
        return split;
    which = Split::Val;
    return predictions.val.inputs ? &predictions.val : nullptr;
}

/// The tiles of `shown` in one row, drawn by the studio's ThumbnailStrip without showing it.
QByteArray stripPng(const std::shared_ptr<SampleThumbnails>& thumbnails,
                    const std::vector<GallerySample>& shown) {
    ThumbnailStrip strip;
    strip.setPalette(QApplication::style()->standardPalette());
    strip.setFrameShape(QFrame::NoFrame);
    strip.setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    strip.setThumbnails(thumbnails);
    std::vector<ThumbnailTile> tiles;
    for (const GallerySample& sample : shown)
        tiles.push_back({sample.index, sample.correct});
    strip.setTiles(std::move(tiles));
    const QSize size(kStripWidthPx, kStripHeightPx);
    strip.resize(size);
    // Hidden, it would lay its tiles out only once shown: lay them out now.
    QResizeEvent resized(size, QSize());
    QCoreApplication::sendEvent(&strip, &resized);
    strip.doItemsLayout();
    QRect drawn;
    for (int i = 0; i < static_cast<int>(shown.size()); ++i)
        drawn |= strip.tileRect(i);
    return pngBytes(strip.grab(QRect(0, 0, drawn.right() + 3, drawn.bottom() + 3)).toImage());
}

} // namespace

std::optional<ReportGallery> renderReportGallery(const ReportContent& content) {
    ReportGallery gallery;
    const SplitPredictions* split = gallerySplit(content, gallery.split);
    const SplitPolicy* policy = split ? content.chosen->split(gallery.split) : nullptr;
    if (!policy)
        return std::nullopt;
    const Predictions& predictions = *content.request.predictions;
    gallery.kind = split->inputs->kind();
    gallery.splitSize = split->numSamples;
    auto thumbnails = std::make_shared<SampleThumbnails>(split->inputs);
    const ExitData& data = *policy->data;
    const auto className = [&](int c) {
        return QString::fromStdString(predictions.classNames.at(static_cast<size_t>(c)));
    };
    for (int k = 0; k < data.numExits; ++k) {
        GalleryExit exit;
        exit.exit = k;
        for (int i = 0; i < data.numSamples; ++i) {
            if (policy->outcome.exitOf[static_cast<size_t>(i)] != k)
                continue;
            const bool correct = data.correct(k, i) != 0;
            ++exit.leaving;
            exit.correctLeaving += correct ? 1 : 0;
            if (static_cast<int>(exit.shown.size()) < kGallerySamplesPerExit)
                exit.shown.push_back({i, correct, className(data.labels[static_cast<size_t>(i)]),
                                      className(data.predictions(k, i)),
                                      gallery.kind == InputKind::Text ? thumbnails->text(i) : QString()});
        }
        if (gallery.kind == InputKind::Image && !exit.shown.empty())
            exit.strip = stripPng(thumbnails, exit.shown);
        gallery.exits.push_back(std::move(exit));
    }
    return gallery;
}

} // namespace eenet
