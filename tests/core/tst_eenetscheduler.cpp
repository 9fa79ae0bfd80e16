#include "Error.h"
#include "data/SyntheticPredictions.h"
#include "policy/ConfidenceScores.h"
#include "policy/EENetScheduler.h"
#include "policy/PolicyEvaluation.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace eenet;

namespace {

/// The authors' shipped CIFAR-10 scheduler and its input (docs/method.md 3.7).
EENetScheduler paritySchedulerCifar10() {
    EENetScheduler s;
    s.numExits = 3;
    s.numClasses = 10;
    s.classWeights = {{0.102523, 0.084595, 0.0916303, 0.108204, 0.035508, -0.199453, 0.171138, 0.068204,
                       0.140388, 0.232138},
                      {0.00818161, 0.0783598, -0.0281711, 0.0588651, 0.0306194, 0.0393396, -0.0278996,
                       0.124038, 0.0224859, 0.0669671},
                      {-0.192114, 0.0986104, -0.0548218, -0.153073, -0.082965, -0.0907063, -0.0383023,
                       -0.113758, -0.12063, -0.10297}};
    s.auxWeights = {
        {0.934487, -0.0445663}, {0.81442, -0.114886, 0.15897}, {0.740277, -0.166781, 0.153713, 0.147599}};
    s.thresholds = {0.568309, 0.596089, -std::numeric_limits<double>::infinity()};
    return s;
}

SplitPredictions parityInput() {
    const double sharpness[3] = {0.6, 0.9, 1.2};
    SplitPredictions split;
    split.numSamples = 1;
    split.labels = {0};
    for (double s : sharpness) {
        std::vector<double> e(10, 1.0);
        e[0] = std::exp(4 * s);
        e[1] = std::exp(s);
        double sum = 0;
        for (double v : e)
            sum += v;
        for (double v : e)
            split.probs.push_back(static_cast<float>(v / sum));
    }
    return split;
}

} // namespace

class TestEENetScheduler : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesTheAuthorsParityVector();
    void parityVectorLeavesAtTheFirstExit();
    void maxProbInitialisedScoresAreMaxProb();
    void scoreAgreesWithScores();
    void rejectsMismatchedShapes_data();
    void rejectsMismatchedShapes();
    void givenEntropyConfidencesGiveTheSameScores();
};

void TestEENetScheduler::matchesTheAuthorsParityVector() {
    const SplitPredictions split = parityInput();
    const double expectedMax[3] = {0.5288, 0.7777, 0.9148};
    const double expectedScore[3] = {0.57549, 0.67666, 0.55367};
    const ScoreMatrix q = paritySchedulerCifar10().scores(split);
    QCOMPARE(q.rows(), 3);
    QCOMPARE(q.cols(), 1);
    for (int k = 0; k < 3; ++k) {
        const float* row = split.row(10, k, 0);
        const double maxProb = *std::max_element(row, row + 10);
        QVERIFY2(std::abs(maxProb - expectedMax[k]) < 1e-4,
                 qPrintable(QString("max P_%1 = %2").arg(k + 1).arg(maxProb)));
        QVERIFY2(
            std::abs(q(k, 0) - expectedScore[k]) < 1e-4,
            qPrintable(
                QString("q^_%1 = %2, expected %3").arg(k + 1).arg(q(k, 0), 0, 'f', 6).arg(expectedScore[k])));
    }
}

void TestEENetScheduler::parityVectorLeavesAtTheFirstExit() {
    const EENetScheduler s = paritySchedulerCifar10();
    const std::vector<int> exits = exitsFromThresholds(s.scores(parityInput()), s.thresholds);
    QCOMPARE(exits, std::vector<int>{0});
}

void TestEENetScheduler::maxProbInitialisedScoresAreMaxProb() {
    const Predictions p = makeSyntheticPredictions({4, 10, 500, 0, 3});
    const EENetScheduler s = EENetScheduler::maxProbInitialised(p.numExits, p.numClasses);
    QCOMPARE(s.thresholds.size(), size_t(4));
    QVERIFY(std::isinf(s.thresholds.back()) && s.thresholds.back() < 0);
    const ScoreMatrix q = s.scores(p.val);
    for (int k = 0; k < p.numExits; ++k) {
        for (int i = 0; i < p.val.numSamples; ++i) {
            const float* row = p.val.row(p.numClasses, k, i);
            QCOMPARE(q(k, i), static_cast<double>(*std::max_element(row, row + p.numClasses)));
        }
    }
}

void TestEENetScheduler::scoreAgreesWithScores() {
    const EENetScheduler s = paritySchedulerCifar10();
    const SplitPredictions split = parityInput();
    const ScoreMatrix q = s.scores(split);
    std::vector<double> previous;
    for (int k = 0; k < 3; ++k) {
        QCOMPARE(s.score(k, split.row(10, k, 0), previous.data()), q(k, 0));
        previous.push_back(q(k, 0));
    }
}

void TestEENetScheduler::rejectsMismatchedShapes_data() {
    QTest::addColumn<int>("breakage");
    QTest::newRow("class weights too short") << 0;
    QTest::newRow("aux weights too long") << 1;
    QTest::newRow("missing exit") << 2;
    QTest::newRow("predictions of another shape") << 3;
}

void TestEENetScheduler::rejectsMismatchedShapes() {
    QFETCH(int, breakage);
    EENetScheduler s = paritySchedulerCifar10();
    SplitPredictions split = parityInput();
    switch (breakage) {
    case 0:
        s.classWeights[1].pop_back();
        break;
    case 1:
        s.auxWeights[0].push_back(0.0);
        break;
    case 2:
        s.auxWeights.pop_back();
        break;
    default:
        split.probs.pop_back();
        break;
    }
    QVERIFY_THROWS_EXCEPTION(ArgumentError, s.scores(split));
}

void TestEENetScheduler::givenEntropyConfidencesGiveTheSameScores() {
    // Fits and the evaluator pass the entropy confidences computed once; the scores must not change in
    // the last bit, since thresholds sit exactly on one sample's score.
    const Predictions p = makeSyntheticPredictions({4, 10, 500, 0, 3});
    EENetScheduler s = EENetScheduler::maxProbInitialised(4, 10);
    double value = 0.3;
    for (int k = 0; k < 4; ++k) {
        for (double& w : s.classWeights[static_cast<size_t>(k)])
            w = value = std::fmod(value * 7.13 + 0.17, 1.0) - 0.5;
        for (double& w : s.auxWeights[static_cast<size_t>(k)])
            w = value = std::fmod(value * 7.13 + 0.17, 1.0) - 0.5;
    }
    QVERIFY(s.auxWeights[0][1] != 0.0); // the entropy term counts
    const ScoreMatrix given = s.scores(p.val, entropyScores(p.val, p.numClasses));
    QVERIFY(given == s.scores(p.val));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, s.scores(p.val, ScoreMatrix::Zero(3, 500)));
}

QTEST_GUILESS_MAIN(TestEENetScheduler)
#include "tst_eenetscheduler.moc"
