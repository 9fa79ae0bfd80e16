#pragma once

#include "data/SampleInputs.h"

#include <QCache>
#include <QImage>
#include <QString>

#include <memory>

namespace eenet {

/// One split's inputs as the thumbnails a view paints, read on demand and kept: a view reads only the
/// samples it shows, and a slider move re-reads none it showed before. Not thread-safe: the GUI thread asks
/// for the samples it is about to paint (a read from memory or a cached HDF5 chunk is far quicker than a
/// paint, so no background job is needed).
class SampleThumbnails {
public:
    /// Images fit a square of this side: small ones scaled up by a whole factor (crisp pixels, 28 px gives
    /// 56 px), large ones scaled down smoothly.
    static constexpr int kImageBoxPx = 64;

    explicit SampleThumbnails(std::shared_ptr<const SampleInputs> inputs);

    /// `current` when it already shows `inputs` (its cache stays warm), else new thumbnails of them;
    /// nullptr when `inputs` is.
    static std::shared_ptr<SampleThumbnails> reuseOrMake(std::shared_ptr<SampleThumbnails> current,
                                                         std::shared_ptr<const SampleInputs> inputs);

    const std::shared_ptr<const SampleInputs>& inputs() const { return m_inputs; }
    InputKind kind() const { return m_inputs->kind(); }

    /// The image of `sample`, scaled to fit kImageBoxPx; null for a text input or when the read failed.
    QImage image(int sample);
    /// The text of `sample`; empty for an image input or when the read failed.
    QString text(int sample);
    /// Why `sample` could not be read; empty when it could.
    QString error(int sample);

    /// `input`'s pixels as a QImage (grey or RGB) at its own size.
    static QImage toImage(const SampleInput& input);
    /// `image` scaled to fit a square of `boxPx`, by a whole factor when it is smaller (so pixels stay
    /// sharp).
    static QImage fitToBox(const QImage& image, int boxPx);

private:
    struct Thumbnail {
        QImage image;
        QString text;
        QString error;
    };
    const Thumbnail& thumbnail(int sample);

    std::shared_ptr<const SampleInputs> m_inputs;
    /// Cost in bytes: a few thousand thumbnails of 28x28 images, a few hundred of large colour ones.
    QCache<int, Thumbnail> m_cache;
};

} // namespace eenet
