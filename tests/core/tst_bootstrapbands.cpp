#include "TestData.h"
#include "eval/BootstrapBands.h"
#include "eval/CurveSweep.h"

#include "Error.h"

#include <QElapsedTimer>
#include <QTest>

#include <random>

using namespace eenet;

/// 90 % bands of accuracy-cost curves from a paired bootstrap over test samples.
class TestBootstrapBands : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bandsContainThePointEstimate();
    void sameSeedSameBands();
    void bandsShrinkWithTheSampleCount();
    void samePolicySameBand();
    void certainOutcomesHaveNoSpread();
    void cancelStops();
    void badInputsAreRefused();
    void fiftyThousandSamplesAreFast();

private:
    struct CurveOnSplit {
        std::vector<MethodResult> curve;
        std::shared_ptr<const ExitData> data;
    };
    /// maxprob's test curve over `budgets` budgets on synthetic data with `testSamples` test samples.
    static CurveOnSplit maxprobCurve(int testSamples, int budgets = 10);
    static double meanAccuracyWidth(const std::vector<Band>& bands);
};

TestBootstrapBands::CurveOnSplit TestBootstrapBands::maxprobCurve(int testSamples, int budgets) {
    const auto predictions = test::sharedSynthetic({4, 10, 2000, testSamples, 21});
    Evaluator evaluator(predictions);
    CurveOnSplit result{sweepCurves(predictions, {*Method::parse("maxprob")}, budgets)[0].test,
                        evaluator.exitData(Split::Test)};
    return result;
}

double TestBootstrapBands::meanAccuracyWidth(const std::vector<Band>& bands) {
    double sum = 0;
    for (const Band& b : bands)
        sum += b.accuracyHighPercent - b.accuracyLowPercent;
    return sum / double(bands.size());
}

void TestBootstrapBands::bandsContainThePointEstimate() {
    const CurveOnSplit c = maxprobCurve(2000);
    const std::vector<Band> bands = bootstrapBands(c.curve, *c.data);
    QCOMPARE(bands.size(), c.curve.size());
    for (size_t p = 0; p < bands.size(); ++p) {
        const PolicyOutcome& o = c.curve[p].outcome;
        QVERIFY(bands[p].accuracyLowPercent <= o.accuracyPercent);
        QVERIFY(o.accuracyPercent <= bands[p].accuracyHighPercent);
        QVERIFY(bands[p].costLow <= o.cost && o.cost <= bands[p].costHigh);
        // A 90 % band of an accuracy near 85 % on 2000 samples is about 2 x 1.645 x 0.8 = 2.6 pp wide.
        const double width = bands[p].accuracyHighPercent - bands[p].accuracyLowPercent;
        QVERIFY2(width > 1.0 && width < 5.0, qPrintable(QString::number(width)));
    }
    // Between the ends the policies mix exits, so their realised cost varies from resample to resample.
    QVERIFY(bands[bands.size() / 2].costHigh > bands[bands.size() / 2].costLow);
}

void TestBootstrapBands::sameSeedSameBands() {
    const CurveOnSplit c = maxprobCurve(1000);
    const std::vector<Band> first = bootstrapBands(c.curve, *c.data, {200, 5});
    const std::vector<Band> again = bootstrapBands(c.curve, *c.data, {200, 5});
    const std::vector<Band> otherSeed = bootstrapBands(c.curve, *c.data, {200, 6});
    bool differs = false;
    for (size_t p = 0; p < first.size(); ++p) {
        QCOMPARE(again[p].accuracyLowPercent, first[p].accuracyLowPercent);
        QCOMPARE(again[p].accuracyHighPercent, first[p].accuracyHighPercent);
        QCOMPARE(again[p].costLow, first[p].costLow);
        QCOMPARE(again[p].costHigh, first[p].costHigh);
        differs = differs || otherSeed[p].accuracyLowPercent != first[p].accuracyLowPercent;
    }
    QVERIFY(differs);
}

void TestBootstrapBands::bandsShrinkWithTheSampleCount() {
    // A band's width goes as 1 / sqrt(N): 16 times the samples, a quarter of the width.
    const CurveOnSplit small = maxprobCurve(1000);
    const CurveOnSplit large = maxprobCurve(16000);
    const double ratio = meanAccuracyWidth(bootstrapBands(large.curve, *large.data)) /
                         meanAccuracyWidth(bootstrapBands(small.curve, *small.data));
    QVERIFY2(ratio > 0.15 && ratio < 0.4, qPrintable(QString::number(ratio)));
}

