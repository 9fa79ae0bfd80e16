#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

namespace eenet {

/// Median wall-clock seconds of `runs` calls of `work`: the benchmarks' timing, robust to one slow call.
inline double medianSeconds(int runs, const std::function<void()>& work) {
    std::vector<double> seconds;
    for (int r = 0; r < runs; ++r) {
        const auto start = std::chrono::steady_clock::now();
        work();
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(seconds.begin(), seconds.end());
    return seconds[seconds.size() / 2];
}

} // namespace eenet
