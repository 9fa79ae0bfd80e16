#include "SampleThumbnails.h"

#include <algorithm>
#include <cstring>
#include <exception>

namespace eenet {
namespace {

constexpr qsizetype kCacheBytes = 32 * 1024 * 1024;
/// Texts keep a snippet only: a tile shows three lines, the tooltip a little more.
constexpr int kMaxTextChars = 400;

} // namespace

SampleThumbnails::SampleThumbnails(std::shared_ptr<const SampleInputs> inputs)
    : m_inputs(std::move(inputs))
    , m_cache(kCacheBytes) {}

std::shared_ptr<SampleThumbnails> SampleThumbnails::reuseOrMake(std::shared_ptr<SampleThumbnails> current,
                                                                std::shared_ptr<const SampleInputs> inputs) {
    if (!inputs)
        return nullptr;
    if (current && current->inputs() == inputs)
        return current;
    return std::make_shared<SampleThumbnails>(std::move(inputs));
}

QImage SampleThumbnails::image(int sample) {
    return thumbnail(sample).image;
}

QString SampleThumbnails::text(int sample) {
    return thumbnail(sample).text;
}

QString SampleThumbnails::error(int sample) {
    return thumbnail(sample).error;
}

const SampleThumbnails::Thumbnail& SampleThumbnails::thumbnail(int sample) {
    if (const Thumbnail* cached = m_cache.object(sample))
        return *cached;
    auto made = std::make_unique<Thumbnail>();
    try {
        const SampleInput input = m_inputs->read(sample);
        if (input.kind == InputKind::Image)
            made->image = fitToBox(toImage(input), kImageBoxPx);
        else
            made->text = QString::fromStdString(input.text).left(kMaxTextChars).simplified();
    } catch (const std::exception& error) {
        // One unreadable sample must not take the view down: its tile says so, its tooltip says why.
        made->error = QString::fromStdString(error.what());
    }
    const qsizetype cost = std::max<qsizetype>(made->image.sizeInBytes() + made->text.size() * 2, 64);
    const Thumbnail& kept = *made;
    m_cache.insert(sample, made.release(), cost);
    return kept;
}

QImage SampleThumbnails::toImage(const SampleInput& input) {
    const bool grey = input.channels == 1;
    QImage image(input.width, input.height, grey ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
    // QImage pads its rows to 4 bytes; the input's rows are packed.
    const size_t rowBytes = static_cast<size_t>(input.width) * static_cast<size_t>(input.channels);
    for (int y = 0; y < input.height; ++y)
        std::memcpy(image.scanLine(y), input.pixels.data() + static_cast<size_t>(y) * rowBytes, rowBytes);
    return image;
}

QImage SampleThumbnails::fitToBox(const QImage& image, int boxPx) {
    const int side = std::max(image.width(), image.height());
    if (side <= 0 || side > boxPx)
        return image.scaled(boxPx, boxPx, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    const int factor = boxPx / side;
    return image.scaled(image.width() * factor, image.height() * factor, Qt::IgnoreAspectRatio,
                        Qt::FastTransformation);
}

} // namespace eenet
