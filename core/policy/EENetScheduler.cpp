#include "policy/EENetScheduler.h"

#include "Error.h"
#include "policy/ConfidenceScores.h"

#include <algorithm>
#include <limits>
#include <string>

namespace eenet {

namespace {

/// A scheduler whose weights do not match its declared shape would read past its vectors: refuse it
/// before touching any sample.
void checkShape(const EENetScheduler& s) {
    if (s.numExits < 1 || s.numClasses < 1)
        throw ArgumentError("EENet scheduler: needs at least one exit and one class");
    if (static_cast<int>(s.classWeights.size()) != s.numExits ||
        static_cast<int>(s.auxWeights.size()) != s.numExits)
        throw ArgumentError("EENet scheduler: expected weights for " + std::to_string(s.numExits) + " exits");
    for (int k = 0; k < s.numExits; ++k) {
        if (static_cast<int>(s.classWeights[static_cast<size_t>(k)].size()) != s.numClasses ||
            static_cast<int>(s.auxWeights[static_cast<size_t>(k)].size()) != 2 + k)
            throw ArgumentError("EENet scheduler: exit " + std::to_string(k + 1) +
                                " has weights of the wrong length");
    }
}

} // namespace

EENetScheduler EENetScheduler::maxProbInitialised(int numExits, int numClasses) {
    if (numExits < 1 || numClasses < 1)
        throw ArgumentError("EENet scheduler: needs at least one exit and one class");
    EENetScheduler s;
    s.numExits = numExits;
    s.numClasses = numClasses;
    s.classWeights.assign(static_cast<size_t>(numExits),
                          std::vector<double>(static_cast<size_t>(numClasses)));
    for (int k = 0; k < numExits; ++k) {
        std::vector<double> aux(static_cast<size_t>(2 + k), 0.0);
        aux[0] = 1.0;
        s.auxWeights.push_back(std::move(aux));
    }
    // Until it is fitted, nobody leaves early: a safe policy rather than an arbitrary one.
    s.thresholds.assign(static_cast<size_t>(numExits), std::numeric_limits<double>::infinity());
    s.thresholds.back() = -std::numeric_limits<double>::infinity();
    return s;
}

ScoreMatrix EENetScheduler::scores(const SplitPredictions& split) const {
    return computeScores(split, nullptr);
}

ScoreMatrix EENetScheduler::scores(const SplitPredictions& split,
                                   const ScoreMatrix& entropyConfidences) const {
    if (entropyConfidences.rows() != numExits || entropyConfidences.cols() != split.numSamples)
        throw ArgumentError("EENet scheduler: the entropy confidences do not match the predictions");
    return computeScores(split, &entropyConfidences);
}

ScoreMatrix EENetScheduler::computeScores(const SplitPredictions& split,
                                          const ScoreMatrix* entropyConfidences) const {
    checkShape(*this);
    const size_t expected = static_cast<size_t>(numExits) * static_cast<size_t>(split.numSamples) *
                            static_cast<size_t>(numClasses);
    if (split.numSamples < 0 || split.probs.size() != expected)
        throw ArgumentError("EENet scheduler: predictions do not have " + std::to_string(numExits) +
                            " exits and " + std::to_string(numClasses) + " classes");
    ScoreMatrix out(numExits, split.numSamples);
    std::vector<double> previous(static_cast<size_t>(numExits));
    // Sample by sample, exit by exit: the order a deployment computes them in, so fit and apply agree.
    for (int i = 0; i < split.numSamples; ++i) {
        for (int k = 0; k < numExits; ++k) {
            const double* entropy = entropyConfidences ? &(*entropyConfidences)(k, i) : nullptr;
            previous[static_cast<size_t>(k)] =
                scoreWith(k, split.row(numClasses, k, i), previous.data(), entropy);
            out(k, i) = previous[static_cast<size_t>(k)];
        }
    }
    return out;
}

double EENetScheduler::score(int exit, const float* probs, const double* previousScores) const {
    return scoreWith(exit, probs, previousScores, nullptr);
}

double EENetScheduler::scoreWith(int exit, const float* probs, const double* previousScores,
                                 const double* entropy) const {
    const std::vector<double>& cls = classWeights[static_cast<size_t>(exit)];
    const std::vector<double>& aux = auxWeights[static_cast<size_t>(exit)];
    double value = 0.0;
    float maxProb = probs[0];
    for (int c = 0; c < numClasses; ++c) {
        value += cls[static_cast<size_t>(c)] * static_cast<double>(probs[c]);
        maxProb = std::max(maxProb, probs[c]);
    }
    value += aux[0] * static_cast<double>(maxProb);
    // The entropy costs C logarithms: skip it when its weight is exactly zero (the max-prob start).
    if (aux[1] != 0.0)
        value += aux[1] * (entropy ? *entropy : entropyConfidence(probs, numClasses));
    for (int j = 0; j < exit; ++j)
        value += aux[static_cast<size_t>(2 + j)] * previousScores[j];
    return value;
}

} // namespace eenet
