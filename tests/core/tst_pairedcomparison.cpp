#include "TestData.h"
#include "eval/CurveSweep.h"
#include "eval/PairedComparison.h"

#include "Error.h"

#include <QTest>

#include <cmath>

using namespace eenet;

/// A minus B at equal realised cost, paired per sample: against numbers computed by hand on a case small
/// enough to follow, and against the curves' own accuracies on synthetic data.
class TestPairedComparison : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handMadeCurves();
    void costOutsideBsCurveIsLeftOutAndCounted();
    void aAgainstItselfIsZeroWithNoDifference();
    void deltasAreTheCurvesAccuraciesApart();
    void verdicts();
    void badInputsAreRefused();

private:
    static ExitData tinyData();
    static MethodResult point(const char* method, double budget, const std::vector<int>& exitOf);
};

/// K = 2 exits costing 1 and 9, N = 4 samples; 1 = right:
///   exit 1: 1 0 1 0
///   exit 2: 1 1 0 1
ExitData TestPairedComparison::tinyData() {
    ExitData data;
    data.numExits = 2;
    data.numSamples = 4;
    data.numClasses = 2;
    data.correct.resize(2, 4);
    data.correct << 1, 0, 1, 0, //
        1, 1, 0, 1;
    data.predictions = LabelMatrix::Zero(2, 4);
    data.labels.assign(4, 0);
    data.costs = {1, 9};
    return data;
}

MethodResult TestPairedComparison::point(const char* method, double budget, const std::vector<int>& exitOf) {
    return {method, budget, Split::Test, evaluateAssignment(exitOf, tinyData()), {}, 0, 0, std::nullopt};
}

void TestPairedComparison::handMadeCurves() {
    // A realises costs 1, 3, 7, 9; B realises 1 (right on 0, 2), 7 (right on all) and 9 (right on 0, 1, 3).
    const std::vector<MethodResult> a = {point("a", 1, {0, 0, 0, 0}), point("a", 3, {0, 1, 0, 0}),
                                         point("a", 6, {1, 1, 1, 0}), point("a", 9, {1, 1, 1, 1})};
    const std::vector<MethodResult> b = {point("b", 9, {1, 1, 1, 1}), point("b", 1, {0, 0, 0, 0}),
                                         point("b", 5, {1, 1, 0, 1})};
    const PairedComparison c = comparePaired(a, b, tinyData());
    QCOMPARE(c.methodA, std::string("a"));
    QCOMPARE(c.methodB, std::string("b"));
    QCOMPARE(c.numSamples, 4);
    QCOMPARE(c.endBudgetsSkipped, 2);
    QVERIFY(c.leftOut.empty());
    QCOMPARE(c.bCostLow, 1.0);
    QCOMPARE(c.bCostHigh, 9.0);
    QCOMPARE(c.perBudget.size(), size_t(2));

    // Budget 3: A (cost 3) is right on 0, 1, 2. B at cost 3 lies between its points at costs 1 and 7 with
    // weight (7 - 3) / (7 - 1) = 2/3 on the lower one: b_i = 2/3 [1 0 1 0] + 1/3 [1 1 1 1] = [1 1/3 1 1/3],
    // d = [0 2/3 0 -1/3], mean 1/12, sample variance ((-1)^2 + 7^2 + (-1)^2 + (-5)^2) / 144 / 3 = 76/432.
    const BudgetDifference& first = c.perBudget[0];
    QCOMPARE(first.budget, 3.0);
    QCOMPARE(first.aCost, 3.0);
    QCOMPARE(first.aAccuracyPercent, 75.0);
    QCOMPARE(first.bBudgetBelow, 1.0);
    QCOMPARE(first.bBudgetAbove, 5.0);
    QCOMPARE(first.weightBelow, 2.0 / 3.0);
    QCOMPARE(first.bAccuracyPercent, 2.0 / 3.0 * 50 + 1.0 / 3.0 * 100);
    QCOMPARE(first.deltaPp, 100.0 / 12);
    QCOMPARE(first.sePp, 100.0 * std::sqrt(76.0 / 432) / 2);

    // Budget 6: A (cost 7) sits on B's point at cost 7: d = [1 1 0 0] - [1 1 1 1] = [0 0 -1 -1], mean -1/2,
    // sample variance 1/3.
    const BudgetDifference& second = c.perBudget[1];
    QCOMPARE(second.aCost, 7.0);
    QCOMPARE(second.weightBelow, 1.0);
    QCOMPARE(second.bBudgetBelow, 5.0);
    QCOMPARE(second.bBudgetAbove, 5.0);
    QCOMPARE(second.bAccuracyPercent, 100.0);
    QCOMPARE(second.deltaPp, -50.0);
    QCOMPARE(second.sePp, 100.0 * std::sqrt(1.0 / 3) / 2);

    // Overall: each sample's d averaged over the two budgets, [0 1/3 -1/2 -2/3] = [0 8 -12 -16] / 24, mean
    // -5/24; deviations [5 13 -7 -11] / 24 give the sample variance 364 / 576 / 3.
    QCOMPARE(c.meanDeltaPp, -500.0 / 24);
    QCOMPARE(c.sePp, 100.0 * std::sqrt(364.0 / 576 / 3) / 2);
    // |-20.8| < 2 x 22.9: four samples measure nothing.
    QCOMPARE(c.verdict, std::string("no measurable difference"));
}