void TestBootstrapBands::samePolicySameBand() {
    // Every point of a curve sees the same resamples: two points with the same exits get the same band.
    const CurveOnSplit c = maxprobCurve(1000, 5);
    std::vector<MethodResult> curve = c.curve;
    curve.push_back(curve[2]);
    const std::vector<Band> bands = bootstrapBands(curve, *c.data);
    QCOMPARE(bands.back().accuracyLowPercent, bands[2].accuracyLowPercent);
    QCOMPARE(bands.back().accuracyHighPercent, bands[2].accuracyHighPercent);
    QCOMPARE(bands.back().costLow, bands[2].costLow);
    QCOMPARE(bands.back().costHigh, bands[2].costHigh);
}

void TestBootstrapBands::certainOutcomesHaveNoSpread() {
    // Every sample right at exit 2, wrong at exit 1: a policy sending all to exit 2 is 100 % right at cost 3
    // in every resample; one sending all to exit 1 is 0 % right at cost 1.
    ExitData data;
    data.numExits = 2;
    data.numSamples = 50;
    data.numClasses = 2;
    data.correct.resize(2, 50);
    data.correct.row(0).setZero();
    data.correct.row(1).setOnes();
    data.labels.assign(50, 0);
    data.costs = {1, 3};
    const std::vector<MethodResult> curve = {
        {"x", 3.0, Split::Test, evaluateAssignment(std::vector<int>(50, 1), data), {}, 0, 0, std::nullopt},
        {"x", 1.0, Split::Test, evaluateAssignment(std::vector<int>(50, 0), data), {}, 0, 0, std::nullopt}};
    const std::vector<Band> bands = bootstrapBands(curve, data);
    QCOMPARE(bands[0].accuracyLowPercent, 100.0);
    QCOMPARE(bands[0].accuracyHighPercent, 100.0);
    QCOMPARE(bands[0].costLow, 3.0);
    QCOMPARE(bands[0].costHigh, 3.0);
    QCOMPARE(bands[1].accuracyLowPercent, 0.0);
    QCOMPARE(bands[1].accuracyHighPercent, 0.0);
    QCOMPARE(bands[1].costLow, 1.0);
}

void TestBootstrapBands::cancelStops() {
    const CurveOnSplit c = maxprobCurve(1000, 5);
    std::atomic<bool> cancel{true};
    QVERIFY_THROWS_EXCEPTION(CancelledError, bootstrapBands(c.curve, *c.data, {}, &cancel));
    cancel = false;
    QCOMPARE(bootstrapBands(c.curve, *c.data, {}, &cancel).size(), c.curve.size());
}

void TestBootstrapBands::badInputsAreRefused() {
    const CurveOnSplit c = maxprobCurve(1000, 5);
    QVERIFY_THROWS_EXCEPTION(ArgumentError, bootstrapBands(c.curve, *c.data, {199, 0}));
    std::vector<MethodResult> curve = c.curve;
    curve[1].outcome.exitOf.pop_back();
    QVERIFY_THROWS_EXCEPTION(ArgumentError, bootstrapBands(curve, *c.data));
}

void TestBootstrapBands::fiftyThousandSamplesAreFast() {
    // N = 50,000, 5 exits, 20 budgets, 200 resamples, on made-up outcomes: the bootstrap reads only each
    // sample's exit and correctness, so the class count does not matter.
    constexpr int kSamples = 50000;
    ExitData data;
    data.numExits = 5;
    data.numSamples = kSamples;
    data.numClasses = 1000;
    data.costs = {1, 2, 3, 4, 5};
    data.labels.assign(kSamples, 0);
    data.correct.resize(5, kSamples);
    std::mt19937_64 rng(3);
    std::uniform_int_distribution<int> bit(0, 1), exit(0, 4);
    for (int k = 0; k < 5; ++k)
        for (int i = 0; i < kSamples; ++i)
            data.correct(k, i) = static_cast<std::uint8_t>(bit(rng));
    std::vector<MethodResult> curve;
    for (int b = 0; b < 20; ++b) {
        std::vector<int> exitOf(kSamples);
        for (int& e : exitOf)
            e = exit(rng);
        curve.push_back(
            {"x", 1.0 + b * 0.2, Split::Test, evaluateAssignment(exitOf, data), {}, 0, 0, std::nullopt});
    }
    QElapsedTimer timer;
    timer.start();
    const std::vector<Band> bands = bootstrapBands(curve, data);
    const qint64 ms = timer.elapsed();
    qInfo("bootstrap of 20 budgets x 50000 samples x 200 resamples: %lld ms", ms);
    QCOMPARE(bands.size(), size_t(20));
    // Well under a second in a release build; the bound leaves room for the sanitizer builds.
    QVERIFY2(ms < 5000, qPrintable(QString::number(ms)));
}

QTEST_GUILESS_MAIN(TestBootstrapBands)
#include "tst_bootstrapbands.moc"
