// The threshold search's guarantees (docs/method.md 6.4): within the budget on validation, never less
// accurate on validation at a larger budget, the same answer alone as in a sweep, and moves away from the
// protocol taken only when validation supports them.

#include "TestData.h"
#include "data/SyntheticPredictions.h"
#include "eval/CurveSweep.h"
#include "eval/Evaluator.h"
#include "io/PredictionsReader.h"
#include "policy/ConfidenceScores.h"
#include "policy/EENetTrainer.h"
#include "policy/PolicyEvaluation.h"
#include "policy/ThresholdSolver.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace eenet;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// A validation split with random scores and correctness that rises with the exit and the score, so the
/// search has something to find; `levels` > 0 rounds the scores to that many values (ties).
struct RandomCase {
    ScoreMatrix scores;
    ExitData data;
};

RandomCase randomCase(unsigned seed, int exits, int samples, int levels) {
    std::mt19937 random(seed);
    std::uniform_real_distribution<double> uniform(0, 1);
    RandomCase c;
    c.scores.resize(exits, samples);
    c.data.numExits = exits;
    c.data.numSamples = samples;
    c.data.numClasses = 2;
    c.data.predictions = LabelMatrix::Zero(exits, samples);
    c.data.correct.resize(exits, samples);
    c.data.labels.assign(static_cast<size_t>(samples), 0);
    double cost = 0;
    for (int k = 0; k < exits; ++k) {
        c.data.costs.push_back(cost += 0.1 + uniform(random));
        for (int i = 0; i < samples; ++i) {
            double score = uniform(random);
            if (levels > 0)
                score = std::round(score * levels) / levels;
            c.scores(k, i) = score;
            c.data.correct(k, i) = uniform(random) < 0.3 + 0.6 * score * (k + 1) / exits ? 1 : 0;
        }
    }
    return c;
}

std::vector<double> budgetsOf(const std::vector<double>& costs, int count) {
    std::vector<double> budgets;
    for (int i = 0; i < count; ++i)
        budgets.push_back(i + 1 == count ? costs.back()
                                         : costs.front() + (costs.back() - costs.front()) * i / (count - 1));
    return budgets;
}

long correctCount(const PolicyOutcome& outcome, int samples) {
    return std::lround(outcome.accuracyPercent * samples / 100.0);
}

/// Fails the calling test unless, over `budgets` in increasing order, the searched policy stays within
/// each budget on `data` and its validation correct count never falls.
void checkSweep(const ScoreMatrix& scores, const ExitData& data, const std::vector<double>& budgets) {
    long previous = -1;
    for (double budget : budgets) {
        const std::vector<double> thresholds = searchThresholds(scores, data, budget);
        QCOMPARE(thresholds.size(), static_cast<size_t>(data.numExits));
        QCOMPARE(thresholds.back(), -kInf);
        const PolicyOutcome outcome = evaluatePolicy(scores, thresholds, data);
        QVERIFY2(outcome.cost <= budget * (1 + 1e-9),
                 qPrintable(QString("cost %1 above budget %2").arg(outcome.cost).arg(budget)));
        const long correct = correctCount(outcome, data.numSamples);
        QVERIFY2(correct >= previous, qPrintable(QString("budget %1: %2 correct, %3 at the budget before")
                                                     .arg(budget)
                                                     .arg(correct)
                                                     .arg(previous)));
        previous = correct;
    }
}

} // namespace

class TestThresholdSearch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void staysWithinTheBudgetAndNeverLosesAccuracyAsItGrows_data();
    void staysWithinTheBudgetAndNeverLosesAccuracyAsItGrows();
    void heuristicScoresOfAModel_data();
    void heuristicScoresOfAModel();
    void learnedScores();
    void aBudgetAloneGetsWhatASweepGets();
    void rememberedCandidatesBelongToTheirScores();
    void aThresholdOnTwoSamplesIsNotTaken();
    void aWellSupportedMoveIsTaken();
    void eenetOptNeverFallsOverASweepOfFits();
    void aBetterSmallerBudgetChoiceIsCarriedForward();
};

