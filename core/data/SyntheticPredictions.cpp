#include "data/SyntheticPredictions.h"

#include "Error.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace eenet {
namespace {

/// Logits of one sample at every exit: a noise vector shared by all exits (so exits make correlated
/// mistakes, as the blocks of one network do) plus per-exit noise, and a margin for the true class that
/// grows with the exit and shrinks with the sample's difficulty.
void fillSplit(SplitPredictions& split, int numSamples, const SyntheticOptions& o, std::mt19937_64& rng) {
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    std::uniform_int_distribution<int> label(0, o.numClasses - 1);
    const size_t classes = static_cast<size_t>(o.numClasses);
    const float sharedWeight = 0.8f;
    const float ownWeight = std::sqrt(1.0f - sharedWeight * sharedWeight);

    split.numSamples = numSamples;
    split.labels.resize(static_cast<size_t>(numSamples));
    split.probs.assign(static_cast<size_t>(o.numExits) * numSamples * classes, 0.0f);
    std::vector<float> shared(classes);
    for (int i = 0; i < numSamples; ++i) {
        const int y = label(rng);
        split.labels[static_cast<size_t>(i)] = y;
        const float difficulty = uniform(rng);
        for (float& v : shared)
            v = normal(rng);
        for (int k = 0; k < o.numExits; ++k) {
            const float depth = static_cast<float>(k) / static_cast<float>(o.numExits - 1);
            // sqrt(2 ln C) is about the largest of C standard normals: the margin that makes a sample "easy".
            const float margin =
                (1.0f + 1.2f * depth) * (1.3f - difficulty) * std::sqrt(2.0f * std::log(float(o.numClasses)));
            float* row = split.probs.data() + (static_cast<size_t>(k) * numSamples + i) * classes;
            for (size_t c = 0; c < classes; ++c)
                row[c] = sharedWeight * shared[c] + ownWeight * normal(rng);
            row[y] += margin;
            const float top = *std::max_element(row, row + classes);
            double sum = 0;
            for (size_t c = 0; c < classes; ++c) {
                row[c] = std::exp(row[c] - top);
                sum += row[c];
            }
            for (size_t c = 0; c < classes; ++c)
                row[c] = static_cast<float>(row[c] / sum);
        }
    }
}

} // namespace

Predictions makeSyntheticPredictions(const SyntheticOptions& o) {
    if (o.numExits < 2 || o.numClasses < 2 || o.numVal < 1 || o.numTest < 0)
        throw ArgumentError("synthetic predictions need at least 2 exits, 2 classes and 1 validation sample");
    Predictions p;
    p.sourcePath = "(synthetic)";
    p.model = "synthetic multi-exit model";
    p.dataset = "synthetic (not real data)";
    p.costUnit = "ms";
    p.description =
        "Synthetic predictions for scale tests and benchmarks, seed " + std::to_string(o.seed) + ".";
    p.numExits = o.numExits;
    p.numClasses = o.numClasses;
    for (int k = 0; k < o.numExits; ++k) {
        p.costs.push_back(static_cast<double>(k + 1));
        p.exitNames.push_back("exit " + std::to_string(k + 1));
    }
    for (int c = 0; c < o.numClasses; ++c)
        p.classNames.push_back("class " + std::to_string(c));
    std::mt19937_64 rng(o.seed);
    fillSplit(p.val, o.numVal, o, rng);
    if (o.numTest > 0) {
        p.test.emplace();
        fillSplit(*p.test, o.numTest, o, rng);
    }
    return p;
}

} // namespace eenet
