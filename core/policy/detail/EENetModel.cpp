#include "policy/detail/EENetModel.h"

#include "policy/ConfidenceScores.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace eenet {

namespace {

using torch::indexing::Slice;

/// Keeps log(0) out of h's bias: an exit the prior never uses starts very unlikely, not impossible.
constexpr double kMinPrior = 1e-12;
/// Epsilon of the KL target, so exits whose clamped score is 0 still have a defined log.
constexpr double kKlEpsilon = 1e-6;

/// Tilted exit distributions p_ik proportional to exp(r_ik - lambda c_k / c_K). The per-sample softmax of
/// r is factored out once, so each lambda costs K exponentials instead of N K.
class TiltedDistribution {
public:
    TiltedDistribution(const ScoreMatrix& logits, const std::vector<double>& costs)
        : m_logits(logits)
        , m_costs(costs)
        , m_shifted(logits.cols(), logits.rows()) {
        for (double c : costs)
            m_relativeCosts.push_back(c / costs.back());
        for (Eigen::Index i = 0; i < logits.cols(); ++i) {
            const double top = logits.col(i).maxCoeff();
            for (Eigen::Index k = 0; k < logits.rows(); ++k)
                m_shifted(i, k) = std::exp(logits(k, i) - top);
        }
    }

    std::vector<double> pBar(double lambda) const {
        const Eigen::Index numExits = m_logits.rows();
        const Eigen::Index numSamples = m_logits.cols();
        // Shift so the largest factor is exactly 1: the tilt alone can then never overflow.
        const double anchor = lambda >= 0 ? m_relativeCosts.front() : m_relativeCosts.back();
        std::vector<double> factor(static_cast<size_t>(numExits));
        for (Eigen::Index k = 0; k < numExits; ++k)
            factor[static_cast<size_t>(k)] =
                std::exp(-lambda * (m_relativeCosts[static_cast<size_t>(k)] - anchor));
        std::vector<double> sum(static_cast<size_t>(numExits), 0.0);
        std::vector<double> row(static_cast<size_t>(numExits));
        for (Eigen::Index i = 0; i < numSamples; ++i) {
            double denominator = 0;
            for (Eigen::Index k = 0; k < numExits; ++k) {
                row[static_cast<size_t>(k)] = m_shifted(i, k) * factor[static_cast<size_t>(k)];
                denominator += row[static_cast<size_t>(k)];
            }
            if (!(denominator > 1e-280)) {
                // Every term underflowed (extreme lambda against extreme logits): redo this sample in logs.
                double top = -std::numeric_limits<double>::infinity();
                for (Eigen::Index k = 0; k < numExits; ++k) {
                    row[static_cast<size_t>(k)] =
                        m_logits(k, i) - lambda * m_relativeCosts[static_cast<size_t>(k)];
                    top = std::max(top, row[static_cast<size_t>(k)]);
                }
                denominator = 0;
                for (double& value : row) {
                    value = std::exp(value - top);
                    denominator += value;
                }
            }
            for (Eigen::Index k = 0; k < numExits; ++k)
                sum[static_cast<size_t>(k)] += row[static_cast<size_t>(k)] / denominator;
        }
        for (double& value : sum)
            value /= static_cast<double>(numSamples);
        return sum;
    }

    double cost(const std::vector<double>& pBar) const {
        double total = 0;
        for (size_t k = 0; k < pBar.size(); ++k)
            total += pBar[k] * m_costs[k];
        return total;
    }

private:
    const ScoreMatrix& m_logits;
    const std::vector<double>& m_costs;
    std::vector<double> m_relativeCosts;
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> m_shifted; // [N, K]
};

torch::Tensor zeros(std::initializer_list<int64_t> shape) {
    return torch::zeros(shape, torch::kFloat32);
}

} // namespace

int assignmentHiddenUnits(int inputs, double hiddenRate) {
    return std::max(1, static_cast<int>(inputs * hiddenRate));
}

ClassView::ClassView(int numClasses, int allClassesUpTo, int topClasses) {
    if (allClassesUpTo > 0 && numClasses > allClassesUpTo)
        top = std::clamp(topClasses, 1, numClasses);
}

