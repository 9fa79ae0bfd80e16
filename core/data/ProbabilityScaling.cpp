#include "data/ProbabilityScaling.h"

#include "Error.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace eenet {
namespace {

int firstLargest(const float* values, int count) {
    return static_cast<int>(std::max_element(values, values + count) - values);
}

} // namespace

void scaleRowWith(const float* probs, int numClasses, double temperature, float* out,
                  std::vector<double>& logs) {
    if (temperature == 1.0) {
        std::copy(probs, probs + numClasses, out);
        return;
    }
    shiftedFlooredLogs(probs, numClasses, logs);
    double sum = 0;
    for (double& l : logs) {
        l = std::exp(l / temperature);
        sum += l;
    }
    for (int c = 0; c < numClasses; ++c)
        out[c] = static_cast<float>(logs[static_cast<size_t>(c)] / sum);
    // p^(1/T) keeps the order of distinct probabilities, but two close ones can round to one float (or, at
    // a large T, to one double), and the first of a tie would then become the prediction.
    const int predicted = firstLargest(probs, numClasses);
    const int now = firstLargest(out, numClasses);
    if (now != predicted)
        out[predicted] = std::nextafter(out[now], 2.0f);
}

void checkTemperature(double temperature, const std::string& where) {
    if (!(std::isfinite(temperature) && temperature > 0))
        throw ArgumentError("temperature scaling: " + where + "temperature " + std::to_string(temperature) +
                            " is not a positive finite number");
}

double flooredLog(double probability) {
    return std::log(std::max(probability, kProbabilityFloor));
}

void shiftedFlooredLogs(const float* probs, int numClasses, std::vector<double>& logs) {
    logs.resize(static_cast<size_t>(numClasses));
    double largest = -INFINITY;
    for (int c = 0; c < numClasses; ++c) {
        logs[static_cast<size_t>(c)] = flooredLog(probs[c]);
        largest = std::max(largest, logs[static_cast<size_t>(c)]);
    }
    for (double& l : logs)
        l -= largest;
}

void scaleRow(const float* probs, int numClasses, double temperature, float* out) {
    checkTemperature(temperature, "");
    std::vector<double> logs;
    scaleRowWith(probs, numClasses, temperature, out, logs);
}

SplitPredictions temperatureScaledSplit(const SplitPredictions& split, int numExits, int numClasses,
                                        const std::vector<double>& temperatures) {
    if (temperatures.size() != static_cast<size_t>(numExits))
        throw ArgumentError("temperature scaling: " + std::to_string(temperatures.size()) +
                            " temperatures for " + std::to_string(numExits) + " exits");
    for (int k = 0; k < numExits; ++k)
        checkTemperature(temperatures[static_cast<size_t>(k)], "exit " + std::to_string(k + 1) + ": ");
    const size_t rowCount =
        static_cast<size_t>(numExits) * static_cast<size_t>(std::max(split.numSamples, 0));
    if (numClasses < 1 || split.probs.size() != rowCount * static_cast<size_t>(numClasses))
        throw ArgumentError("temperature scaling: the probabilities are not [" + std::to_string(numExits) +
                            ", " + std::to_string(split.numSamples) + ", " + std::to_string(numClasses) +
                            "]");
    SplitPredictions scaled = split;
    std::vector<double> logs;
    for (int k = 0; k < numExits; ++k)
        for (int i = 0; i < split.numSamples; ++i)
            scaleRowWith(split.row(numClasses, k, i), numClasses, temperatures[static_cast<size_t>(k)],
                         scaled.probs.data() + (static_cast<size_t>(k) * split.numSamples + i) * numClasses,
                         logs);
    return scaled;
}

} // namespace eenet
