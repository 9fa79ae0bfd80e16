#include "policy/ExitData.h"

#include "Error.h"

#include <string>

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

void requireExitPerSample(const ExitData& data, const std::vector<int>& exitOf, const char* caller) {
    if (exitOf.size() != static_cast<size_t>(data.numSamples))
        throw ArgumentError(std::string(caller) + ": " + std::to_string(exitOf.size()) + " exits for " +
                            std::to_string(data.numSamples) + " samples");
    for (size_t i = 0; i < exitOf.size(); ++i)
        if (exitOf[i] < 0 || exitOf[i] >= data.numExits)
            throw ArgumentError(std::string(caller) + ": sample " + std::to_string(i) + " sent to exit " +
                                std::to_string(exitOf[i]) + ", outside [0, " + std::to_string(data.numExits) +
                                ")");
}

} // namespace eenet