namespace {

/// The top `count` values of a row, largest first, and the mass of the others (h's sorted class view).
void sortedClassView(const float* row, int numClasses, int count, float* out) {
    // One pass with a small sorted buffer: most values are below the buffer's last and cost one compare.
    std::fill(out, out + count, -1.0f);
    double total = 0;
    for (int c = 0; c < numClasses; ++c) {
        const float value = row[c];
        total += value;
        if (value > out[count - 1]) {
            int slot = count - 1;
            while (slot > 0 && out[slot - 1] < value) {
                out[slot] = out[slot - 1];
                --slot;
            }
            out[slot] = value;
        }
    }
    double top = 0;
    for (int c = 0; c < count; ++c)
        top += out[c];
    out[count] = static_cast<float>(std::max(0.0, total - top));
}

} // namespace

EENetInputs makeEENetInputs(const Predictions& predictions, const SplitPredictions& split,
                            const ExitData& exitData, ClassView view, const ScoreMatrix* entropyConfidences) {
    const int numExits = predictions.numExits;
    const int numClasses = predictions.numClasses;
    const int numSamples = split.numSamples;
    const bool sorted = view.sorted();
    const int topClasses = view.top;
    const int classColumns = view.columns(numClasses);
    const torch::Tensor probs = torch::from_blob(const_cast<float*>(split.probs.data()),
                                                 {numExits, numSamples, numClasses}, torch::kFloat32);
    torch::Tensor summary = zeros({numExits, numSamples, 2});
    torch::Tensor correct = zeros({numExits, numSamples});
    EENetInputs inputs;
    inputs.assignClassColumns = classColumns;
    inputs.sortedClasses = sorted;
    inputs.features = zeros({numExits, numSamples, classColumns + 1 + numExits});
    auto summaryAccess = summary.accessor<float, 3>();
    auto correctAccess = correct.accessor<float, 2>();
    for (int k = 0; k < numExits; ++k)
        for (int i = 0; i < numSamples; ++i)
            correctAccess[k][i] = exitData.correct(k, i) != 0 ? 1.0f : 0.0f;
    if (!sorted) {
        // h sees P_k itself, and its fixed columns are g's: one tensor serves both.
        for (int k = 0; k < numExits; ++k) {
            for (int i = 0; i < numSamples; ++i) {
                const float* row = split.row(numClasses, k, i);
                // The same max and entropy confidence the scheduler computes at apply time.
                summaryAccess[k][i][0] = *std::max_element(row, row + numClasses);
                summaryAccess[k][i][1] = static_cast<float>(
                    entropyConfidences ? (*entropyConfidences)(k, i) : entropyConfidence(row, numClasses));
            }
        }
        inputs.features.narrow(2, 0, numClasses).copy_(probs);
        inputs.features.narrow(2, numClasses, 2).copy_(summary);
        inputs.base = inputs.features.narrow(2, 0, numClasses + 2);
    } else {
        // g reads P_k where it lies (no copy of the largest array) and the two summary columns apart.
        // The entropy confidence here is a float feature, vectorised: the double value the scheduler
        // computes is only needed for final thresholds (method.md 3.5).
        auto featureAccess = inputs.features.accessor<float, 3>();
        std::vector<float> top(static_cast<size_t>(topClasses) + 1);
        const double logClasses = std::log(static_cast<double>(numClasses));
        for (int k = 0; k < numExits; ++k) {
            const torch::Tensor plogp = torch::xlogy(probs[k], probs[k]).sum(1);
            const float* entropySum = plogp.data_ptr<float>();
            for (int i = 0; i < numSamples; ++i) {
                sortedClassView(split.row(numClasses, k, i), numClasses, topClasses, top.data());
                for (int c = 0; c <= topClasses; ++c)
                    featureAccess[k][i][c] = top[static_cast<size_t>(c)];
                summaryAccess[k][i][0] = top[0];
                summaryAccess[k][i][1] =
                    entropyConfidences
                        ? static_cast<float>((*entropyConfidences)(k, i))
                        : static_cast<float>(1.0 + static_cast<double>(entropySum[i]) / logClasses);
            }
        }
        inputs.features.narrow(2, classColumns, 2).copy_(summary);
        inputs.base = probs;
        inputs.baseSummary = summary;
    }
    inputs.assignFixed = inputs.features.narrow(2, 0, classColumns + 2);
    inputs.correct = correct;
    inputs.outcomeOffset = 1.0 - correct;
    inputs.outcomeSign = 2.0 * correct - 1.0;
    inputs.costs =
        torch::tensor(at::ArrayRef<double>(predictions.costs), torch::kFloat64).to(torch::kFloat32);
    return inputs;
}