void TestThresholdSearch::staysWithinTheBudgetAndNeverLosesAccuracyAsItGrows_data() {
    QTest::addColumn<unsigned>("seed");
    QTest::addColumn<int>("exits");
    QTest::addColumn<int>("samples");
    QTest::addColumn<int>("levels");
    QTest::newRow("2 exits") << 1u << 2 << 500 << 0;
    QTest::newRow("3 exits, ties") << 2u << 3 << 800 << 10;
    QTest::newRow("4 exits") << 3u << 4 << 1200 << 0;
    QTest::newRow("4 exits, heavy ties") << 4u << 4 << 1000 << 3;
    QTest::newRow("5 exits") << 5u << 5 << 700 << 0;
    QTest::newRow("6 exits, ties") << 6u << 6 << 900 << 50;
    QTest::newRow("3 exits, 40 samples") << 7u << 3 << 40 << 0;
}

void TestThresholdSearch::staysWithinTheBudgetAndNeverLosesAccuracyAsItGrows() {
    QFETCH(unsigned, seed);
    QFETCH(int, exits);
    QFETCH(int, samples);
    QFETCH(int, levels);
    const RandomCase c = randomCase(seed, exits, samples, levels);
    std::vector<double> budgets = budgetsOf(c.data.costs, 20);
    // And budgets off any grid, in increasing order.
    std::mt19937 random(seed);
    std::uniform_real_distribution<double> uniform(c.data.costs.front(), c.data.costs.back());
    for (int i = 0; i < 8; ++i)
        budgets.push_back(uniform(random));
    std::sort(budgets.begin(), budgets.end());
    checkSweep(c.scores, c.data, budgets);
}

void TestThresholdSearch::heuristicScoresOfAModel_data() {
    QTest::addColumn<int>("measure");
    for (ConfidenceMeasure m : {ConfidenceMeasure::MaxProb, ConfidenceMeasure::Entropy,
                                ConfidenceMeasure::Patience, ConfidenceMeasure::Agreement})
        QTest::newRow(measureName(m).c_str()) << static_cast<int>(m);
}

void TestThresholdSearch::heuristicScoresOfAModel() {
    QFETCH(int, measure);
    const Predictions p = makeSyntheticPredictions({4, 10, 2000, 0, 17});
    const ExitData data = makeExitData(p, p.val);
    checkSweep(confidenceScores(static_cast<ConfidenceMeasure>(measure), p.val, p.numClasses), data,
               budgetsOf(p.costs, 30));
}

void TestThresholdSearch::learnedScores() {
    // eenet-opt searches a trained scheduler's scores; with one scheduler (the studio between trained
    // budgets) the guarantees hold as for any score.
    const Predictions p = makeSyntheticPredictions({3, 10, 1500, 0, 5});
    const EENetFit fit = trainEENet(p, p.costs.front() + 0.4 * (p.costs.back() - p.costs.front()));
    checkSweep(fit.scheduler.scores(p.val), makeExitData(p, p.val), budgetsOf(p.costs, 25));
}

void TestThresholdSearch::aBudgetAloneGetsWhatASweepGets() {
    const RandomCase c = randomCase(11, 4, 1500, 0);
    const std::vector<double> budgets = budgetsOf(c.data.costs, 20);
    std::vector<std::vector<double>> sweep;
    for (double budget : budgets)
        sweep.push_back(searchThresholds(c.scores, c.data, budget));
    // Each budget again on its own, in the other order, as slider moves would ask for them: once from the
    // candidates the sweep left, once collecting them afresh.
    for (size_t i = budgets.size(); i-- > 0;) {
        QCOMPARE(searchThresholds(c.scores, c.data, budgets[i]), sweep[i]);
        forgetThresholdSearches();
        QCOMPARE(searchThresholds(c.scores, c.data, budgets[i]), sweep[i]);
    }
}

