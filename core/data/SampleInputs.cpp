#include "data/SampleInputs.h"

#include <algorithm>
#include <stdexcept>

namespace eenet {

std::string inputKindName(InputKind kind) {
    switch (kind) {
    case InputKind::Image:
        return "image";
    case InputKind::Text:
        return "text";
    case InputKind::None:
        break;
    }
    return "none";
}

std::string describeInputs(InputKind kind, const std::vector<int>& shape) {
    if (kind == InputKind::Text)
        return "texts";
    if (kind != InputKind::Image || shape.size() < 3)
        return "no inputs";
    return std::to_string(shape[1]) + " x " + std::to_string(shape[2]) +
           (shape.size() == 4 ? " RGB images" : " grey images");
}

bool sameSampleShape(const SampleInputs& a, const SampleInputs& b) {
    const std::vector<int> shapeA = a.shape();
    const std::vector<int> shapeB = b.shape();
    return a.kind() == b.kind() && !shapeA.empty() && shapeA.size() == shapeB.size() &&
           std::equal(shapeA.begin() + 1, shapeA.end(), shapeB.begin() + 1);
}

namespace {

bool sameLayout(const SampleInput& a, const SampleInput& b) {
    return a.kind == b.kind && a.height == b.height && a.width == b.width && a.channels == b.channels;
}

} // namespace

MemorySampleInputs::MemorySampleInputs(std::vector<SampleInput> samples)
    : m_samples(std::move(samples)) {
    if (m_samples.empty())
        throw std::invalid_argument("MemorySampleInputs: no samples");
    const SampleInput& first = m_samples.front();
    if (first.kind == InputKind::None)
        throw std::invalid_argument("MemorySampleInputs: samples without an input");
    for (const SampleInput& sample : m_samples) {
        if (!sameLayout(sample, first))
            throw std::invalid_argument("MemorySampleInputs: samples differ in kind or size");
        if (sample.kind == InputKind::Image &&
            sample.pixels.size() != static_cast<size_t>(sample.height) * sample.width * sample.channels)
            throw std::invalid_argument("MemorySampleInputs: pixel count does not match the image size");
    }
}

InputKind MemorySampleInputs::kind() const {
    return m_samples.front().kind;
}

int MemorySampleInputs::numSamples() const {
    return static_cast<int>(m_samples.size());
}

std::vector<int> MemorySampleInputs::shape() const {
    const SampleInput& first = m_samples.front();
    std::vector<int> result{numSamples()};
    if (first.kind == InputKind::Image) {
        result.push_back(first.height);
        result.push_back(first.width);
        if (first.channels == 3)
            result.push_back(3);
    }
    return result;
}

SampleInput MemorySampleInputs::read(int index) const {
    if (index < 0 || index >= numSamples())
        throw std::out_of_range("MemorySampleInputs: sample " + std::to_string(index) + " of " +
                                std::to_string(numSamples()));
    return m_samples[static_cast<size_t>(index)];
}

} // namespace eenet