EENetModel::EENetModel(int numExits, int numClasses, int assignClassColumns, double hiddenRate,
                       bool sigmoidOutput)
    : m_numExits(numExits)
    , m_numClasses(numClasses)
    , m_assignClassColumns(assignClassColumns)
    , m_sigmoidOutput(sigmoidOutput) {
    TORCH_CHECK(numExits >= 2 && numClasses >= 1 && assignClassColumns >= 1,
                "EENetModel needs at least 2 exits and 1 class");
    const int scoreWidth = numClasses + 1 + numExits;          // g's widest exit (the last)
    const int assignWidth = assignClassColumns + 1 + numExits; // h's widest exit
    int maxHidden = 1;
    for (int k = 0; k < numExits; ++k) {
        m_hidden.push_back(assignmentHiddenUnits(assignClassColumns + 2 + k, hiddenRate));
        maxHidden = std::max(maxHidden, m_hidden.back());
    }
    m_score = zeros({numExits, scoreWidth});
    m_scoreMask = zeros({numExits, scoreWidth});
    m_prevMask = zeros({numExits, std::max(0, numExits - 1)});
    m_w1 = zeros({numExits, assignWidth, maxHidden});
    m_b1 = zeros({numExits, 1, maxHidden});
    m_w2 = zeros({numExits, maxHidden, 1});
    m_b2 = zeros({numExits, 1, 1});
    m_w1Mask = zeros({numExits, assignWidth, maxHidden});
    m_b1Mask = zeros({numExits, 1, maxHidden});
    m_w2Mask = zeros({numExits, maxHidden, 1});
    for (int k = 0; k < numExits; ++k) {
        const int scoreFeatures = numClasses + 2 + k;
        const int assignFeatures = assignClassColumns + 2 + k;
        const int hidden = m_hidden[static_cast<size_t>(k)];
        m_scoreMask[k].index_put_({Slice(0, scoreFeatures)}, 1.0);
        m_prevMask[k].index_put_({Slice(0, k)}, 1.0);
        m_w1Mask[k].index_put_({Slice(0, assignFeatures), Slice(0, hidden)}, 1.0);
        m_b1Mask[k].index_put_({Slice(), Slice(0, hidden)}, 1.0);
        m_w2Mask[k].index_put_({Slice(0, hidden)}, 1.0);
    }
    for (torch::Tensor* parameter : {&m_score, &m_w1, &m_b1, &m_w2, &m_b2})
        parameter->requires_grad_(true);
    for (torch::Tensor* buffer : {&m_baseTerm, &m_activation, &m_gradHidden, &m_logits})
        *buffer = torch::empty({0}, torch::kFloat32);
}

void EENetModel::reset(at::Generator& generator) {
    torch::NoGradGuard noGrad;
    m_score.zero_();
    m_score.index_put_({Slice(), m_numClasses}, 1.0);
    m_w1.zero_();
    m_b1.zero_();
    m_w2.zero_();
    // nn::Linear's default: weights and bias uniform in +-1/sqrt(fan_in), fan_in being the exit's own.
    for (int k = 0; k < m_numExits; ++k) {
        const int features = m_assignClassColumns + 2 + k;
        const int hidden = m_hidden[static_cast<size_t>(k)];
        const double inBound = 1.0 / std::sqrt(static_cast<double>(features));
        const double hiddenBound = 1.0 / std::sqrt(static_cast<double>(hidden));
        m_w1[k].index({Slice(0, features), Slice(0, hidden)}).uniform_(-inBound, inBound, generator);
        m_b1[k].index({Slice(), Slice(0, hidden)}).uniform_(-inBound, inBound, generator);
        m_w2[k].index({Slice(0, hidden)}).uniform_(-hiddenBound, hiddenBound, generator);
        m_b2[k].uniform_(-hiddenBound, hiddenBound, generator);
    }
}

void EENetModel::setAssignmentPrior(const std::vector<double>& prior) {
    torch::NoGradGuard noGrad;
    m_w2.mul_(0.1);
    for (int k = 0; k < m_numExits; ++k)
        m_b2[k].fill_(std::log(std::max(prior[static_cast<size_t>(k)], kMinPrior)));
}