void TestThresholdSearch::rememberedCandidatesBelongToTheirScores() {
    RandomCase c = randomCase(12, 4, 1500, 0);
    const double budget = budgetsOf(c.data.costs, 5)[2];
    const std::vector<double> before = searchThresholds(c.scores, c.data, budget);
    auto fresh = [&] {
        forgetThresholdSearches();
        return searchThresholds(c.scores, c.data, budget);
    };
    // The same matrix, changed in place (same address, same shape): its own thresholds, not the ones
    // remembered for what it held before.
    c.scores.row(1).reverseInPlace();
    const std::vector<double> changedScores = searchThresholds(c.scores, c.data, budget);
    QVERIFY(changedScores != before);
    QCOMPARE(changedScores, fresh());
    // The same scores with other outcomes.
    for (int i = 0; i < c.data.numSamples; i += 3)
        c.data.correct(2, i) = c.data.correct(2, i) ? 0 : 1;
    const std::vector<double> changedOutcomes = searchThresholds(c.scores, c.data, budget);
    QVERIFY(changedOutcomes != changedScores);
    QCOMPARE(changedOutcomes, fresh());
    // And a copy of remembered scores (another address, the same contents) gets the same thresholds.
    const ScoreMatrix copy = c.scores;
    QCOMPARE(searchThresholds(copy, c.data, budget), changedOutcomes);
}

void TestThresholdSearch::aThresholdOnTwoSamplesIsNotTaken() {
    // Two exits costing 1 and 2, 1000 samples scored (i + 0.5) / 1000 at exit 1. Exit 1 is right on the
    // upper half, exit 2 on everyone, except two "lucky" samples just below the protocol's cut (498 and
    // 499), right only at exit 1. At budget 1.5 the protocol sends the upper half to exit 1: 998 correct.
    // Moving its threshold down by two samples gains both lucky ones (1000 correct, cheaper); it rests on
    // two samples, less than two paired standard errors (2 < 2 sqrt 2), and must not be taken.
    const int n = 1000;
    ScoreMatrix scores(2, n);
    ExitData data;
    data.numExits = 2;
    data.numSamples = n;
    data.numClasses = 2;
    data.predictions = LabelMatrix::Zero(2, n);
    data.correct.resize(2, n);
    data.labels.assign(static_cast<size_t>(n), 0);
    data.costs = {1, 2};
    for (int i = 0; i < n; ++i) {
        const bool lucky = i == 498 || i == 499;
        scores(0, i) = (i + 0.5) / n;
        scores(1, i) = 0;
        data.correct(0, i) = i >= 500 || lucky ? 1 : 0;
        data.correct(1, i) = lucky ? 0 : 1;
    }
    const PolicyOutcome protocol = evaluatePolicy(
        scores, thresholdsFromDistribution(scores, geometricDistributionForBudget(data.costs, 1.5)), data);
    QCOMPARE(correctCount(protocol, n), 998L);
    const PolicyOutcome searched = evaluatePolicy(scores, searchThresholds(scores, data, 1.5), data);
    QVERIFY(searched.cost <= 1.5 * (1 + 1e-9));
    QVERIFY(correctCount(searched, n) >= 998);
    QVERIFY2(correctCount(searched, n) < 1000, "the threshold resting on the two lucky samples was taken");
}

