#include "eval/Overthinking.h"

namespace eenet {
namespace {

/// Files `sample` under exit `exit` when that exit and the last one disagree about it. Callers visit samples
/// in ascending order, so every list comes out ascending.
void addIfTheyDisagree(const ExitData& data, int exit, int sample, std::vector<ExitVsLast>& perExit) {
    const int last = data.numExits - 1;
    if (exit == last)
        return;
    const bool right = data.correct(exit, sample) != 0;
    const bool lastRight = data.correct(last, sample) != 0;
    if (right && !lastRight)
        perExit[static_cast<size_t>(exit)].helps.push_back(sample);
    else if (!right && lastRight)
        perExit[static_cast<size_t>(exit)].hurts.push_back(sample);
}

} // namespace

std::vector<ExitVsLast> compareExitsWithLast(const ExitData& data) {
    std::vector<ExitVsLast> perExit(static_cast<size_t>(data.numExits));
    for (int k = 0; k < data.numExits; ++k)
        for (int i = 0; i < data.numSamples; ++i)
            addIfTheyDisagree(data, k, i, perExit);
    return perExit;
}

std::vector<ExitVsLast> compareExitsWithLast(const ExitData& data, const std::vector<int>& exitOf) {
    requireExitPerSample(data, exitOf, "compareExitsWithLast");
    std::vector<ExitVsLast> perExit(static_cast<size_t>(data.numExits));
    for (int i = 0; i < data.numSamples; ++i)
        addIfTheyDisagree(data, exitOf[static_cast<size_t>(i)], i, perExit);
    return perExit;
}

ExitVsLastTotals totalsOf(const std::vector<ExitVsLast>& perExit) {
    ExitVsLastTotals totals;
    for (const ExitVsLast& exit : perExit) {
        totals.helps += static_cast<int>(exit.helps.size());
        totals.hurts += static_cast<int>(exit.hurts.size());
    }
    return totals;
}

} // namespace eenet