void EENetModel::setScoreWeights(const EENetScheduler& scheduler) {
    TORCH_CHECK(scheduler.numExits == m_numExits && scheduler.numClasses == m_numClasses &&
                    static_cast<int>(scheduler.classWeights.size()) == m_numExits &&
                    static_cast<int>(scheduler.auxWeights.size()) == m_numExits,
                "EENetModel::setScoreWeights: the scheduler has another shape");
    torch::NoGradGuard noGrad;
    torch::Tensor weights = torch::zeros(m_score.sizes(), torch::kFloat64);
    auto access = weights.accessor<double, 2>();
    for (int k = 0; k < m_numExits; ++k) {
        const std::vector<double>& cls = scheduler.classWeights[static_cast<size_t>(k)];
        const std::vector<double>& aux = scheduler.auxWeights[static_cast<size_t>(k)];
        TORCH_CHECK(static_cast<int>(cls.size()) == m_numClasses && static_cast<int>(aux.size()) == 2 + k,
                    "EENetModel::setScoreWeights: exit weights of the wrong length");
        for (int c = 0; c < m_numClasses; ++c)
            access[k][c] = cls[static_cast<size_t>(c)];
        for (int j = 0; j < 2 + k; ++j)
            access[k][m_numClasses + j] = aux[static_cast<size_t>(j)];
    }
    // The scheduler's weights came from float: the conversion back is exact.
    m_score.copy_(weights.to(torch::kFloat32));
}

torch::Tensor EENetModel::scores(const torch::Tensor& base, const torch::Tensor& summary) const {
    const torch::Tensor weights = m_score * m_scoreMask;
    // One matrix-vector product per exit: half the time of a batched product with a single column.
    std::vector<torch::Tensor> direct;
    for (int k = 0; k < m_numExits; ++k) {
        if (summary.defined())
            direct.push_back(torch::mv(base[k], weights[k].narrow(0, 0, m_numClasses)) +
                             torch::mv(summary[k], weights[k].narrow(0, m_numClasses, 2)));
        else
            direct.push_back(torch::mv(base[k], weights[k].narrow(0, 0, m_numClasses + 2)));
    }
    const torch::Tensor previousWeights = weights.narrow(1, m_numClasses + 2, m_numExits - 1) * m_prevMask;
    // The earlier scores are features, not paths for the gradient: compute their values exit by exit
    // without autograd, then apply every exit's weights to them in one product.
    torch::Tensor previous;
    {
        torch::NoGradGuard noGrad;
        const torch::Tensor weightValues = previousWeights.detach().contiguous();
        const float* weight = weightValues.data_ptr<float>();
        std::vector<torch::Tensor> rows;
        for (int k = 0; k + 1 < m_numExits; ++k) {
            torch::Tensor row = direct[static_cast<size_t>(k)].detach().clone();
            for (int j = 0; j < k; ++j)
                row.add_(rows[static_cast<size_t>(j)], weight[k * (m_numExits - 1) + j]);
            rows.push_back(row);
        }
        previous = torch::stack(rows);
    }
    return torch::stack(direct) + torch::mm(previousWeights, previous);
}

torch::Tensor EENetModel::earlierScores(const torch::Tensor& scores) const {
    return scores.detach().narrow(0, 0, m_numExits - 1).t().unsqueeze(0) * m_prevMask.unsqueeze(1);
}

void EENetModel::setEarlierScores(torch::Tensor& features, const torch::Tensor& scores) const {
    torch::NoGradGuard noGrad;
    features.narrow(2, m_assignClassColumns + 2, m_numExits - 1).copy_(earlierScores(scores));
}

torch::Tensor EENetModel::assignmentLogits(const torch::Tensor& features) {
    torch::NoGradGuard noGrad;
    m_activation.resize_({m_numExits, features.size(1), m_w1.size(2)});
    m_activation.copy_(m_b1.expand_as(m_activation));
    m_activation.baddbmm_(features, m_w1).sigmoid_();
    return outputLayer();
}

void EENetModel::assignmentBackward(const torch::Tensor& features, const torch::Tensor& logitGrad) {
    torch::NoGradGuard noGrad;
    const torch::Tensor grad = logitGrad.unsqueeze(2); // [K, n, 1]
    // r = a w2 + b2, a = sigmoid(z), z = b1 + x W1.
    std::vector<torch::Tensor> w2Grad;
    for (int k = 0; k < m_numExits; ++k)
        w2Grad.push_back(torch::mv(m_activation[k].t(), logitGrad[k]));
    m_w2.mutable_grad() = torch::stack(w2Grad).unsqueeze(2) * m_w2Mask;
    m_b2.mutable_grad() = grad.sum(1, true);
    m_gradHidden.resize_as_(m_activation);
    at::mul_out(m_gradHidden, grad, m_w2.transpose(1, 2));
    at::sigmoid_backward_out(m_gradHidden, m_gradHidden, m_activation);
    m_w1.mutable_grad() = torch::bmm(features.transpose(1, 2), m_gradHidden) * m_w1Mask;
    m_b1.mutable_grad() = m_gradHidden.sum(1, true) * m_b1Mask;
}

