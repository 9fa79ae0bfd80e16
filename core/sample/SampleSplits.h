#pragma once

#include "data/Predictions.h"
#include "sample/FashionMnist.h"
#include "sample/SampleModelMaker.h"

#include <memory>
#include <vector>

namespace eenet {

/// Which Fashion-MNIST images make the sample's splits: the 60k training images shuffled with the seed
/// (std::mt19937_64, libstdc++'s std::shuffle) give train, then val; test is the first testCount t10k images.
struct SampleSplits {
    FashionMnist trainPart;
    FashionMnist testPart;
    /// Indices into trainPart (train, val) and testPart (test).
    std::vector<int> train;
    std::vector<int> val;
    std::vector<int> test;

    /// Loads both parts from options.fashionMnistDir. Throws IoError or FormatError for the files,
    /// ArgumentError when train + val exceed the training images.
    static SampleSplits load(const SampleModelOptions& options);

    /// The val and test images exactly as the IDX files store them (uint8, not normalised).
    std::shared_ptr<const SampleInputs> valImages() const;
    std::shared_ptr<const SampleInputs> testImages() const;
};

/// Stores both splits' images as the inputs of predictions made earlier with the same `options` (the seed and
/// counts select the same images), and adds a line saying so to the description: what
/// `eenet-make-sample --reuse` does, since training is not bit-reproducible from one CPU to another. Throws
/// FormatError naming the labels dataset when a split's labels are not its images' labels (a file made with
/// other options), and what SampleSplits::load throws.
void addFashionMnistImages(Predictions& predictions, const SampleModelOptions& options);

} // namespace eenet
