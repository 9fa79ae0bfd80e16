#include "eval/BootstrapBands.h"

#include "Error.h"
#include "eval/CurveChecks.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>

namespace eenet {
namespace {

/// Resamples drawn per matrix product: enough for Eigen's product to pay off, few enough that the counts
/// (N x this many integers) stay small and a cancel is noticed within milliseconds.
constexpr int kResamplesPerBlock = 25;

/// SplitMix64 (Steele, Lea and Flood 2014): fast, and the same numbers on every platform and standard
/// library, so a seed gives the same bands everywhere (std::uniform_int_distribution is
/// implementation-defined).
class SampleDrawer {
public:
    SampleDrawer(std::uint64_t seed, int samples)
        : m_state(seed)
        , m_samples(static_cast<std::uint64_t>(samples)) {}

    /// A sample index in [0, N): the top 32 bits scaled by N (Lemire's multiply-shift), biased by at most
    /// N / 2^32, 1e-5 at N = 50,000: nothing next to a bootstrap's own noise.
    int next() { return static_cast<int>(((nextBits() >> 32) * m_samples) >> 32); }

private:
    std::uint64_t nextBits() {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    std::uint64_t m_state;
    std::uint64_t m_samples;
};

/// The p-quantile of `values` (sorted in place), interpolated linearly between order statistics at
/// p (n - 1), as NumPy's default does.
double quantile(std::vector<double>& values, double p) {
    std::sort(values.begin(), values.end());
    const double position = p * static_cast<double>(values.size() - 1);
    const size_t below = static_cast<size_t>(std::floor(position));
    const size_t above = std::min(below + 1, values.size() - 1);
    return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

} // namespace

std::vector<Band> bootstrapBands(const std::vector<MethodResult>& curve, const ExitData& data,
                                 const BootstrapOptions& options, const std::atomic<bool>* cancel) {
    if (options.resamples < kMinResamples)
        throw ArgumentError("bootstrap bands need at least " + std::to_string(kMinResamples) +
                            " resamples, got " + std::to_string(options.resamples));
    const int n = data.numSamples;
    if (n < 1)
        throw ArgumentError("bootstrap bands: the split has no samples");
    checkCurveCoversSplit(curve, data, "bootstrap bands");

    // What each sample adds to each point's figures: row 2p is 1 where point p gets it right, row 2p + 1 the
    // cost of the exit p sends it to. A resample's figures are then this matrix times the resample's counts
    // (how often it drew each sample): no resampled copy of the data is ever made.
    const Eigen::Index rows = 2 * static_cast<Eigen::Index>(curve.size());
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> perSample(rows, n);
    for (size_t p = 0; p < curve.size(); ++p) {
        const std::vector<int>& exitOf = curve[p].outcome.exitOf;
        for (int i = 0; i < n; ++i) {
            const int exit = exitOf[static_cast<size_t>(i)];
            perSample(2 * static_cast<Eigen::Index>(p), i) = data.correct(exit, i);
            perSample(2 * static_cast<Eigen::Index>(p) + 1, i) = data.costs[static_cast<size_t>(exit)];
        }
    }

    // One draw sequence for the whole curve: every point sees the same resamples (paired).
    SampleDrawer drawer(options.seed, n);
    Eigen::MatrixXd totals(rows, options.resamples);
    // Counted in integers (cheaper to bump than doubles), converted once per block for the product.
    Eigen::MatrixXi counts(n, kResamplesPerBlock);
    for (int first = 0; first < options.resamples; first += kResamplesPerBlock) {
        if (cancel != nullptr && cancel->load())
            throw CancelledError();
        const int block = std::min(kResamplesPerBlock, options.resamples - first);
        counts.setZero();
        for (int r = 0; r < block; ++r) {
            int* drawn = counts.col(r).data();
            for (int i = 0; i < n; ++i)
                ++drawn[drawer.next()];
        }
        totals.middleCols(first, block).noalias() = perSample * counts.leftCols(block).cast<double>();
    }

    std::vector<Band> bands(curve.size());
    std::vector<double> values(static_cast<size_t>(options.resamples));
    auto band = [&](Eigen::Index row, double scale, double& low, double& high) {
        for (int r = 0; r < options.resamples; ++r)
            values[static_cast<size_t>(r)] = scale * totals(row, r) / n;
        low = quantile(values, 0.05);
        high = quantile(values, 0.95);
    };
    for (size_t p = 0; p < curve.size(); ++p) {
        Band& b = bands[p];
        band(2 * static_cast<Eigen::Index>(p), 100.0, b.accuracyLowPercent, b.accuracyHighPercent);
        band(2 * static_cast<Eigen::Index>(p) + 1, 1.0, b.costLow, b.costHigh);
    }
    return bands;
}

std::vector<Band> bootstrapBandsByCurve(const std::vector<MethodResult>& results, Evaluator& evaluator,
                                        const BootstrapOptions& options) {
    std::map<std::pair<std::string, Split>, std::vector<size_t>> curves;
    for (size_t r = 0; r < results.size(); ++r)
        curves[{results[r].method, results[r].split}].push_back(r);
    std::vector<Band> bands(results.size());
    for (const auto& [key, indices] : curves) {
        std::vector<MethodResult> curve;
        for (size_t r : indices)
            curve.push_back(results[r]);
        const std::vector<Band> curveBands = bootstrapBands(curve, *evaluator.exitData(key.second), options);
        for (size_t p = 0; p < indices.size(); ++p)
            bands[indices[p]] = curveBands[p];
    }
    return bands;
}

} // namespace eenet
