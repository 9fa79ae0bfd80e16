#include "policy/ConfidenceScores.h"
#include "policy/PolicyEvaluation.h"

#include <QTest>

#include <cmath>

using namespace eenet;

class TestConfidenceScores : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void maxProbAndEntropy();
    void entropyWithExactZeros();
    void patienceAndAgreementOnAHandMadeCase();
    void evaluationFigures();
};

namespace {

/// K exits x N samples x C = 3 classes, every row given.
SplitPredictions makeSplit(const std::vector<std::vector<std::vector<float>>>& rows,
                           std::vector<int> labels) {
    SplitPredictions split;
    split.numSamples = static_cast<int>(rows[0].size());
    for (const auto& exit : rows)
        for (const auto& row : exit)
            split.probs.insert(split.probs.end(), row.begin(), row.end());
    split.labels = std::move(labels);
    return split;
}

} // namespace

void TestConfidenceScores::maxProbAndEntropy() {
    const auto split = makeSplit(
        {{{0.5f, 0.3f, 0.2f}, {1.f / 3, 1.f / 3, 1.f / 3}}, {{0.1f, 0.8f, 0.1f}, {0.f, 0.f, 1.f}}}, {0, 2});
    const ScoreMatrix maxProb = maxProbScores(split, 3);
    QCOMPARE(maxProb(0, 0), double(0.5f));
    QCOMPARE(maxProb(1, 1), 1.0);
    const ScoreMatrix entropy = entropyScores(split, 3);
    const double h = 0.5 * std::log(0.5) + 0.3 * std::log(0.3) + 0.2 * std::log(0.2);
    QVERIFY(std::abs(entropy(0, 0) - (1 + h / std::log(3.0))) < 1e-6);
    QVERIFY(std::abs(entropy(0, 1)) < 1e-6); // uniform -> 0
}

void TestConfidenceScores::entropyWithExactZeros() {
    const float oneHot[3] = {0.f, 1.f, 0.f};
    QCOMPARE(entropyConfidence(oneHot, 3), 1.0);
    const float half[4] = {0.5f, 0.f, 0.5f, 0.f};
    const double value = entropyConfidence(half, 4);
    QVERIFY(std::isfinite(value));
    QVERIFY(std::abs(value - 0.5) < 1e-12); // 1 - log 2 / log 4
}

void TestConfidenceScores::patienceAndAgreementOnAHandMadeCase() {
    // One sample, 4 exits predicting classes 0, 1, 1, 0.
    const auto split = makeSplit(
        {{{0.6f, 0.3f, 0.1f}}, {{0.2f, 0.7f, 0.1f}}, {{0.1f, 0.8f, 0.1f}}, {{0.9f, 0.05f, 0.05f}}}, {1});
    const ScoreMatrix patience = patienceScores(split, 3);
    const ScoreMatrix agreement = agreementScores(split, 3);
    const double tie = 1e-3;
    // patience: runs of equal predictions ending at k: 1, 1, 2, 1 -> divided by k.
    QVERIFY(std::abs(patience(0, 0) - (1.0 / 1 + tie * 0.6)) < 1e-7);
    QVERIFY(std::abs(patience(1, 0) - (1.0 / 2 + tie * 0.7)) < 1e-7);
    QVERIFY(std::abs(patience(2, 0) - (2.0 / 3 + tie * 0.8)) < 1e-7);
    QVERIFY(std::abs(patience(3, 0) - (1.0 / 4 + tie * 0.9)) < 1e-7);
    // agreement: exits j <= k agreeing with exit k: 1, 1, 2, 2 -> divided by k.
    QVERIFY(std::abs(agreement(0, 0) - (1.0 / 1 + tie * 0.6)) < 1e-7);
    QVERIFY(std::abs(agreement(1, 0) - (1.0 / 2 + tie * 0.7)) < 1e-7);
    QVERIFY(std::abs(agreement(2, 0) - (2.0 / 3 + tie * 0.8)) < 1e-7);
    QVERIFY(std::abs(agreement(3, 0) - (2.0 / 4 + tie * 0.9)) < 1e-7);
}

void TestConfidenceScores::evaluationFigures() {
    ExitData data;
    data.numExits = 2;
    data.numSamples = 4;
    data.numClasses = 2;
    data.costs = {1, 3};
    data.labels = {0, 1, 1, 0};
    data.predictions.resize(2, 4);
    data.predictions << 0, 0, 1, 1, 0, 1, 1, 1;
    data.correct.resize(2, 4);
    data.correct << 1, 0, 1, 0, 1, 1, 1, 0;
    ScoreMatrix scores(2, 4);
    scores << 0.9, 0.2, 0.6, 0.4, 0, 0, 0, 0;
    const PolicyOutcome outcome = evaluatePolicy(scores, {0.5, -1e300}, data);
    const std::vector<int> exits{0, 1, 0, 1};
    QCOMPARE(outcome.exitOf, exits);
    QCOMPARE(outcome.accuracyPercent, 75.0);
    QCOMPARE(outcome.cost, 2.0);
    QCOMPARE(outcome.exitFractions, (std::vector<double>{0.5, 0.5}));
    QCOMPARE(outcome.perExitAccuracyPercent, (std::vector<double>{100.0, 50.0}));
    QCOMPARE(outcome.perClassExitFractions(0, 0), 0.5);
    QCOMPARE(outcome.perClassExitFractions(1, 1), 0.5);
}

QTEST_GUILESS_MAIN(TestConfidenceScores)
#include "tst_confidencescores.moc"