void TestPairedComparison::costOutsideBsCurveIsLeftOutAndCounted() {
    // B's curve realises costs 7 and 9 only: A's cost 3 has no B to compare with.
    const std::vector<MethodResult> a = {point("a", 3, {0, 1, 0, 0}), point("a", 6, {1, 1, 1, 0})};
    const std::vector<MethodResult> b = {point("b", 5, {1, 1, 0, 1}), point("b", 9, {1, 1, 1, 1})};
    const PairedComparison c = comparePaired(a, b, tinyData());
    QCOMPARE(c.leftOut.size(), size_t(1));
    QCOMPARE(c.leftOut[0].budget, 3.0);
    QCOMPARE(c.leftOut[0].aCost, 3.0);
    QCOMPARE(c.endBudgetsSkipped, 0);
    QCOMPARE(c.perBudget.size(), size_t(1));
    // With one budget the overall figures are that budget's.
    QCOMPARE(c.meanDeltaPp, -50.0);
    QCOMPARE(c.sePp, c.perBudget[0].sePp);

    // Nothing left to compare is an error, not a made-up zero.
    QVERIFY_THROWS_EXCEPTION(ArgumentError, comparePaired({point("a", 3, {0, 1, 0, 0})}, b, tinyData()));
}

void TestPairedComparison::aAgainstItselfIsZeroWithNoDifference() {
    const auto predictions = test::sharedSynthetic({4, 10, 1500, 1200, 7});
    const std::vector<Curve> curves = sweepCurves(predictions, {*Method::parse("maxprob")}, 12);
    Evaluator evaluator(predictions);
    const PairedComparison c =
        comparePaired(curves[0].test, curves[0].test, *evaluator.exitData(Split::Test));
    QCOMPARE(c.perBudget.size(), size_t(10));
    QCOMPARE(c.endBudgetsSkipped, 2);
    for (const BudgetDifference& d : c.perBudget) {
        QCOMPARE(d.deltaPp, 0.0);
        QCOMPARE(d.sePp, 0.0);
        QCOMPARE(d.bAccuracyPercent, d.aAccuracyPercent);
    }
    QCOMPARE(c.meanDeltaPp, 0.0);
    QCOMPARE(c.sePp, 0.0);
    QCOMPARE(c.verdict, std::string("no measurable difference"));
}

