#pragma once

#include "data/SampleInputs.h"
#include "eval/Split.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace eenet {

struct ReportContent;

/// One sample shown in the gallery, as the exit it leaves at sees it.
struct GallerySample {
    int index = 0;
    bool correct = false;
    QString label;
    QString predicted;
    /// The input's text (a snippet) for text inputs; empty for images.
    QString text;
};

/// The samples leaving at one exit under the chosen policy.
struct GalleryExit {
    int exit = 0;
    int leaving = 0;
    int correctLeaving = 0;
    /// The first few by sample index: a plain sample of who leaves there, not the easiest ones.
    std::vector<GallerySample> shown;
    /// Their tiles side by side, framed right or wrong, as the studio's gallery draws them (images only).
    QByteArray strip;
};

/// The report's gallery: per exit, samples leaving there.
struct ReportGallery {
    Split split = Split::Test;
    InputKind kind = InputKind::None;
    int splitSize = 0;
    std::vector<GalleryExit> exits;
};

/// How many samples the gallery shows per exit.
constexpr int kGallerySamplesPerExit = 12;

/// The gallery of the chosen policy on the comparison split (validation when only it has inputs);
/// std::nullopt when the file stores no inputs. Image strips are drawn with the studio's ThumbnailStrip:
/// GUI thread only.
std::optional<ReportGallery> renderReportGallery(const ReportContent& content);

} // namespace eenet
