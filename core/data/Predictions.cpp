#include "data/Predictions.h"

namespace eenet {

int predictedClass(const SplitPredictions& split, int numClasses, int exit, int sample) {
    const float* p = split.row(numClasses, exit, sample);
    int best = 0;
    for (int c = 1; c < numClasses; ++c) {
        if (p[c] > p[best])
            best = c;
    }
    return best;
}

double exitAccuracyPercent(const SplitPredictions& split, int numClasses, int exit) {
    if (split.numSamples == 0)
        return 0.0;
    int correct = 0;
    for (int i = 0; i < split.numSamples; ++i)
        correct += predictedClass(split, numClasses, exit, i) == split.labels[static_cast<size_t>(i)];
    return 100.0 * correct / split.numSamples;
}

} // namespace eenet
