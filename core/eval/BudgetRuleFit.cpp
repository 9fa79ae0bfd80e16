#include "eval/BudgetRuleFit.h"

#include "Error.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <sstream>

namespace eenet {
namespace {

/// Fixed, so a guarantee fits the same thresholds on every run and platform.
constexpr std::uint64_t kBootstrapSeed = 0x5eed2026;
/// Binomial terms kept on each side of the mode, in standard deviations: the mass left out is below 1e-15.
constexpr double kBinomialWindowSds = 8;

/// SplitMix64 (as BootstrapBands): the same uniforms on every platform and standard library.
class Uniforms {
public:
    explicit Uniforms(std::uint64_t seed)
        : m_state(seed) {}
    /// In (0, 1): the top 53 bits, offset by half a step so that neither end is drawn.
    double next() {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        return (static_cast<double>(z >> 11) + 0.5) * 0x1.0p-53;
    }

private:
    std::uint64_t m_state;
};

/// Above this variance n p (1 - p) a binomial draw uses the normal quantile (continuity-corrected): it moves
/// a count by at most about one, far less than the spread the bound is taken over, and costs no more at N =
/// 50,000 than at 50. Below it, where the counts are small and skewed (the few samples that reach the last
/// exits, which a sync batch pays for), the binomial is inverted exactly.
constexpr double kNormalAboveVariance = 25;

/// The standard normal quantile: Acklam's rational approximation (relative error below 1.2e-9), the same on
/// every platform.
double normalQuantile(double u) {
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                               1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                               6.680131188771972e+01, -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                               -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    constexpr double kLow = 0.02425;
    if (u < kLow) {
        const double q = std::sqrt(-2 * std::log(u));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (u > 1 - kLow) {
        const double q = std::sqrt(-2 * std::log(1 - u));
        return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    const double q = u - 0.5;
    const double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/// The u-quantile of Binomial(n, p) by inversion: the smallest x with P(X <= x) >= u. Inversion with common
/// uniforms makes the draw monotone in p. Exactly below kNormalAboveVariance: the probabilities are taken
/// relative to the mode by the ratio P(x+1) / P(x) over mode +- 8 standard deviations, so nothing over- or
/// underflows.
long long binomialQuantile(long long n, double p, double u) {
    if (n <= 0 || p <= 0)
        return 0;
    if (p >= 1)
        return n;
    const double variance = static_cast<double>(n) * p * (1 - p);
    if (variance > kNormalAboveVariance) {
        const double x =
            std::ceil(static_cast<double>(n) * p - 0.5 + std::sqrt(variance) * normalQuantile(u));
        return std::clamp(static_cast<long long>(x), 0LL, n);
    }
    const double sd = std::sqrt(variance);
    const long long mode = std::clamp(static_cast<long long>(std::floor((n + 1) * p)), 0LL, n);
    const long long reach = static_cast<long long>(std::ceil(kBinomialWindowSds * sd)) + 3;
    const long long low = std::max(0LL, mode - reach);
    const long long high = std::min(n, mode + reach);
    std::vector<double> weight(static_cast<size_t>(high - low + 1));
    const double odds = p / (1 - p);
    weight[static_cast<size_t>(mode - low)] = 1;
    for (long long x = mode; x < high; ++x)
        weight[static_cast<size_t>(x + 1 - low)] = weight[static_cast<size_t>(x - low)] * odds *
                                                   static_cast<double>(n - x) / static_cast<double>(x + 1);
    for (long long x = mode; x > low; --x)
        weight[static_cast<size_t>(x - 1 - low)] =
            weight[static_cast<size_t>(x - low)] /
            (odds * static_cast<double>(n - x + 1) / static_cast<double>(x));
    double total = 0;
    for (double w : weight)
        total += w;
    const double target = u * total;
    double cumulative = 0;
    for (long long x = low; x <= high; ++x) {
        cumulative += weight[static_cast<size_t>(x - low)];
        if (cumulative >= target)
            return x;
    }
    return high;
}

/// A multinomial draw of n samples over the exits with probabilities `p`, as conditional binomials (exit k
/// among those not sent to an earlier exit), one uniform per exit but the last.
std::vector<long long> multinomial(long long n, const std::vector<double>& p, const double* uniforms) {
    const size_t exits = p.size();
    std::vector<double> tail(exits + 1, 0.0);
    for (size_t k = exits; k-- > 0;)
        tail[k] = tail[k + 1] + p[k];
    std::vector<long long> counts(exits, 0);
    long long left = n;
    for (size_t k = 0; k + 1 < exits && left > 0; ++k) {
        const double share = tail[k] > 0 ? std::min(1.0, p[k] / tail[k]) : 0.0;
        counts[k] = binomialQuantile(left, share, uniforms[k]);
        left -= counts[k];
    }
    counts[exits - 1] += left;
    return counts;
}

std::string formatNumber(double value) {
    std::ostringstream text;
    text.precision(6);
    text << value;
    return text.str();
}

} // namespace

BudgetRuleCost::BudgetRuleCost(const Predictions& predictions, BudgetRule rule)
    : m_rule(std::move(rule))
    , m_costs(predictions.costs)
    , m_costUnit(predictions.costUnit) {
    if (!(m_rule.guarantee >= 0 && m_rule.guarantee < 1))
        throw ArgumentError("a guarantee is a confidence in (0, 1), not " + formatNumber(m_rule.guarantee));
    if (m_rule.serving)
        m_serving.emplace(predictions);
    if (m_rule.guarantee > 0) {
        const size_t perResample = 2 * std::max<size_t>(m_costs.size(), 1);
        m_uniforms.resize(static_cast<size_t>(kResamples) * perResample);
        Uniforms draw(kBootstrapSeed);
        for (double& u : m_uniforms)
            u = draw.next();
    }
}

double BudgetRuleCost::realised(const std::vector<long long>& exitCounts) const {
    if (m_serving)
        return m_serving->costPerSample(exitCounts, *m_rule.serving);
    if (exitCounts.size() != m_costs.size())
        throw ArgumentError("exit counts have " + std::to_string(exitCounts.size()) + " entries for " +
                            std::to_string(m_costs.size()) + " exits");
    long long total = 0;
    double cost = 0;
    for (size_t k = 0; k < m_costs.size(); ++k) {
        total += exitCounts[k];
        cost += static_cast<double>(exitCounts[k]) * m_costs[k];
    }
    if (total <= 0)
        throw ArgumentError("no samples to cost");
    return cost / static_cast<double>(total);
}

double BudgetRuleCost::upperBound(const std::vector<long long>& exitCounts) const {
    if (m_rule.guarantee <= 0)
        throw ArgumentError("an upper confidence bound needs a guarantee");
    const double point = realised(exitCounts); // checks the counts
    long long total = 0;
    for (long long count : exitCounts)
        total += count;
    const size_t exits = exitCounts.size();
    // Thresholds fitted on val sit on val's own scores: exit k < K holds the n_k samples down to the one its
    // threshold was set at, and the last exit is the open end below every threshold. Of the N + 1 gaps
    // between N sorted scores, exit k spans n_k and the last n_K + 1, so the population's exit fractions are
    // about Dirichlet(n_1, ..., n_K + 1): one more sample's worth at the last exit, which matters where few
    // val samples get there (sync batches pay for the deepest sample).
    std::vector<double> fractions(exits);
    for (size_t k = 0; k < exits; ++k)
        fractions[k] = (static_cast<double>(exitCounts[k]) + (k + 1 == exits ? 1.0 : 0.0)) /
                       (static_cast<double>(total) + 1.0);
    // Stage 1 draws the exit fractions of the population the thresholds will meet (how far val's fractions
    // could be from it), stage 2 a new split of N samples from that population (how far a new split's
    // fractions fall from the population's): new data's cost differs from val's by both.
    std::vector<double> costs;
    costs.reserve(kResamples);
    std::vector<double> population(exits);
    for (int r = 0; r < kResamples; ++r) {
        const double* u = m_uniforms.data() + static_cast<size_t>(r) * 2 * exits;
        const std::vector<long long> drawn = multinomial(total, fractions, u);
        for (size_t k = 0; k < exits; ++k)
            population[k] = static_cast<double>(drawn[k]) / static_cast<double>(total);
        costs.push_back(realised(multinomial(total, population, u + exits)));
    }
    std::sort(costs.begin(), costs.end());
    // NumPy's default quantile: linear between order statistics at q (R - 1).
    const double position = m_rule.guarantee * (kResamples - 1);
    const auto below = static_cast<size_t>(std::floor(position));
    const size_t above = std::min(below + 1, costs.size() - 1);
    const double bound =
        costs[below] + (position - static_cast<double>(below)) * (costs[above] - costs[below]);
    // Every sample at one exit has no spread: the bound is then the cost itself, not a rounding of it.
    return std::max(bound, point);
}

double BudgetRuleCost::bounded(const std::vector<long long>& exitCounts) const {
    return m_rule.guarantee > 0 ? upperBound(exitCounts) : realised(exitCounts);
}

std::pair<double, double> BudgetRuleCost::range(long long numSamples) const {
    if (!m_serving)
        return {m_costs.front(), m_costs.back()};
    const size_t exits = m_costs.size();
    std::vector<long long> first(exits, 0);
    std::vector<long long> last(exits, 0);
    first.front() = numSamples;
    last.back() = numSamples;
    return {m_serving->costPerSample(first, *m_rule.serving),
            m_serving->costPerSample(last, *m_rule.serving)};
}

std::string BudgetRuleCost::unitText() const {
    if (!m_serving)
        return m_costUnit;
    return m_serving->unit() + " per sample under " + servingModeName(*m_rule.serving);
}

void BudgetRuleCost::checkBudget(double budget, long long numSamples) const {
    const auto [low, high] = range(numSamples);
    if (!std::isfinite(budget) || budget < low || budget > high)
        throw ArgumentError("budget " + formatNumber(budget) + " is outside [" + formatNumber(low) + ", " +
                            formatNumber(high) + "] " + unitText() +
                            ", the cost of every sample at the first exit to every sample at the last");
}

BudgetFit fitBudgetToRule(const std::function<std::vector<int>(double)>& exitsAt,
                          const std::function<double(const std::vector<int>&)>& costOf, double budget,
                          double low, double high) {
    constexpr int kMaxEvaluations = 50;
    constexpr double kCloseEnough = 1e-4;
    // Narrower than this, B' moves a protocol's exit counts by less than a hundredth of a sample at N =
    // 50,000: a cost still not within kCloseEnough is as close as thresholds on val can get.
    const double narrowEnough = 1e-7 * (high - low);
    BudgetFit best;
    double costLow = 0;
    double costHigh = 0;
    const auto evaluate = [&](double perSample) {
        std::vector<int> exits = exitsAt(perSample);
        const double cost = costOf(exits);
        ++best.evaluations;
        // On equal costs the larger B': a searched policy's candidates only grow with it (method.md 6.4).
        if (cost <= budget && (best.exitOf.empty() || cost > best.cost ||
                               (cost == best.cost && perSample > best.fittedBudget))) {
            best.fittedBudget = perSample;
            best.cost = cost;
            best.exitOf = std::move(exits);
        }
        return cost;
    };
    costHigh = evaluate(high);
    if (costHigh <= budget)
        return best;
    costLow = evaluate(low);
    if (costLow > budget) {
        // Not even B' = low meets the rule (a guarantee's bound at the bottom of the range): the cheapest it
        // is.
        best.fittedBudget = low;
        best.cost = costLow;
        best.exitOf = exitsAt(low);
        best.met = false;
        return best;
    }
    // The bracket keeps cost(low) <= budget < cost(high). Secant steps converge fast where the cost is
    // smooth in B'; every other step bisects, so a flat or jumping stretch still halves the bracket.
    for (int step = 0; best.evaluations < kMaxEvaluations; ++step) {
        if (budget - best.cost <= kCloseEnough * std::abs(budget) || high - low <= narrowEnough)
            break;
        double next = 0.5 * (low + high);
        if (step % 2 == 0 && costHigh > costLow) {
            const double width = high - low;
            next = low + width * (budget - costLow) / (costHigh - costLow);
            next = std::clamp(next, low + 0.01 * width, high - 0.01 * width);
        }
        const double cost = evaluate(next);
        if (cost <= budget) {
            low = next;
            costLow = cost;
        } else {
            high = next;
            costHigh = cost;
        }
    }
    return best;
}

} // namespace eenet
