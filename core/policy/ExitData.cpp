#include "policy/ExitData.h"

namespace eenet {

ExitData makeExitData(const Predictions& predictions, const SplitPredictions& split) {
    ExitData data;
    data.numExits = predictions.numExits;
    data.numSamples = split.numSamples;
    data.numClasses = predictions.numClasses;
    data.labels = split.labels;
    data.costs = predictions.costs;
    data.predictions.resize(data.numExits, data.numSamples);
    data.correct.resize(data.numExits, data.numSamples);
    for (int k = 0; k < data.numExits; ++k) {
        for (int i = 0; i < data.numSamples; ++i) {
            const int predicted = predictedClass(split, data.numClasses, k, i);
            data.predictions(k, i) = predicted;
            data.correct(k, i) = predicted == split.labels[static_cast<size_t>(i)] ? 1 : 0;
        }
    }
    return data;
}

} // namespace eenet
