#include "TestData.h"
#include "eval/ClassAccuracyChange.h"
#include "eval/Overthinking.h"
#include "eval/PolicySnapshot.h"

#include "Error.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace eenet;

/// Overthinking counts must match a direct recount from the probabilities, on synthetic data and on a case
/// small enough to check by hand.
class TestOverthinking : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handMadeCase();
    void handMadePolicyCase();
    void matchesBruteForceOnSyntheticData();
    void policyComparisonMatchesBruteForce_data();
    void policyComparisonMatchesBruteForce();
    void oracleWithTheWholeBudgetHurtsNoSample();
    void badAssignmentsAreRefused();
    void classAccuracyChangesByHand();

private:
    static ExitData tinyData();
};

/// K = 3, N = 6; rows are exits, columns samples, 1 = right:
///   exit 1: 1 0 1 0 1 0
///   exit 2: 1 1 0 0 0 1
///   exit 3: 0 1 1 0 1 0
ExitData TestOverthinking::tinyData() {
    ExitData data;
    data.numExits = 3;
    data.numSamples = 6;
    data.numClasses = 2;
    data.correct.resize(3, 6);
    data.correct << 1, 0, 1, 0, 1, 0, //
        1, 1, 0, 0, 0, 1,             //
        0, 1, 1, 0, 1, 0;
    data.predictions = LabelMatrix::Zero(3, 6);
    data.labels.assign(6, 0);
    data.costs = {1, 2, 3};
    return data;
}

void TestOverthinking::handMadeCase() {
    const std::vector<ExitVsLast> perExit = compareExitsWithLast(tinyData());
    QCOMPARE(perExit.size(), size_t(3));
    // Exit 1 is right on 0, 2, 4, exit 2 on 0, 1, 5; the last exit on 1, 2, 4.
    QCOMPARE(perExit[0].helps, std::vector<int>({0}));
    QCOMPARE(perExit[0].hurts, std::vector<int>({1}));
    QCOMPARE(perExit[1].helps, std::vector<int>({0, 5}));
    QCOMPARE(perExit[1].hurts, std::vector<int>({2, 4}));
    QVERIFY(perExit[2].helps.empty());
    QVERIFY(perExit[2].hurts.empty());
    const ExitVsLastTotals totals = totalsOf(perExit);
    QCOMPARE(totals.helps, 3);
    QCOMPARE(totals.hurts, 3);
}

void TestOverthinking::handMadePolicyCase() {
    // Samples 0 and 1 leave at exit 1, 2 and 5 at exit 2, 3 and 4 at the last exit.
    const std::vector<ExitVsLast> perExit = compareExitsWithLast(tinyData(), {0, 0, 1, 2, 2, 1});
    QCOMPARE(perExit[0].helps, std::vector<int>({0}));
    QCOMPARE(perExit[0].hurts, std::vector<int>({1}));
    QCOMPARE(perExit[1].helps, std::vector<int>({5}));
    QCOMPARE(perExit[1].hurts, std::vector<int>({2}));
    QVERIFY(perExit[2].helps.empty() && perExit[2].hurts.empty());
    // The policy gets 0, 5 (early) and 4 (last) right, the last exit alone 1, 2, 4: net 0 = 2 helps - 2
    // hurts.
    const ExitVsLastTotals totals = totalsOf(perExit);
    QCOMPARE(totals.helps - totals.hurts, 0);
}

void TestOverthinking::matchesBruteForceOnSyntheticData() {
    const auto predictions = test::sharedSynthetic({5, 10, 2000, 0, 11});
    const SplitPredictions& split = predictions->val;
    const std::vector<ExitVsLast> perExit = compareExitsWithLast(makeExitData(*predictions, split));
    const int last = predictions->numExits - 1;
    int totalHelps = 0;
    for (int k = 0; k < predictions->numExits; ++k) {
        std::vector<int> helps, hurts;
        for (int i = 0; i < split.numSamples; ++i) {
            const int label = split.labels[size_t(i)];
            const bool right = predictedClass(split, predictions->numClasses, k, i) == label;
            const bool lastRight = predictedClass(split, predictions->numClasses, last, i) == label;
            if (k != last && right != lastRight)
                (right ? helps : hurts).push_back(i);
        }
        QCOMPARE(perExit[size_t(k)].helps, helps);
        QCOMPARE(perExit[size_t(k)].hurts, hurts);
        totalHelps += int(helps.size());
    }
    // The synthetic model overthinks some samples, or the test would prove little.
    QVERIFY(totalHelps > 20);
}

void TestOverthinking::policyComparisonMatchesBruteForce_data() {
    QTest::addColumn<QString>("method");
    for (const char* method : {"maxprob", "entropy", "oracle"})
        QTest::newRow(method) << QString(method);
}

