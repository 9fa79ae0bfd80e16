#include "sample/SampleSplits.h"

#include "Error.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace eenet {
namespace {

std::shared_ptr<const SampleInputs> imagesOf(const FashionMnist& data, const std::vector<int>& indices) {
    const size_t pixels = static_cast<size_t>(data.rows) * static_cast<size_t>(data.cols);
    std::vector<SampleInput> images;
    images.reserve(indices.size());
    for (int index : indices) {
        SampleInput image;
        image.kind = InputKind::Image;
        image.height = data.rows;
        image.width = data.cols;
        image.channels = 1;
        const std::uint8_t* from = data.pixels.data() + static_cast<size_t>(index) * pixels;
        image.pixels.assign(from, from + pixels);
        images.push_back(std::move(image));
    }
    return std::make_shared<MemorySampleInputs>(std::move(images));
}

/// The file's labels of one split must be those of the images the options select, in the same order.
void checkLabels(const SplitPredictions& split, const FashionMnist& data, const std::vector<int>& indices,
                 const std::string& file, const std::string& dataset) {
    if (split.labels.size() != indices.size())
        throw FormatError(file, dataset,
                          "has " + std::to_string(split.labels.size()) + " labels but the options select " +
                              std::to_string(indices.size()) +
                              " images; use the options the file was made with");
    for (size_t i = 0; i < indices.size(); ++i) {
        const int expected = data.labels[static_cast<size_t>(indices[i])];
        if (split.labels[i] != expected)
            throw FormatError(
                file, dataset,
                "label of sample " + std::to_string(i) + " is " + std::to_string(split.labels[i]) +
                    " but the image the options select there is labelled " + std::to_string(expected) +
                    "; use the seed and counts the file was made with");
    }
}

} // namespace

SampleSplits SampleSplits::load(const SampleModelOptions& options) {
    SampleSplits splits;
    splits.trainPart = FashionMnist::load(options.fashionMnistDir, FashionMnistPart::Train);
    splits.testPart = FashionMnist::load(options.fashionMnistDir, FashionMnistPart::Test, options.testCount);
    if (options.trainCount + options.valCount > splits.trainPart.count)
        throw ArgumentError("train + val = " + std::to_string(options.trainCount + options.valCount) +
                            " images requested, the Fashion-MNIST training file holds " +
                            std::to_string(splits.trainPart.count));
    std::vector<int> shuffled(static_cast<size_t>(splits.trainPart.count));
    std::iota(shuffled.begin(), shuffled.end(), 0);
    std::mt19937_64 rng(options.seed);
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    const auto valBegin = shuffled.begin() + options.trainCount;
    splits.train.assign(shuffled.begin(), valBegin);
    splits.val.assign(valBegin, valBegin + options.valCount);
    splits.test.resize(static_cast<size_t>(options.testCount));
    std::iota(splits.test.begin(), splits.test.end(), 0);
    return splits;
}

std::shared_ptr<const SampleInputs> SampleSplits::valImages() const {
    return imagesOf(trainPart, val);
}

std::shared_ptr<const SampleInputs> SampleSplits::testImages() const {
    return imagesOf(testPart, test);
}

void addFashionMnistImages(Predictions& predictions, const SampleModelOptions& options) {
    const SampleSplits splits = SampleSplits::load(options);
    if (!predictions.test)
        throw FormatError(predictions.sourcePath, "/test", "missing; the sample has a test split");
    checkLabels(predictions.val, splits.trainPart, splits.val, predictions.sourcePath, "/val/labels");
    checkLabels(*predictions.test, splits.testPart, splits.test, predictions.sourcePath, "/test/labels");
    predictions.val.inputs = splits.valImages();
    predictions.test->inputs = splits.testImages();
    predictions.description +=
        "\nInputs: both splits' 28x28 uint8 images as the IDX files store them, added later "
        "by eenet-make-sample --reuse; the predictions and costs above are unchanged.";
}

} // namespace eenet