void TestThresholdSearch::aWellSupportedMoveIsTaken() {
    // Three exits costing 1, 2, 3, 2000 samples. Exit 2 is wrong on everyone, exit 3 right on everyone,
    // exit 1 right on the upper half of its scores. The protocol at budget 2 sends a third of the samples
    // to exit 2 (about 67 % correct); closing exit 2 and sending the upper half to exit 1 is right on
    // everyone at the same cost. Closing exit 2 flips hundreds of samples the same way: far beyond two
    // standard errors, so the search takes it.
    const int n = 2000;
    ScoreMatrix scores(3, n);
    ExitData data;
    data.numExits = 3;
    data.numSamples = n;
    data.numClasses = 2;
    data.predictions = LabelMatrix::Zero(3, n);
    data.correct.resize(3, n);
    data.labels.assign(static_cast<size_t>(n), 0);
    data.costs = {1, 2, 3};
    for (int i = 0; i < n; ++i) {
        scores(0, i) = scores(1, i) = (i + 0.5) / n;
        scores(2, i) = 0;
        data.correct(0, i) = i >= n / 2 ? 1 : 0;
        data.correct(1, i) = 0;
        data.correct(2, i) = 1;
    }
    const PolicyOutcome protocol = evaluatePolicy(
        scores, thresholdsFromDistribution(scores, geometricDistributionForBudget(data.costs, 2.0)), data);
    QVERIFY2(protocol.accuracyPercent < 70, qPrintable(QString::number(protocol.accuracyPercent)));
    const PolicyOutcome searched = evaluatePolicy(scores, searchThresholds(scores, data, 2.0), data);
    QVERIFY(searched.cost <= 2.0 * (1 + 1e-9));
    QVERIFY2(searched.accuracyPercent >= 98, qPrintable(QString::number(searched.accuracyPercent)));
}

void TestThresholdSearch::eenetOptNeverFallsOverASweepOfFits() {
    // Each budget of an eenet-opt sweep has its own EENet fit, so a search monotone on one fit's scores is
    // not enough; on the sample it used to fall (93.19 -> 93.15 % on val) between two fits.
    Evaluator evaluator(readPredictions(test::samplePath().toStdString()));
    const Method method = *Method::parse("eenet-opt");
    double previous = -1;
    int carried = 0;
    for (double budget : evaluator.sweepBudgets(20)) {
        const std::vector<MethodResult> results =
            evaluator.evaluate(method, budget, {Split::Val, Split::Test});
        const PolicyOutcome& val = results.front().outcome;
        QVERIFY2(
            val.accuracyPercent >= previous,
            qPrintable(
                QStringLiteral("%1 %% < %2 %% at %3").arg(val.accuracyPercent).arg(previous).arg(budget)));
        QVERIFY(val.cost <= budget * (1 + 1e-9));
        QCOMPARE(results.back().budget, std::optional<double>(budget));
        carried += val.accuracyPercent == previous ? 1 : 0;
        previous = val.accuracyPercent;
    }
    QVERIFY(carried > 0); // the sample has such a fall: the carry-forward must have been used
}

void TestThresholdSearch::aBetterSmallerBudgetChoiceIsCarriedForward() {
    const auto point = [](Split split, double budget, double accuracy, double cost) {
        MethodResult r;
        r.method = "eenet-opt";
        r.split = split;
        r.budget = budget;
        r.outcome.accuracyPercent = accuracy;
        r.outcome.cost = cost;
        r.thresholds = {accuracy, -1};
        return r;
    };
    Curve curve{
        "eenet-opt",
        {point(Split::Val, 1, 90, 0.9), point(Split::Val, 2, 89, 1.9), point(Split::Val, 3, 91, 2.5)},
        {point(Split::Test, 1, 88, 1.0), point(Split::Test, 2, 89, 2.0), point(Split::Test, 3, 90, 2.6)}};
    keepBetterSmallerBudgetChoices(curve);
    // The budget-2 point takes the budget-1 policy, on both splits, at its own budget.
    QCOMPARE(curve.val[1].outcome.accuracyPercent, 90.0);
    QCOMPARE(curve.val[1].outcome.cost, 0.9);
    QCOMPARE(curve.val[1].budget, std::optional<double>(2));
    QCOMPARE(curve.val[1].thresholds, curve.val[0].thresholds);
    QCOMPARE(curve.test[1].outcome.accuracyPercent, 88.0);
    QCOMPARE(curve.test[1].budget, std::optional<double>(2));
    // A better point stays its own.
    QCOMPARE(curve.val[2].outcome.accuracyPercent, 91.0);
    QCOMPARE(curve.test[2].outcome.accuracyPercent, 90.0);
}

QTEST_GUILESS_MAIN(TestThresholdSearch)
#include "tst_thresholdsearch.moc"
