#include "ClassExitOrder.h"

#include "eval/ClassAccuracyChange.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace eenet {

std::vector<int> orderedClasses(ClassOrder order, const ExitData& data, const std::vector<int>& exitOf) {
    std::vector<int> classes(static_cast<size_t>(data.numClasses));
    std::iota(classes.begin(), classes.end(), 0);
    if (order == ClassOrder::ClassIndex)
        return classes;
    // Smaller keys first; NaN for a class without samples.
    std::vector<double> key(classes.size(), std::numeric_limits<double>::quiet_NaN());
    if (order == ClassOrder::LosesMostAccuracy) {
        for (const ClassAccuracyChange& change : classAccuracyChanges(data, exitOf))
            key[static_cast<size_t>(change.cls)] = change.deltaPp();
    } else {
        std::vector<double> exitSum(classes.size(), 0.0);
        std::vector<int> samples(classes.size(), 0);
        for (int n = 0; n < data.numSamples; ++n) {
            const auto cls = static_cast<size_t>(data.labels[static_cast<size_t>(n)]);
            exitSum[cls] += exitOf[static_cast<size_t>(n)];
            ++samples[cls];
        }
        const double sign = order == ClassOrder::ExitLatest ? -1.0 : 1.0;
        for (size_t c = 0; c < classes.size(); ++c)
            if (samples[c] > 0)
                key[c] = sign * exitSum[c] / samples[c];
    }
    std::stable_sort(classes.begin(), classes.end(), [&key](int a, int b) {
        const double ka = key[static_cast<size_t>(a)], kb = key[static_cast<size_t>(b)];
        return !std::isnan(ka) && (std::isnan(kb) || ka < kb);
    });
    return classes;
}

} // namespace eenet
