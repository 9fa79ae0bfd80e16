#pragma once

#include "data/Predictions.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace eenet::test {

/// Inputs that count how often a sample is read, so view tests can check that only what is shown is read.
class CountingInputs final : public SampleInputs {
public:
    explicit CountingInputs(std::vector<SampleInput> samples)
        : m_inner(std::move(samples)) {}

    InputKind kind() const override { return m_inner.kind(); }
    int numSamples() const override { return m_inner.numSamples(); }
    std::vector<int> shape() const override { return m_inner.shape(); }
    SampleInput read(int index) const override {
        ++m_reads;
        return m_inner.read(index);
    }
    std::uint64_t bytesRead() const override { return 0; }
    int reads() const { return m_reads; }

private:
    MemorySampleInputs m_inner;
    mutable std::atomic<int> m_reads{0};
};

/// A 28x28 grey image that tells the class apart at a glance, like a Fashion-MNIST thumbnail would: a bright
/// ring whose radius grows with the label, crossed by a bar at a label-dependent angle, with faint
/// sample-dependent speckle so no two images are equal.
inline SampleInput syntheticImage(int label, int sample) {
    SampleInput image;
    image.kind = InputKind::Image;
    image.height = image.width = 28;
    image.channels = 1;
    image.pixels.resize(28 * 28);
    const double radius = 4.0 + label;
    const double angle = label * 0.314;
    for (int y = 0; y < 28; ++y) {
        for (int x = 0; x < 28; ++x) {
            const double dx = x - 13.5, dy = y - 13.5;
            const double ring = std::abs(std::hypot(dx, dy) - radius) < 1.5 ? 230 : 0;
            const double bar = std::abs(dx * std::sin(angle) - dy * std::cos(angle)) < 1.2 ? 150 : 0;
            const int speckle = static_cast<int>((x * 7 + y * 13 + sample * 31) % 23);
            image.pixels[static_cast<size_t>(y * 28 + x)] =
                static_cast<std::uint8_t>(std::min(255.0, std::max(ring, bar) + speckle));
        }
    }
    return image;
}

/// A short text naming the sample and its class, for text inputs.
inline SampleInput syntheticText(int label, int sample) {
    SampleInput text;
    text.kind = InputKind::Text;
    text.text = "Sample " + std::to_string(sample) + " is a review of kind " + std::to_string(label) +
                ", long enough to need more than one line in a tile, and then some more words.";
    return text;
}

/// The inputs of one split: an image (or a text) per sample, made from its label.
inline std::shared_ptr<const CountingInputs> inputsFor(const SplitPredictions& split, InputKind kind) {
    std::vector<SampleInput> samples;
    for (int i = 0; i < split.numSamples; ++i) {
        const int label = split.labels[static_cast<size_t>(i)];
        samples.push_back(kind == InputKind::Text ? syntheticText(label, i) : syntheticImage(label, i));
    }
    return std::make_shared<const CountingInputs>(std::move(samples));
}

/// `base` with inputs of `kind` in both splits.
inline std::shared_ptr<const Predictions> withInputs(const Predictions& base, InputKind kind) {
    auto copy = std::make_shared<Predictions>(base);
    copy->val.inputs = inputsFor(copy->val, kind);
    if (copy->test)
        copy->test->inputs = inputsFor(*copy->test, kind);
    return copy;
}

} // namespace eenet::test
