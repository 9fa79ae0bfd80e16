#include "eval/ClassAccuracyChange.h"

#include <algorithm>

namespace eenet {

std::vector<ClassAccuracyChange> classAccuracyChanges(const ExitData& data, const std::vector<int>& exitOf) {
    requireExitPerSample(data, exitOf, "classAccuracyChanges");
    std::vector<ClassAccuracyChange> perClass(static_cast<size_t>(data.numClasses));
    for (int c = 0; c < data.numClasses; ++c)
        perClass[static_cast<size_t>(c)].cls = c;
    const int last = data.numExits - 1;
    for (int i = 0; i < data.numSamples; ++i) {
        ClassAccuracyChange& change = perClass.at(static_cast<size_t>(data.labels[static_cast<size_t>(i)]));
        ++change.samples;
        change.rightUnderPolicy += data.correct(exitOf[static_cast<size_t>(i)], i);
        change.rightAtLastExit += data.correct(last, i);
    }
    perClass.erase(std::remove_if(perClass.begin(), perClass.end(),
                                  [](const ClassAccuracyChange& change) { return change.samples == 0; }),
                   perClass.end());
    // Compared as integers over a common denominator: no rounding decides the order.
    std::stable_sort(
        perClass.begin(), perClass.end(), [](const ClassAccuracyChange& a, const ClassAccuracyChange& b) {
            const long long left = static_cast<long long>(a.rightUnderPolicy - a.rightAtLastExit) * b.samples;
            const long long right =
                static_cast<long long>(b.rightUnderPolicy - b.rightAtLastExit) * a.samples;
            return left < right;
        });
    return perClass;
}

} // namespace eenet
