#include "eval/ServingProfile.h"

#include <algorithm>

namespace eenet {

std::vector<int> profileBatchSizes(int largest, int numSamples) {
    const int top = std::max(1, std::min(largest, numSamples));
    std::vector<int> sizes;
    for (int b = 1; b < top; b *= 2)
        sizes.push_back(b);
    sizes.push_back(top);
    return sizes;
}

ServingProfile servingProfile(const ServingCostModel& model, const std::vector<long long>& exitCounts,
                              const std::vector<int>& batchSizes) {
    ServingProfile profile;
    profile.unit = model.unit();
    profile.measured = model.measured();
    const int last = model.numExits() - 1;
    const ServingMode one{RunMode::Sample, 1};
    profile.sample = model.costPerSample(exitCounts, one);
    profile.fullModelSample = model.staticCostPerSample(last, one);
    for (int b : batchSizes) {
        const ServingMode sync{RunMode::Sync, b};
        const ServingMode compact{RunMode::Compact, b};
        profile.points.push_back({b, model.costPerSample(exitCounts, sync),
                                  model.costPerSample(exitCounts, compact),
                                  model.staticCostPerSample(last, sync)});
    }
    return profile;
}

const ServingProfilePoint* profilePointAt(const ServingProfile& profile, int batchSize) {
    const auto found =
        std::find_if(profile.points.begin(), profile.points.end(),
                     [batchSize](const ServingProfilePoint& p) { return p.batchSize == batchSize; });
    return found == profile.points.end() ? nullptr : &*found;
}

} // namespace eenet
