#include "eval/CurveChecks.h"

#include "Error.h"

namespace eenet {

void checkCurveCoversSplit(const std::vector<MethodResult>& curve, const ExitData& data,
                           const std::string& what) {
    for (const MethodResult& r : curve) {
        const std::vector<int>& exitOf = r.outcome.exitOf;
        if (exitOf.size() != static_cast<size_t>(data.numSamples))
            throw ArgumentError(what + ": " + r.method + "'s exits cover " + std::to_string(exitOf.size()) +
                                " samples, the split has " + std::to_string(data.numSamples));
        for (int exit : exitOf)
            if (exit < 0 || exit >= data.numExits)
                throw ArgumentError(what + ": " + r.method + " sends a sample to exit " +
                                    std::to_string(exit) + ", outside [0, " + std::to_string(data.numExits) +
                                    ")");
    }
}

} // namespace eenet
