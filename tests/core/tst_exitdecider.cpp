#include "Error.h"
#include "TestData.h"
#include "eval/TemperatureScaling.h"
#include "io/PredictionsReader.h"
#include "policy/DeployedPolicy.h"
#include "policy/ExitDecider.h"
#include "policy/ThresholdSolver.h"

#include <QTest>

#include <cmath>
#include <numeric>
#include <random>
#include <set>

using namespace eenet;

namespace {

using Score = DeployedPolicy::Score;

/// Exits the decider gives `split`'s samples fed batch by batch as a compacting runtime feeds it: at exit k
/// only the rows of the samples still running, gathered into one contiguous block.
std::vector<int> decidedExits(ExitDecider& decider, const SplitPredictions& split, int batchSize) {
    const int classes = decider.numClasses();
    std::vector<int> exits(static_cast<size_t>(split.numSamples), -1);
    std::vector<float> rows;
    std::vector<std::uint8_t> leaves;
    for (int first = 0; first < split.numSamples; first += batchSize) {
        const int n = std::min(batchSize, split.numSamples - first);
        decider.startBatch(n);
        std::vector<int> sampleSlots(static_cast<size_t>(n));
        std::iota(sampleSlots.begin(), sampleSlots.end(), 0);
        for (int k = 0; k < decider.numExits() && !sampleSlots.empty(); ++k) {
            rows.clear();
            for (int slot : sampleSlots) {
                const float* row = split.row(classes, k, first + slot);
                rows.insert(rows.end(), row, row + classes);
            }
            decider.decide(k, rows.data(), static_cast<int>(sampleSlots.size()), sampleSlots.data(), leaves);
            std::vector<int> staying;
            for (size_t r = 0; r < sampleSlots.size(); ++r) {
                if (leaves[r])
                    exits[static_cast<size_t>(first + sampleSlots[r])] = k;
                else
                    staying.push_back(sampleSlots[r]);
            }
            sampleSlots = std::move(staying);
        }
    }
    return exits;
}

/// Random EENet weights (fixed seed): the equality holds for any weights, trained or not.
EENetScheduler randomEENet(int exits, int classes) {
    std::mt19937 random(5);
    std::normal_distribution<double> normal(0.0, 0.5);
    EENetScheduler s = EENetScheduler::maxProbInitialised(exits, classes);
    for (auto& row : s.classWeights)
        for (double& w : row)
            w = normal(random);
    for (auto& row : s.auxWeights)
        for (double& w : row)
            w = normal(random);
    return s;
}

} // namespace

/// The incremental decider an early-exit runtime calls exit by exit takes exactly the exits of
/// DeployedPolicy::exits (what `eenet-cli apply` writes) on the shipped sample, for every score type, with
/// and without temperatures and at any batch size: what makes `eenet-cli run` decide as `apply`.
class TestExitDecider : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void equalsDeployedPolicyExits_data();
    void equalsDeployedPolicyExits();
    void refusesMalformedPolicies();

private:
    std::shared_ptr<const Predictions> m_predictions;
    std::vector<double> m_temperatures;
};

void TestExitDecider::initTestCase() {
    m_predictions = readPredictions(test::samplePath().toStdString());
    m_temperatures = temperaturesOf(fitTemperatures(*m_predictions));
}

void TestExitDecider::equalsDeployedPolicyExits_data() {
    QTest::addColumn<int>("score");
    QTest::addColumn<bool>("calibrated");
    for (bool calibrated : {false, true})
        for (Score score : {Score::EENet, Score::MaxProb, Score::Entropy, Score::Patience, Score::Agreement})
            QTest::newRow(((calibrated ? "calibrated " : "") + scoreName(score)).c_str())
                << static_cast<int>(score) << calibrated;
}

void TestExitDecider::equalsDeployedPolicyExits() {
    QFETCH(int, score);
    QFETCH(bool, calibrated);
    const Predictions& p = *m_predictions;
    DeployedPolicy policy;
    policy.score = static_cast<Score>(score);
    policy.numExits = p.numExits;
    policy.numClasses = p.numClasses;
    policy.eenet = randomEENet(p.numExits, p.numClasses);
    if (calibrated)
        policy.temperatures = m_temperatures;
    policy.thresholds = exportThresholds(thresholdsFromDistribution(
        policy.scores(p.val), geometricDistributionForBudget(p.costs, test::budgetAt(p, 0.3))));

    for (const SplitPredictions* split : {&p.val, &*p.test}) {
        const std::vector<int> expected = policy.exits(*split);
        QVERIFY2(std::set<int>(expected.begin(), expected.end()).size() == static_cast<size_t>(p.numExits),
                 "every exit should take some samples");
        ExitDecider decider(policy);
        for (int batch : {1, 7, 64, split->numSamples})
            QVERIFY2(decidedExits(decider, *split, batch) == expected, qPrintable(QString::number(batch)));
    }
}

void TestExitDecider::refusesMalformedPolicies() {
    DeployedPolicy policy;
    policy.numExits = 3;
    policy.numClasses = 4;
    policy.thresholds = {0.5, -INFINITY};
    QVERIFY_THROWS_EXCEPTION(ArgumentError, ExitDecider{policy});
    policy.thresholds = {0.5, 0.5, -INFINITY};
    policy.temperatures = {1.0, 0.0, 1.0};
    QVERIFY_THROWS_EXCEPTION(ArgumentError, ExitDecider{policy});
    policy.temperatures.clear();
    policy.score = Score::EENet;
    policy.eenet = randomEENet(2, 4);
    QVERIFY_THROWS_EXCEPTION(ArgumentError, ExitDecider{policy});
}

QTEST_GUILESS_MAIN(TestExitDecider)
#include "tst_exitdecider.moc"
