#include "eval/ServingCost.h"

#include "Error.h"

#include <algorithm>
#include <cmath>
#include <math.h> // lgamma_r (POSIX)
#include <string>

namespace eenet {
namespace {

/// log Γ(x) for x > 0. std::lgamma writes the sign to the global `signgam`, a data race when two
/// threads price policies at once (ThreadSanitizer found it: curves and snapshots are computed on different
/// workers); lgamma_r returns the sign instead.
double logGamma(double x) {
    int sign = 0;
    return ::lgamma_r(x, &sign);
}

/// log C(n, k) for 0 <= k <= n.
double logChoose(long long n, long long k) {
    return logGamma(static_cast<double>(n) + 1) - logGamma(static_cast<double>(k) + 1) -
           logGamma(static_cast<double>(n - k) + 1);
}

/// P(max exit of a batch <= k) = C(R, b) / C(N, b): all b samples drawn among the R whose exit is <= k.
/// A product of b ratios, each in [0, 1]: no cancellation, and an underflow is a true (tiny) zero.
double allAmong(long long among, long long total, int batch) {
    if (among < batch)
        return 0;
    if (among == total)
        return 1;
    double p = 1;
    for (int i = 0; i < batch && p > 0; ++i)
        p *= static_cast<double>(among - i) / static_cast<double>(total - i);
    return p;
}

/// Hypergeometric probabilities P(n of a batch of b lie among S of N), n = 0..b, computed from the mode
/// outwards by the ratio P(n+1)/P(n), so no term is a difference of large numbers and the tails fade to
/// zero instead of overflowing.
std::vector<double> hypergeometric(long long total, long long marked, int batch) {
    std::vector<double> p(static_cast<size_t>(batch) + 1, 0.0);
    const long long low = std::max(0LL, batch - (total - marked));
    const long long high = std::min<long long>(batch, marked);
    if (low > high)
        return p;
    long long mode = static_cast<long long>(std::floor((batch + 1.0) * (marked + 1.0) / (total + 2.0)));
    mode = std::clamp(mode, low, high);
    p[static_cast<size_t>(mode)] =
        std::exp(logChoose(marked, mode) + logChoose(total - marked, batch - mode) - logChoose(total, batch));
    // ratio(n) = P(n+1) / P(n) = (S - n)(b - n) / ((n + 1)(N - S - b + n + 1)).
    const auto ratio = [&](long long n) {
        return static_cast<double>(marked - n) * static_cast<double>(batch - n) /
               (static_cast<double>(n + 1) * static_cast<double>(total - marked - batch + n + 1));
    };
    for (long long n = mode; n < high; ++n)
        p[static_cast<size_t>(n + 1)] = p[static_cast<size_t>(n)] * ratio(n);
    for (long long n = mode; n > low; --n)
        p[static_cast<size_t>(n - 1)] = p[static_cast<size_t>(n)] / ratio(n - 1);
    return p;
}

/// Where batch size b falls among the measured sizes: L(b) = scale (row[index] + weight (row[index + 1] -
/// row[index])). Outside the measured sizes the cost per sample is held at the nearest measured size's:
/// nothing gained or lost by batching beyond what was measured (docs/method.md, "Serving").
struct Interpolation {
    size_t index = 0;
    double weight = 0;
    double scale = 1;