void TestPairedComparison::deltasAreTheCurvesAccuraciesApart() {
    // The per-sample reading of B averages to B's accuracies interpolated linearly in realised cost, so each
    // budget's delta is A's accuracy minus that interpolation, computed here from the curves alone.
    const auto predictions = test::sharedSynthetic({4, 10, 3000, 3000, 9});
    const std::vector<Curve> curves =
        sweepCurves(predictions, {*Method::parse("entropy"), *Method::parse("maxprob")}, 20);
    const std::vector<MethodResult>& a = curves[0].test;
    const std::vector<MethodResult>& b = curves[1].test;
    Evaluator evaluator(predictions);
    const PairedComparison c = comparePaired(a, b, *evaluator.exitData(Split::Test));
    QCOMPARE(int(c.perBudget.size() + c.leftOut.size()), 18);
    QVERIFY(c.perBudget.size() >= 16);
    double sum = 0;
    for (const BudgetDifference& d : c.perBudget) {
        const MethodResult* below = nullptr;
        const MethodResult* above = nullptr;
        for (const MethodResult& r : b) {
            if (r.outcome.cost <= d.aCost && (!below || r.outcome.cost > below->outcome.cost))
                below = &r;
            if (r.outcome.cost >= d.aCost && (!above || r.outcome.cost < above->outcome.cost))
                above = &r;
        }
        QVERIFY(below && above);
        const double span = above->outcome.cost - below->outcome.cost;
        const double t = span > 0 ? (d.aCost - below->outcome.cost) / span : 0;
        const double bAccuracy = below->outcome.accuracyPercent +
                                 t * (above->outcome.accuracyPercent - below->outcome.accuracyPercent);
        QVERIFY(std::abs(d.bAccuracyPercent - bAccuracy) < 1e-9);
        QVERIFY(std::abs(d.deltaPp - (d.aAccuracyPercent - bAccuracy)) < 1e-9);
        // A difference of accuracies between two policies on 3000 samples is measured to within a point.
        QVERIFY(d.sePp > 0 && d.sePp < 1);
        sum += d.deltaPp;
    }
    // The mean of per-sample averages is the mean of the per-budget deltas.
    QVERIFY(std::abs(c.meanDeltaPp - sum / double(c.perBudget.size())) < 1e-9);
    QVERIFY(c.sePp > 0);
}

void TestPairedComparison::verdicts() {
    QCOMPARE(verdictOf("eenet", "maxprob", 0.5, 0.1), std::string("eenet is better by 0.500 ± 0.100 pp"));
    QCOMPARE(verdictOf("entropy", "maxprob", -0.1814, 0.0456),
             std::string("maxprob is better by 0.181 ± 0.046 pp"));
    QCOMPARE(verdictOf("a", "b", 0.19, 0.1), std::string("no measurable difference"));
    QCOMPARE(verdictOf("a", "b", -0.19, 0.1), std::string("no measurable difference"));
    QCOMPARE(verdictOf("a", "b", 0.2, 0.1), std::string("a is better by 0.200 ± 0.100 pp"));
    QCOMPARE(verdictOf("a", "b", 0, 0), std::string("no measurable difference"));
}

void TestPairedComparison::badInputsAreRefused() {
    const std::vector<MethodResult> b = {point("b", 1, {0, 0, 0, 0}), point("b", 9, {1, 1, 1, 1})};
    MethodResult staticExit = point("exit-1", 1, {0, 0, 0, 0});
    staticExit.budget.reset();
    QVERIFY_THROWS_EXCEPTION(ArgumentError, comparePaired({staticExit}, b, tinyData()));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, comparePaired({}, b, tinyData()));
    MethodResult short_ = point("a", 3, {0, 1, 0, 0});
    short_.outcome.exitOf.pop_back();
    QVERIFY_THROWS_EXCEPTION(ArgumentError, comparePaired({short_}, b, tinyData()));
    MethodResult wrongExit = point("a", 3, {0, 1, 0, 0});
    wrongExit.outcome.exitOf[0] = 2;
    QVERIFY_THROWS_EXCEPTION(ArgumentError, comparePaired({wrongExit}, b, tinyData()));
}

QTEST_GUILESS_MAIN(TestPairedComparison)
#include "tst_pairedcomparison.moc"