void EENetModel::freezeAssignmentBaseTerm(const torch::Tensor& assignFixed) {
    torch::NoGradGuard noGrad;
    const torch::Tensor w1 = m_w1.narrow(1, 0, m_assignClassColumns + 2);
    m_baseTerm.resize_({m_numExits, assignFixed.size(1), m_w1.size(2)});
    m_baseTerm.copy_(m_b1.expand_as(m_baseTerm));
    m_baseTerm.baddbmm_(assignFixed, w1);
    // The first exit has no earlier exits: its logits stay as they are until h moves.
    m_activation.resize_as_(m_baseTerm);
    m_activation[0].copy_(m_baseTerm[0]).sigmoid_();
    m_frozenFirstLogits = outputRow(0).clone();
}

torch::Tensor EENetModel::frozenAssignmentLogits(const torch::Tensor& earlier) {
    torch::NoGradGuard noGrad;
    const int later = m_numExits - 1;
    const torch::Tensor w1 = m_w1.narrow(0, 1, later).narrow(1, m_assignClassColumns + 2, later);
    m_activation.resize_as_(m_baseTerm);
    // Each exit's product is its own: exits 2..K alone give what all K would (the earlier exits' columns
    // of the first exit hold zeros, as do their weights).
    torch::Tensor activation = m_activation.narrow(0, 1, later);
    activation.copy_(m_baseTerm.narrow(0, 1, later));
    activation.baddbmm_(earlier.narrow(0, 1, later), w1).sigmoid_();
    m_logits.resize_({m_numExits, m_activation.size(1)});
    m_logits[0].copy_(m_frozenFirstLogits);
    for (int k = 1; k < m_numExits; ++k)
        outputRow(k);
    return m_logits;
}

torch::Tensor EENetModel::outputLayer() {
    m_logits.resize_({m_numExits, m_activation.size(1)});
    for (int k = 0; k < m_numExits; ++k)
        outputRow(k);
    return m_logits;
}

torch::Tensor EENetModel::outputRow(int exit) {
    if (m_logits.dim() != 2 || m_logits.size(1) != m_activation.size(1))
        m_logits.resize_({m_numExits, m_activation.size(1)});
    // The exit's bias, then a w2 (one matrix-vector product per exit).
    torch::Tensor row = m_logits[exit];
    row.copy_(m_b2[exit].view({1}).expand_as(row));
    row.addmv_(m_activation[exit], m_w2[exit].squeeze(1));
    return row;
}

torch::Tensor EENetModel::logExitProbs(const torch::Tensor& logits) const {
    return torch::log_softmax(m_sigmoidOutput ? torch::sigmoid(logits) : logits, 0);
}

EENetScheduler EENetModel::toScheduler() const {
    EENetScheduler s;
    s.numExits = m_numExits;
    s.numClasses = m_numClasses;
    const torch::Tensor weights = m_score.detach().to(torch::kFloat64).contiguous();
    auto access = weights.accessor<double, 2>();
    for (int k = 0; k < m_numExits; ++k) {
        std::vector<double> cls(static_cast<size_t>(m_numClasses));
        std::vector<double> aux(static_cast<size_t>(2 + k));
        for (int c = 0; c < m_numClasses; ++c)
            cls[static_cast<size_t>(c)] = access[k][c];
        for (int a = 0; a < 2 + k; ++a)
            aux[static_cast<size_t>(a)] = access[k][m_numClasses + a];
        s.classWeights.push_back(std::move(cls));
        s.auxWeights.push_back(std::move(aux));
    }
    return s;
}

torch::Tensor weightedBceLoss(const torch::Tensor& clampedScores, const torch::Tensor& correct,
                              const torch::Tensor& exitProbs) {
    const torch::Tensor p = exitProbs.detach();
    const torch::Tensor weights = p / p.sum(1, true);
    const double numExits = static_cast<double>(clampedScores.size(0));
    return torch::binary_cross_entropy(clampedScores, correct, weights, at::Reduction::Sum) / numExits;
}