    double apply(const double* row) const {
        return weight == 0 ? scale * row[index]
                           : scale * (row[index] + weight * (row[index + 1] - row[index]));
    }
};

Interpolation interpolationAt(const std::vector<int>& sizes, int batchSize) {
    const double b = batchSize;
    if (batchSize <= sizes.front())
        return {0, 0, b / sizes.front()};
    if (batchSize >= sizes.back())
        return {sizes.size() - 1, 0, b / sizes.back()};
    // Linear in log b between the two measured sizes around it.
    const auto upper =
        static_cast<size_t>(std::upper_bound(sizes.begin(), sizes.end(), batchSize) - sizes.begin());
    const double logLow = std::log(static_cast<double>(sizes[upper - 1]));
    const double logHigh = std::log(static_cast<double>(sizes[upper]));
    return {upper - 1, (std::log(b) - logLow) / (logHigh - logLow), 1};
}

} // namespace

ServingCostModel::ServingCostModel(const Predictions& predictions)
    : m_numExits(predictions.numExits) {
    const BatchCosts& batch = predictions.batchCosts;
    if (m_numExits < 1 || predictions.costs.size() != static_cast<size_t>(m_numExits))
        throw ArgumentError(predictions.sourcePath + ": no cost per exit to simulate serving with");
    if (batch.empty()) {
        m_unit = predictions.costUnit;
        m_costs = predictions.costs;
        return;
    }
    const size_t sizes = batch.batchSizes.size();
    if (batch.values.size() != sizes * static_cast<size_t>(m_numExits))
        throw ArgumentError(predictions.sourcePath + ": /exits/batch_costs holds " +
                            std::to_string(batch.values.size()) + " values, not " +
                            std::to_string(m_numExits) + " exits x " + std::to_string(sizes) +
                            " batch sizes");
    for (size_t j = 0; j < sizes; ++j)
        if (batch.batchSizes[j] < 1 || (j > 0 && batch.batchSizes[j] <= batch.batchSizes[j - 1]))
            throw ArgumentError(predictions.sourcePath +
                                ": /exits/batch_sizes must be strictly increasing and at least 1");
    m_measured = true;
    m_unit = batch.unit;
    m_batchSizes = batch.batchSizes;
    m_costs = batch.values;
}

double ServingCostModel::batchCost(int exit, int batchSize) const {
    if (exit < 0 || exit >= m_numExits)
        throw ArgumentError("exit " + std::to_string(exit) + " is outside [0, " + std::to_string(m_numExits) +
                            ")");
    if (batchSize < 1)
        throw ArgumentError("a batch needs at least 1 sample, not " + std::to_string(batchSize));
    if (!m_measured)
        return batchSize * m_costs[static_cast<size_t>(exit)];
    return interpolationAt(m_batchSizes, batchSize)
        .apply(m_costs.data() + static_cast<size_t>(exit) * m_batchSizes.size());
}

double ServingCostModel::costPerSample(const std::vector<long long>& exitCounts,
                                       const ServingMode& serving) const {
    if (exitCounts.size() != static_cast<size_t>(m_numExits))
        throw ArgumentError("exit counts have " + std::to_string(exitCounts.size()) + " entries for " +
                            std::to_string(m_numExits) + " exits");
    long long total = 0;
    for (long long count : exitCounts) {
        if (count < 0)
            throw ArgumentError("a negative exit count");
        total += count;
    }
    if (total == 0)
        throw ArgumentError("no samples to serve");
    if (serving.batchSize < 1)
        throw ArgumentError("a batch needs at least 1 sample, not " + std::to_string(serving.batchSize));
    const int b = static_cast<int>(std::min<long long>(serving.batchSize, total));
    const double n = static_cast<double>(total);

    if (serving.mode == RunMode::Sample || b == 1) {
        double cost = 0;
        for (int k = 0; k < m_numExits; ++k)
            cost += exitCounts[static_cast<size_t>(k)] / n * batchCost(k, 1);
        return cost;
    }
    if (serving.mode == RunMode::Sync) {
        // E[L_m(b)] = sum_k (P(m <= k) - P(m <= k-1)) L_k(b), m the batch's deepest exit.
        double expected = 0;
        double below = 0;
        long long reached = 0;
        for (int k = 0; k < m_numExits; ++k) {
            reached += exitCounts[static_cast<size_t>(k)];
            const double atMost = allAmong(reached, total, b);
            if (atMost > below)
                expected += (atMost - below) * batchCost(k, b);
            below = atMost;
        }
        return expected / b;
    }
    // Compact: stage k runs on the n_k samples of the batch whose exit is >= k, costing
    // L_k(n_k) - L_{k-1}(n_k); n_k is hypergeometric(N, S_k, b).
    // Every stage needs L at every size 1..b: where each size falls among the measured ones is found once.
    std::vector<Interpolation> at;
    if (m_measured)
        for (int m = 0; m <= b; ++m)
            at.push_back(m == 0 ? Interpolation{0, 0, 0} : interpolationAt(m_batchSizes, m));
    std::vector<double> previous(static_cast<size_t>(b) + 1, 0.0);
    std::vector<double> current(static_cast<size_t>(b) + 1, 0.0);
    double expected = 0;
    long long remaining = total;
    for (int k = 0; k < m_numExits; ++k) {
        const double* row =
            m_costs.data() + static_cast<size_t>(k) * std::max<size_t>(m_batchSizes.size(), 1);
        for (int m = 1; m <= b; ++m)
            current[static_cast<size_t>(m)] = m_measured ? at[static_cast<size_t>(m)].apply(row) : m * row[0];
        if (remaining > 0) {
            const std::vector<double> p = hypergeometric(total, remaining, b);
            for (int m = 1; m <= b; ++m)
                if (p[static_cast<size_t>(m)] > 0)
                    expected += p[static_cast<size_t>(m)] *
                                (current[static_cast<size_t>(m)] - previous[static_cast<size_t>(m)]);
        }
        remaining -= exitCounts[static_cast<size_t>(k)];
        std::swap(previous, current);
    }
    return expected / b;
}

double ServingCostModel::staticCostPerSample(int exit, const ServingMode& serving) const {
    const int b = serving.mode == RunMode::Sample ? 1 : serving.batchSize;
    return batchCost(exit, b) / b;
}

std::vector<long long> exitCounts(const std::vector<int>& exitOf, int numExits) {
    std::vector<long long> counts(static_cast<size_t>(std::max(numExits, 0)), 0);
    for (int exit : exitOf) {
        if (exit < 0 || exit >= numExits)
            throw ArgumentError("exit " + std::to_string(exit) + " is outside [0, " +
                                std::to_string(numExits) + ")");
        ++counts[static_cast<size_t>(exit)];
    }
    return counts;
}

} // namespace eenet