void TestOverthinking::policyComparisonMatchesBruteForce() {
    QFETCH(QString, method);
    const auto predictions = test::sharedSynthetic({4, 10, 1500, 800, 5});
    Evaluator evaluator(predictions);
    const auto snapshot = test::snapshotOf(evaluator, qPrintable(method), test::budgetAt(*predictions, 0.4));
    const SplitPolicy& shown = *snapshot->split(Split::Test);
    const std::vector<ExitVsLast> perExit = compareExitsWithLast(*shown.data, shown.outcome.exitOf);
    const std::vector<ExitVsLast> all = compareExitsWithLast(*shown.data);
    const SplitPredictions& split = *predictions->test;
    const int last = predictions->numExits - 1;
    for (int k = 0; k < last; ++k) {
        std::vector<int> helps, hurts;
        for (int i = 0; i < split.numSamples; ++i) {
            if (shown.outcome.exitOf[size_t(i)] != k)
                continue;
            const int label = split.labels[size_t(i)];
            const bool right = predictedClass(split, predictions->numClasses, k, i) == label;
            const bool lastRight = predictedClass(split, predictions->numClasses, last, i) == label;
            if (right != lastRight)
                (right ? helps : hurts).push_back(i);
        }
        QCOMPARE(perExit[size_t(k)].helps, helps);
        QCOMPARE(perExit[size_t(k)].hurts, hurts);
        // The samples leaving at k are a subset of all samples.
        QVERIFY(std::includes(all[size_t(k)].helps.begin(), all[size_t(k)].helps.end(), helps.begin(),
                              helps.end()));
    }
    // helps − hurts is the policy's gain over sending every sample to the last exit.
    int lastRight = 0;
    for (int i = 0; i < split.numSamples; ++i)
        lastRight += shown.data->correct(last, i);
    const ExitVsLastTotals totals = totalsOf(perExit);
    const double policyRight = shown.outcome.accuracyPercent / 100.0 * split.numSamples;
    QCOMPARE(std::lround(policyRight), long(lastRight + totals.helps - totals.hurts));
}

void TestOverthinking::oracleWithTheWholeBudgetHurtsNoSample() {
    const auto predictions = test::sharedSynthetic({4, 10, 1500, 0, 5});
    Evaluator evaluator(predictions);
    const auto snapshot = test::snapshotOf(evaluator, "oracle", predictions->costs.back());
    const SplitPolicy& shown = *snapshot->split(Split::Val);
    const ExitVsLastTotals totals = totalsOf(compareExitsWithLast(*shown.data, shown.outcome.exitOf));
    // Every sample stops at its earliest right exit: none is stopped where it is wrong but the last is right,
    // and every sample that some earlier exit gets right while the last gets it wrong is collected.
    QCOMPARE(totals.hurts, 0);
    int rightEarlierOnly = 0;
    const int last = predictions->numExits - 1;
    for (int i = 0; i < shown.data->numSamples; ++i) {
        bool earlier = false;
        for (int k = 0; k < last; ++k)
            earlier = earlier || shown.data->correct(k, i);
        rightEarlierOnly += earlier && !shown.data->correct(last, i);
    }
    QCOMPARE(totals.helps, rightEarlierOnly);
    QVERIFY(totals.helps > 0);
}

void TestOverthinking::badAssignmentsAreRefused() {
    QVERIFY_THROWS_EXCEPTION(ArgumentError, compareExitsWithLast(tinyData(), {0, 0, 1}));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, compareExitsWithLast(tinyData(), {0, 0, 1, 3, 2, 1}));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, compareExitsWithLast(tinyData(), {0, -1, 1, 2, 2, 1}));
}

void TestOverthinking::classAccuracyChangesByHand() {
    // Three classes: samples 0, 1 are class 0, samples 2, 3, 4 class 1, sample 5 class 2; class 3 has none.
    ExitData data = tinyData();
    data.numClasses = 4;
    data.labels = {0, 0, 1, 1, 1, 2};
    // The policy of handMadePolicyCase: right on 0, 4, 5; the last exit alone on 1, 2, 4.
    const std::vector<ClassAccuracyChange> changes = classAccuracyChanges(data, {0, 0, 1, 2, 2, 1});
    QCOMPARE(changes.size(), size_t(3)); // class 3 has no sample
    // Class 1: 1 of 3 right under the policy (4), 2 of 3 at the last exit (2, 4): -33.3 pp, the largest loss.
    QCOMPARE(changes[0].cls, 1);
    QCOMPARE(changes[0].samples, 3);
    QCOMPARE(changes[0].rightUnderPolicy, 1);
    QCOMPARE(changes[0].rightAtLastExit, 2);
    QCOMPARE(changes[0].deltaPp(), -100.0 / 3);
    // Class 0: 1 of 2 either way (0 under the policy, 1 at the last exit).
    QCOMPARE(changes[1].cls, 0);
    QCOMPARE(changes[1].deltaPp(), 0.0);
    QCOMPARE(changes[1].accuracyUnderPolicyPercent(), 50.0);
    // Class 2: sample 5, right at exit 2 where the policy sends it, wrong at the last exit: it gains.
    QCOMPARE(changes[2].cls, 2);
    QCOMPARE(changes[2].deltaPp(), 100.0);
    QCOMPARE(changes[2].accuracyAtLastExitPercent(), 0.0);
    QVERIFY_THROWS_EXCEPTION(ArgumentError, classAccuracyChanges(data, {0, 0, 1}));
}

QTEST_GUILESS_MAIN(TestOverthinking)
#include "tst_overthinking.moc"