torch::Tensor outcomeLog(const torch::Tensor& clampedScores, const EENetInputs& inputs) {
    // (1 - a) + (2a - 1) q is exactly q or 1 - q: vectorised kernels, several times faster than torch's
    // scalar BCE kernel or torch::where.
    return torch::addcmul(inputs.outcomeOffset, inputs.outcomeSign, clampedScores).log();
}

torch::Tensor weightedBceLoss(const torch::Tensor& outcomeLog, const torch::Tensor& exitProbs) {
    const torch::Tensor p = exitProbs.detach();
    const torch::Tensor weights = p / p.sum(1, true);
    return -(weights * outcomeLog).sum() / static_cast<double>(outcomeLog.size(0));
}

torch::Tensor klAlignmentLoss(const torch::Tensor& logExitProbs, const torch::Tensor& scores) {
    return klAlignmentLoss(logExitProbs, klTarget(scores));
}

KlTarget klTarget(const torch::Tensor& scores) {
    const torch::Tensor shifted = scores.detach().clamp(0.0, 1.0) + kKlEpsilon;
    const torch::Tensor target = shifted / shifted.sum(0, true);
    return {target, target.log()};
}

torch::Tensor klAlignmentLoss(const torch::Tensor& logExitProbs, const KlTarget& target) {
    return (target.target * (target.logTarget - logExitProbs)).mean();
}

torch::Tensor expectedCost(const torch::Tensor& exitProbs, const torch::Tensor& costs) {
    return (exitProbs.mean(1) * costs).sum();
}

torch::Tensor costLoss(const torch::Tensor& exitProbs, const torch::Tensor& costs, double budget) {
    return costLossOf(expectedCost(exitProbs, costs), budget);
}

torch::Tensor costLossOf(const torch::Tensor& expectedCost, double budget) {
    return (expectedCost - budget).abs() / budget;
}

ScoreMatrix toScoreMatrix(const torch::Tensor& values) {
    const torch::Tensor contiguous = values.detach().to(torch::kFloat64).contiguous();
    return Eigen::Map<const ScoreMatrix>(contiguous.data_ptr<double>(), contiguous.size(0),
                                         contiguous.size(1));
}

std::vector<double> budgetMatchedDistribution(const ScoreMatrix& logits, const std::vector<double>& costs,
                                              double budget) {
    const TiltedDistribution tilted(logits, costs);
    // The expected cost falls as lambda rises (mass moves to cheap exits): bracket the root, then solve.
    constexpr double kLimit = 1e6;
    double low = 0;
    double high = 0;
    if (tilted.cost(tilted.pBar(0)) > budget) {
        high = 1;
        while (tilted.cost(tilted.pBar(high)) > budget && high < kLimit) {
            low = high;
            high *= 2;
        }
    } else {
        low = -1;
        while (tilted.cost(tilted.pBar(low)) < budget && low > -kLimit) {
            high = low;
            low *= 2;
        }
    }
    double lowExcess = tilted.cost(tilted.pBar(low)) - budget;
    double highExcess = tilted.cost(tilted.pBar(high)) - budget;
    // A budget at c_1 or c_K is only reached in the limit: the bracket end is as close as it gets.
    if (lowExcess <= 0 || highExcess >= 0)
        return tilted.pBar(std::abs(lowExcess) < std::abs(highExcess) ? low : high);
    // Illinois regula falsi: bisection's guarantee, a handful of evaluations instead of ~50.
    int lastMoved = 0;
    for (int iteration = 0; iteration < 100; ++iteration) {
        const double lambda = (low * highExcess - high * lowExcess) / (highExcess - lowExcess);
        const std::vector<double> pBar = tilted.pBar(lambda);
        const double excess = tilted.cost(pBar) - budget;
        if (std::abs(excess) <= 1e-12 * budget || !(lambda > low && lambda < high))
            return pBar;
        if (excess > 0) {
            low = lambda;
            lowExcess = excess;
            if (lastMoved == 1)
                highExcess /= 2;
            lastMoved = 1;
        } else {
            high = lambda;
            highExcess = excess;
            if (lastMoved == -1)
                lowExcess /= 2;
            lastMoved = -1;
        }
    }
    return tilted.pBar(std::abs(lowExcess) < std::abs(highExcess) ? low : high);
}

} // namespace eenet
