#include "CrossingSamples.h"
#include "Error.h"
#include "TestData.h"
#include "eval/CustomPolicy.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace eenet;

/// Thresholds set by hand re-judge exactly the samples whose score crosses the moved threshold, on the
/// scores of the method they were set on, and describe themselves as custom.
class TestCustomPolicy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void movingOneThresholdMovesExactlyTheCrossingSamples_data();
    void movingOneThresholdMovesExactlyTheCrossingSamples();
    void theSnapshotSaysWhatItIs();
    void learnedScoresStayThoseOfTheScheduler();
    void computedFromNothingEqualsDerived();
    void infiniteThresholdsEmptyOrFillAnExit();
    void mismatchesAreRefused();

private:
    std::shared_ptr<const Predictions> m_predictions;
    std::unique_ptr<Evaluator> m_evaluator;
    std::shared_ptr<const TrainedScheduler> m_trained;
    double m_budget = 0;
};

void TestCustomPolicy::initTestCase() {
    m_predictions = test::sharedSynthetic({4, 10, 3000, 1500, 11});
    m_evaluator = std::make_unique<Evaluator>(m_predictions);
    m_budget = test::budgetAt(*m_predictions, 0.3);
    m_trained = std::make_shared<const TrainedScheduler>(
        describeFit(*m_evaluator, m_budget, trainEENet(*m_predictions, m_budget)));
}

void TestCustomPolicy::movingOneThresholdMovesExactlyTheCrossingSamples_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<int>("exit");
    QTest::addColumn<double>("shift");
    for (const char* method : {"maxprob", "entropy-opt", "patience", "eenet", "eenet-opt"})
        for (int exit : {0, 1, 2})
            for (double shift : {-0.08, 0.05})
                QTest::newRow(qPrintable(QStringLiteral("%1 T%2 %3").arg(method).arg(exit + 1).arg(shift)))
                    << QString(method) << exit << shift;
}

void TestCustomPolicy::movingOneThresholdMovesExactlyTheCrossingSamples() {
    QFETCH(QString, method);
    QFETCH(int, exit);
    QFETCH(double, shift);
    const PolicySnapshot fitted =
        computeSnapshot(*m_evaluator, *Method::parse(method.toStdString()), m_budget, {m_trained});
    std::vector<double> thresholds = fitted.thresholds;
    // From 0.5 where the fitted threshold is infinite (nobody leaves at that exit).
    const double from = std::isfinite(thresholds[size_t(exit)]) ? thresholds[size_t(exit)] : 0.5;
    thresholds[size_t(exit)] = from + shift;
    const PolicySnapshot custom = customSnapshot(fitted, thresholds);
    QCOMPARE(custom.thresholds, thresholds);
    for (Split split : {Split::Val, Split::Test}) {
        const auto moved = test::samplesMoved(fitted.split(split)->outcome, custom.split(split)->outcome);
        QCOMPARE(moved, test::samplesCrossing(fitted, split, exit, thresholds[size_t(exit)]));
        // The figures are those of the threshold rule on the same scores.
        const SplitPolicy& got = *custom.split(split);
        const PolicyOutcome expected = evaluatePolicy(*got.scores, thresholds, *got.data);
        QCOMPARE(got.outcome.exitOf, expected.exitOf);
        QCOMPARE(got.outcome.cost, expected.cost);
        QCOMPARE(got.outcome.accuracyPercent, expected.accuracyPercent);
    }
}

void TestCustomPolicy::theSnapshotSaysWhatItIs() {
    const PolicySnapshot fitted = computeSnapshot(*m_evaluator, *Method::parse("maxprob-opt"), m_budget, {});
    std::vector<double> thresholds = fitted.thresholds;
    thresholds[0] = 0.93;
    thresholds.back() = 0.7; // the last exit takes everyone left, whatever is passed
    const PolicySnapshot custom = customSnapshot(fitted, thresholds);
    QVERIFY(custom.isCustom() && !fitted.isCustom());
    QVERIFY(custom.available);
    QCOMPARE(custom.method, std::string("custom"));
    QCOMPARE(custom.scoreMethod.name(), std::string("maxprob-opt"));
    QCOMPARE(custom.scoreName, fitted.scoreName);
    QCOMPARE(custom.budget, fitted.budget);
    QVERIFY(QString::fromStdString(custom.note).contains("set by hand on the scores of maxprob-opt"));
    QCOMPARE(custom.thresholds.back(), -std::numeric_limits<double>::infinity());
    // Scores and exit data are shared, not copied.
    for (size_t i = 0; i < custom.splits.size(); ++i) {
        QCOMPARE(custom.splits[i].scores, fitted.splits[i].scores);
        QCOMPARE(custom.splits[i].data, fitted.splits[i].data);
    }
    // A custom snapshot lends its scores on to the next move.
    const CustomPolicy policy{*Method::parse("maxprob-opt"), nullptr, thresholds};
    QVERIFY(holdsScoresOf(fitted, policy));
    QVERIFY(holdsScoresOf(custom, policy));
    QVERIFY(!holdsScoresOf(computeSnapshot(*m_evaluator, *Method::parse("maxprob"), m_budget, {}), policy));
}

