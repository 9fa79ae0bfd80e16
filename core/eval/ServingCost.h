#pragma once

#include "data/Predictions.h"
#include "eval/ServingMode.h"

#include <string>
#include <vector>

namespace eenet {

/// A policy's cost per sample under a serving mode (docs/method.md, "Serving"), computed exactly as the
/// expectation over batches of b samples drawn at random without replacement from the split, not sampled.
/// With L_k(b) the cost of one batch of b samples to reach exit k (L_0 = 0):
/// - sample:     sum_k f_k L_k(1);
/// - sync:b:     E[L_m(b)] / b, m the deepest exit of the batch;
/// - compact:b:  E[sum_j (L_j(n_j) - L_{j-1}(n_j))] / b, n_j the batch's samples reaching exit j
///               (nothing when n_j = 0).
/// L_k(b) comes from the file's /exits/batch_costs, interpolated linearly in log b between measured sizes
/// (outside them: see batchCost); a file without them gets L_k(b) = b c_k from the active cost vector, a
/// model that gains nothing from batching.
class ServingCostModel {
public:
    explicit ServingCostModel(const Predictions& predictions);

    int numExits() const { return m_numExits; }
    /// True when L comes from /exits/batch_costs.
    bool measured() const { return m_measured; }
    /// The unit of every cost it returns: the batch costs' unit, or the active cost vector's.
    const std::string& unit() const { return m_unit; }
    /// Measured batch sizes (empty when not measured).
    const std::vector<int>& batchSizes() const { return m_batchSizes; }

    /// L_k(b), exit 0-based, b >= 1: linear in log b between measured sizes; below the smallest and above the
    /// largest, the cost per sample of that size times b. Throws ArgumentError for an exit or a size out of
    /// range.
    double batchCost(int exit, int batchSize) const;

    /// Expected cost per sample of a policy that sends exitCounts[k] of the split's N = sum(exitCounts)
    /// samples to exit k. A batch larger than N is N. Throws ArgumentError on a count vector of the wrong
    /// size, negative counts or N = 0.
    double costPerSample(const std::vector<long long>& exitCounts, const ServingMode& serving) const;
    /// costPerSample with every sample at exit `exit`: L_exit(b) / b. The last exit gives the model
    /// without early exit, the baseline of a speed-up. Unlike costPerSample it knows no split, so b is not
    /// capped at a split's size.
    double staticCostPerSample(int exit, const ServingMode& serving) const;

private:
    int m_numExits = 0;
    bool m_measured = false;
    std::string m_unit;
    std::vector<int> m_batchSizes;
    /// [K, B] row-major per measured size, or the per-sample costs when not measured.
    std::vector<double> m_costs;
};

/// How many samples go to each exit: counts[k] = #{i : exitOf[i] == k}.
std::vector<long long> exitCounts(const std::vector<int>& exitOf, int numExits);

} // namespace eenet