void TestCustomPolicy::learnedScoresStayThoseOfTheScheduler() {
    const PolicySnapshot fitted =
        computeSnapshot(*m_evaluator, *Method::parse("eenet"), m_budget, {m_trained});
    std::vector<double> thresholds = fitted.thresholds;
    thresholds[1] -= 0.1;
    const PolicySnapshot custom = customSnapshot(fitted, thresholds);
    QCOMPARE(custom.scheduler, m_trained);
    QCOMPARE(custom.trainedBudget, std::optional<double>(m_budget));
    QCOMPARE(custom.split(Split::Test)->scores, m_trained->testScores);
    QVERIFY(holdsScoresOf(custom, {*Method::parse("eenet"), m_trained, thresholds}));
    QVERIFY(!holdsScoresOf(custom, {*Method::parse("eenet"), nullptr, thresholds}));
}

void TestCustomPolicy::computedFromNothingEqualsDerived() {
    for (const char* method : {"entropy", "eenet-opt"}) {
        const Method base = *Method::parse(method);
        const PolicySnapshot fitted = computeSnapshot(*m_evaluator, base, m_budget, {m_trained});
        std::vector<double> thresholds = fitted.thresholds;
        thresholds[0] += 0.02;
        const CustomPolicy policy{base, base.isLearned() ? m_trained : nullptr, thresholds};
        // At another budget: custom thresholds do not depend on it.
        const PolicySnapshot computed =
            computeCustomSnapshot(*m_evaluator, policy, test::budgetAt(*m_predictions, 0.8));
        const PolicySnapshot derived = customSnapshot(fitted, thresholds);
        QCOMPARE(computed.thresholds, derived.thresholds);
        for (size_t i = 0; i < derived.splits.size(); ++i)
            QCOMPARE(computed.splits[i].outcome.exitOf, derived.splits[i].outcome.exitOf);
    }
}

void TestCustomPolicy::infiniteThresholdsEmptyOrFillAnExit() {
    const PolicySnapshot fitted = computeSnapshot(*m_evaluator, *Method::parse("maxprob"), m_budget, {});
    std::vector<double> thresholds = fitted.thresholds;
    const double inf = std::numeric_limits<double>::infinity();
    thresholds[0] = inf;
    QCOMPARE(customSnapshot(fitted, thresholds).splits[0].outcome.exitFractions[0], 0.0);
    thresholds[0] = -inf;
    QCOMPARE(customSnapshot(fitted, thresholds).splits[0].outcome.exitFractions[0], 1.0);
}

void TestCustomPolicy::mismatchesAreRefused() {
    const PolicySnapshot fitted = computeSnapshot(*m_evaluator, *Method::parse("maxprob"), m_budget, {});
    QVERIFY_THROWS_EXCEPTION(ArgumentError, customSnapshot(fitted, {0.5, 0.5}));
    const PolicySnapshot oracle = computeSnapshot(*m_evaluator, *Method::parse("oracle"), m_budget, {});
    QVERIFY_THROWS_EXCEPTION(ArgumentError, customSnapshot(oracle, fitted.thresholds));
    const PolicySnapshot untrained = computeSnapshot(*m_evaluator, *Method::parse("eenet"), m_budget, {});
    QVERIFY_THROWS_EXCEPTION(ArgumentError, customSnapshot(untrained, fitted.thresholds));
    QVERIFY_THROWS_EXCEPTION(
        ArgumentError, computeCustomSnapshot(
                           *m_evaluator, {*Method::parse("oracle"), nullptr, fitted.thresholds}, m_budget));
    QVERIFY(!Method::parse("custom"));
    QVERIFY(!Method{Method::Kind::Custom}.acceptsCustomThresholds());
}

QTEST_MAIN(TestCustomPolicy)
#include "tst_custompolicy.moc"
