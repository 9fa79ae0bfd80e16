#include "TestData.h"
#include "eval/Calibration.h"
#include "eval/CalibrationSummary.h"
#include "eval/TemperatureScaling.h"
#include "io/PredictionsReader.h"

#include "Error.h"

#include <QTest>

#include <cmath>
#include <tuple>
#include <utility>

using namespace eenet;

/// Calibration metrics against numbers worked out by hand, and temperature scaling against cases whose
/// best temperature is known, on the shipped sample and on an overconfident synthetic model.
class TestCalibration : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void metricsOfAHandMadeSplit();
    void aConfidentRightExitIsPerfectlyCalibrated();
    void aKnownTemperatureIsFound();
    void sharpenedPredictionsNeedTheSharpeningUndone();
    void temperatureOneGivesBackTheProbabilities();
    void scalingKeepsEveryPrediction();
    void roundingTiesKeepThePrediction();
    void sampleFileFitLowersValidationNll();
    void overconfidentModelIsCooled();
    void fitStopsAtTheEdgeWhenTheBestTemperatureLiesBeyond();
    void manySamplesRightEverywhereStopAtTheEdge();
    void summaryMeasuresTheScaledProbabilities();
    void everythingButTheProbabilitiesIsKept();
    void scaledPredictionsRecordTheirTemperatures();
    void badInputIsRefused();
};

namespace {

/// K = 2, C = 3, N = 4. Exit 1's rows (label in brackets):
///   (0.70, 0.20, 0.10) [0]  confidence 0.70, right
///   (0.10, 0.50, 0.40) [2]  confidence 0.50, wrong
///   (0.25, 0.25, 0.50) [2]  confidence 0.50, right
///   (0.00, 0.95, 0.05) [0]  confidence 0.95, wrong, p_label = 0
/// Exit 2 is one-hot on the label everywhere.
Predictions handMade() {
    Predictions p;
    p.numExits = 2;
    p.numClasses = 3;
    p.costs = {1, 2};
    p.exitNames = {"exit 1", "exit 2"};
    p.classNames = {"a", "b", "c"};
    p.val.numSamples = 4;
    p.val.labels = {0, 2, 2, 0};
    p.val.probs = {0.70f, 0.20f, 0.10f, 0.10f, 0.50f, 0.40f, 0.25f, 0.25f, 0.50f, 0.00f, 0.95f, 0.05f, //
                   1.0f,  0.0f,  0.0f,  0.0f,  0.0f,  1.0f,  0.0f,  0.0f,  1.0f,  1.0f,  0.0f,  0.0f};
    return p;
}

/// Two classes, every row (0.9, 0.1), labels 0, 0, 0, 1. The best calibrated probability of class 0 is the
/// frequency 3/4, so 0.9^β / (0.9^β + 0.1^β) = 3/4: β = ln 3 / ln 9 and T = 2 (up to float's 0.9 and 0.1).
Predictions knownTemperature() {
    Predictions p;
    p.numExits = 1;
    p.numClasses = 2;
    p.costs = {1};
    p.exitNames = {"exit 1"};
    p.classNames = {"a", "b"};
    p.val.numSamples = 4;
    p.val.labels = {0, 0, 0, 1};
    p.val.probs = {0.9f, 0.1f, 0.9f, 0.1f, 0.9f, 0.1f, 0.9f, 0.1f};
    return p;
}

/// Synthetic predictions made overconfident: every row raised to the power 4 and renormalised (T = 1/4),
/// then taken as a model's own probabilities (no temperatures recorded), as an overconfident model's file.
Predictions overconfident() {
    const Predictions honest = makeSyntheticPredictions({4, 10, 3000, 2000, 21});
    Predictions hot = temperatureScaled(honest, {0.25, 0.25, 0.25, 0.25});
    hot.temperatures.clear();
    return hot;
}

void verifyNear(double actual, double expected, double tolerance, const char* what) {
    QVERIFY2(
        std::abs(actual - expected) <= tolerance,
        qPrintable(QStringLiteral("%1: %2, expected %3").arg(what).arg(actual, 0, 'g', 17).arg(expected)));
}

/// Every sample's prediction at every exit is the same in `a` and `b`.
void verifySamePredictions(const Predictions& a, const Predictions& b) {
    const auto compareSplit = [&](const SplitPredictions& x, const SplitPredictions& y) {
        for (int k = 0; k < a.numExits; ++k)
            for (int i = 0; i < x.numSamples; ++i)
                if (predictedClass(x, a.numClasses, k, i) != predictedClass(y, a.numClasses, k, i))
                    return false;
        return true;
    };
    QVERIFY(compareSplit(a.val, b.val));
    QVERIFY(a.test.has_value() == b.test.has_value());
    if (a.test)
        QVERIFY(compareSplit(*a.test, *b.test));
}

} // namespace

void TestCalibration::metricsOfAHandMadeSplit() {
    const Predictions p = handMade();
    const CalibrationMetrics m = calibrationOf(p.val, 3, 2, 0);
    QCOMPARE(m.bins.size(), size_t(15));
    // Bin b holds (b/15, (b+1)/15]: 0.5 falls in bin 7 (0.467, 0.533], 0.7 in bin 10 (0.667, 0.733], 0.95 in
    // bin 14.
    for (int b = 0; b < 15; ++b) {
        const ReliabilityBin& bin = m.bins[size_t(b)];
        verifyNear(bin.lower, b / 15.0, 1e-15, "lower edge");
        verifyNear(bin.upper, (b + 1) / 15.0, 1e-15, "upper edge");
        QCOMPARE(bin.count, b == 7 ? 2 : b == 10 || b == 14 ? 1 : 0);
        if (bin.count == 0)
            QVERIFY(std::isnan(bin.meanConfidence) && std::isnan(bin.accuracy));
    }
    QCOMPARE(m.bins[7].meanConfidence, 0.5);
    QCOMPARE(m.bins[7].accuracy, 0.5);
    verifyNear(m.bins[10].meanConfidence, 0.7, 1e-7, "bin 10 confidence");
    QCOMPARE(m.bins[10].accuracy, 1.0);
    verifyNear(m.bins[14].meanConfidence, 0.95, 1e-7, "bin 14 confidence");
    QCOMPARE(m.bins[14].accuracy, 0.0);
    // Gaps: bin 7 |0.5 − 0.5| = 0, bin 10 |1 − 0.7| = 0.3, bin 14 |0 − 0.95| = 0.95.
    // ECE = 2/4 · 0 + 1/4 · 0.3 + 1/4 · 0.95 = 0.3125; MCE = 0.95.
    verifyNear(m.ece, 0.3125, 1e-7, "ECE");
    verifyNear(m.mce, 0.95, 1e-7, "MCE");
    // NLL: −(ln 0.7 + ln 0.4 + ln 0.5 + ln 2^−126) / 4, the last label's 0 floored at 2^−126:
    // (0.356675 + 0.916291 + 0.693147 + 87.336545) / 4 = 22.325665.
    verifyNear(m.nll, 22.325665, 1e-6, "NLL");
    // Brier: (0.09 + 0.04 + 0.01) + (0.01 + 0.25 + 0.36) + (0.0625 + 0.0625 + 0.25) + (1 + 0.9025 + 0.0025)
    // = 0.14 + 0.62 + 0.375 + 1.905 = 3.04, over 4 samples 0.76.
    verifyNear(m.brier, 0.76, 1e-7, "Brier");
}

void TestCalibration::aConfidentRightExitIsPerfectlyCalibrated() {
    const std::vector<CalibrationMetrics> perExit = calibrationPerExit(handMade().val, 3, 2);
    QCOMPARE(perExit.size(), size_t(2));
    const CalibrationMetrics& m = perExit[1];
    QCOMPARE(m.bins[14].count, 4);
    QCOMPARE(m.bins[14].accuracy, 1.0);
    QCOMPARE(m.ece, 0.0);
    QCOMPARE(m.mce, 0.0);
    QCOMPARE(m.nll, 0.0);
    QCOMPARE(m.brier, 0.0);
    QCOMPARE(perExit[0].ece, calibrationOf(handMade().val, 3, 2, 0).ece);
}

void TestCalibration::aKnownTemperatureIsFound() {
    const Predictions p = knownTemperature();
    const TemperatureFit fit = fitTemperature(p.val, 2, 1, 0);
    QVERIFY(!fit.atBound);
    const double exact = std::log(double(0.9f) / double(0.1f)) / std::log(3.0);
    verifyNear(fit.temperature, exact, 1e-11 * exact, "temperature");
    verifyNear(fit.temperature, 2.0, 1e-6, "temperature");
    // At T the calibrated probability of class 0 is the label frequency 3/4, and the NLL is the entropy of
    // (3/4, 1/4): −(3/4 ln 3/4 + 1/4 ln 1/4) = 0.562335.
    const Predictions scaled = temperatureScaled(p, {fit.temperature});
    verifyNear(scaled.val.probs[0], 0.75, 1e-7, "calibrated p");
    verifyNear(temperatureScaledNll(p.val, 2, 1, 0, fit.temperature), 0.5623351446, 1e-9, "NLL at T");
    verifyNear(calibrationOf(scaled.val, 2, 1, 0).nll, 0.5623351446, 1e-7, "NLL of the scaled copy");
}

void TestCalibration::sharpenedPredictionsNeedTheSharpeningUndone() {
    // softmax(log(p^3) / T') = softmax(log p / (T' / 3)): the fit on p^3 must be three times the fit on p.
    const Predictions honest = makeSyntheticPredictions({4, 10, 2000, 0, 5});
    const Predictions sharpened = temperatureScaled(honest, {1.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3});
    const std::vector<TemperatureFit> plain = fitTemperatures(honest);
    const std::vector<TemperatureFit> sharp = fitTemperatures(sharpened);
    for (size_t k = 0; k < plain.size(); ++k)
        verifyNear(sharp[k].temperature, 3 * plain[k].temperature, 1e-4 * plain[k].temperature, "3 T");
}

void TestCalibration::temperatureOneGivesBackTheProbabilities() {
    const auto sample = readPredictions(test::samplePath().toStdString());
    const Predictions same = temperatureScaled(*sample, {1, 1, 1, 1});
    QVERIFY(same.val.probs == sample->val.probs);
    QVERIFY(same.test->probs == sample->test->probs);
    // Close to 1 the scaled row is p renormalised: within float rounding of p.
    std::vector<float> out(10);
    for (int i = 0; i < 100; ++i) {
        scaleRow(sample->val.row(10, 1, i), 10, 1.0 + 1e-12, out.data());
        for (int c = 0; c < 10; ++c)
            verifyNear(out[size_t(c)], sample->val.row(10, 1, i)[c], 2e-6, "p at T = 1 + 1e-12");
    }
}

void TestCalibration::scalingKeepsEveryPrediction() {
    const auto sample = readPredictions(test::samplePath().toStdString());
    for (double t : {0.05, 0.5, 2.0, 20.0, 99.0})
        verifySamePredictions(*sample, temperatureScaled(*sample, {t, t, t, t}));
}

void TestCalibration::roundingTiesKeepThePrediction() {
    // Class 1 leads by one float step; at T = 100 the two scaled values differ by about 1e-9 and round to
    // one float, which would make class 0 the (first) largest.
    const float row[2] = {0.5f, std::nextafter(0.5f, 1.0f)};
    float out[2];
    scaleRow(row, 2, 100.0, out);
    QVERIFY(out[1] > out[0]);
    verifyNear(out[0], 0.5, 1e-6, "class 0");
}

void TestCalibration::sampleFileFitLowersValidationNll() {
    const auto sample = readPredictions(test::samplePath().toStdString());
    const std::vector<TemperatureFit> fits = fitTemperatures(*sample);
    QCOMPARE(fits.size(), size_t(4));
    const Predictions scaled = temperatureScaled(*sample, temperaturesOf(fits));
    for (int k = 0; k < 4; ++k) {
        const double t = fits[size_t(k)].temperature;
        QVERIFY(!fits[size_t(k)].atBound);
        const double before = calibrationOf(sample->val, 10, 4, k).nll;
        const double after = calibrationOf(scaled.val, 10, 4, k).nll;
        QVERIFY2(after <= before + 1e-9,
                 qPrintable(QStringLiteral("exit %1: %2 -> %3").arg(k).arg(before).arg(after)));
        // The objective at T is a minimum: a step of 0.1 % either way raises it.
        const double atT = temperatureScaledNll(sample->val, 10, 4, k, t);
        QVERIFY(temperatureScaledNll(sample->val, 10, 4, k, t * 1.001) > atT);
        QVERIFY(temperatureScaledNll(sample->val, 10, 4, k, t / 1.001) > atT);
        verifyNear(temperatureScaledNll(sample->val, 10, 4, k, 1.0), before, 1e-6, "NLL at T = 1");
    }
    verifySamePredictions(*sample, scaled);
}

void TestCalibration::overconfidentModelIsCooled() {
    const Predictions hot = overconfident();
    const std::vector<TemperatureFit> fits = fitTemperatures(hot);
    const Predictions cooled = temperatureScaled(hot, temperaturesOf(fits));
    for (int k = 0; k < 4; ++k) {
        // The honest synthetic exits fit T between 0.43 and 0.66, so the power 4 asks for 1.7 to 2.7.
        QVERIFY2(fits[size_t(k)].temperature > 1.5, qPrintable(QString::number(fits[size_t(k)].temperature)));
        const CalibrationMetrics before = calibrationOf(hot.val, 10, 4, k);
        const CalibrationMetrics after = calibrationOf(cooled.val, 10, 4, k);
        QVERIFY(after.nll < before.nll);
        QVERIFY(after.ece < before.ece);
        // The test split was not fitted on, and still gains.
        QVERIFY(calibrationOf(*cooled.test, 10, 4, k).nll < calibrationOf(*hot.test, 10, 4, k).nll);
    }
    verifySamePredictions(hot, cooled);
}

void TestCalibration::fitStopsAtTheEdgeWhenTheBestTemperatureLiesBeyond() {
    // Exit 2 of the hand-made split is right on every sample: the NLL falls all the way to T = 0.
    const Predictions p = handMade();
    const TemperatureFit right = fitTemperature(p.val, 3, 2, 1);
    QVERIFY(right.atBound);
    QCOMPARE(right.temperature, kMinTemperature);
    // Labels on the least likely class: flattening towards uniform helps all the way to T = infinity.
    Predictions wrong = knownTemperature();
    wrong.val.labels = {1, 1, 1, 1};
    const TemperatureFit flat = fitTemperature(wrong.val, 2, 1, 0);
    QVERIFY(flat.atBound);
    QCOMPARE(flat.temperature, kMaxTemperature);
}

void TestCalibration::manySamplesRightEverywhereStopAtTheEdge() {
    // Enough samples for the fit to start from a subsample's root (which here lies at the edge too), and
    // every label the row's prediction: Newton creeps towards T = 0 and must be stopped at the edge.
    Predictions p = makeSyntheticPredictions({2, 20, 12000, 0, 3});
    for (int i = 0; i < p.val.numSamples; ++i)
        p.val.labels[size_t(i)] = predictedClass(p.val, 20, 0, i);
    const TemperatureFit right = fitTemperature(p.val, 20, 2, 0);
    QVERIFY(right.atBound);
    QCOMPARE(right.temperature, kMinTemperature);
    // The other exit, its labels no longer its predictions, has its minimum inside the range.
    const TemperatureFit inside = fitTemperature(p.val, 20, 2, 1);
    QVERIFY(!inside.atBound);
    const double atT = temperatureScaledNll(p.val, 20, 2, 1, inside.temperature);
    QVERIFY(temperatureScaledNll(p.val, 20, 2, 1, inside.temperature * 1.0001) > atT);
    QVERIFY(temperatureScaledNll(p.val, 20, 2, 1, inside.temperature / 1.0001) > atT);
}

void TestCalibration::summaryMeasuresTheScaledProbabilities() {
    // The summary scales each row on the fly instead of holding a scaled copy: its "after" figures must be
    // those of the copy, to the last bit.
    const auto sample = readPredictions(test::samplePath().toStdString());
    const CalibrationSummary summary = summarizeCalibration(*sample);
    std::vector<double> temperatures;
    for (const ExitCalibration& exit : summary.exits)
        temperatures.push_back(exit.fit.temperature);
    QCOMPARE(temperatures, temperaturesOf(fitTemperatures(*sample)));
    const Predictions scaled = temperatureScaled(*sample, temperatures);
    for (int k = 0; k < 4; ++k) {
        const ExitCalibration& exit = summary.exits[size_t(k)];
        QVERIFY(exit.test.has_value());
        for (const auto& [measured, before, after] :
             {std::tuple{exit.val, &sample->val, &scaled.val},
              std::tuple{*exit.test, &*sample->test, &*scaled.test}}) {
            const CalibrationMetrics expectedBefore = calibrationOf(*before, 10, 4, k);
            const CalibrationMetrics expectedAfter = calibrationOf(*after, 10, 4, k);
            for (const auto& [got, expected] :
                 {std::pair{measured.before, expectedBefore}, std::pair{measured.after, expectedAfter}}) {
                QCOMPARE(got.ece, expected.ece);
                QCOMPARE(got.mce, expected.mce);
                QCOMPARE(got.nll, expected.nll);
                QCOMPARE(got.brier, expected.brier);
                for (int b = 0; b < kReliabilityBins; ++b)
                    QCOMPARE(got.bins[size_t(b)].count, expected.bins[size_t(b)].count);
            }
        }
    }
}

void TestCalibration::everythingButTheProbabilitiesIsKept() {
    const Predictions hot = overconfident();
    const Predictions cooled = temperatureScaled(hot, {1.5, 2, 2.5, 3});
    QCOMPARE(cooled.val.labels, hot.val.labels);
    QCOMPARE(cooled.test->labels, hot.test->labels);
    QCOMPARE(cooled.costs, hot.costs);
    QCOMPARE(cooled.exitNames, hot.exitNames);
    QCOMPARE(cooled.classNames, hot.classNames);
    QCOMPARE(cooled.sourcePath, hot.sourcePath);
    QCOMPARE(cooled.loadNotes, hot.loadNotes);
    QCOMPARE(cooled.temperatures, std::vector<double>({1.5, 2, 2.5, 3}));
    QCOMPARE(cooled.val.probs.size(), hot.val.probs.size());
    QVERIFY(cooled.val.probs != hot.val.probs);
    // Each row still sums to 1.
    for (int i = 0; i < 50; ++i) {
        double sum = 0;
        for (int c = 0; c < 10; ++c)
            sum += cooled.test->row(10, 3, i)[c];
        verifyNear(sum, 1.0, 1e-5, "row sum");
    }
}

void TestCalibration::scaledPredictionsRecordTheirTemperatures() {
    const auto sample = readPredictions(test::samplePath().toStdString());
    QVERIFY(sample->temperatures.empty());
    const std::vector<double> temperatures = temperaturesOf(fitTemperatures(*sample));
    const Predictions scaled = temperatureScaled(*sample, temperatures);
    QCOMPARE(scaled.temperatures, temperatures);
    // Scaling twice is not scaling once by the product (floats are rounded in between): no scheduler could
    // carry it, so it is refused, whatever the second temperatures.
    try {
        temperatureScaled(scaled, {1, 1, 1, 1});
        QFAIL("scaled predictions were scaled again");
    } catch (const ArgumentError& e) {
        QVERIFY2(QString(e.what()).contains("temperature-scaled already"), e.what());
    }
    // The split-level scaling a deployed policy uses gives the very same floats.
    const SplitPredictions test = temperatureScaledSplit(*sample->test, 4, 10, temperatures);
    QVERIFY(test.probs == scaled.test->probs);
    QCOMPARE(test.labels, scaled.test->labels);
    QVERIFY_THROWS_EXCEPTION(ArgumentError, temperatureScaledSplit(sample->val, 4, 10, {1, 1, 1}));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, temperatureScaledSplit(sample->val, 4, 10, {1, 1, 0, 1}));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, temperatureScaledSplit(sample->val, 4, 9, temperatures));
}

void TestCalibration::badInputIsRefused() {
    const Predictions p = handMade();
    QVERIFY_THROWS_EXCEPTION(ArgumentError, temperatureScaled(p, {1.0}));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, temperatureScaled(p, {1.0, 0.0}));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, temperatureScaled(p, {1.0, -2.0}));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, temperatureScaled(p, {std::nan(""), 1.0}));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, temperatureScaled(p, {1.0, INFINITY}));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, calibrationOf(p.val, 3, 2, 2));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, calibrationOf(p.val, 3, 2, -1));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, fitTemperature(p.val, 3, 2, 5));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, temperatureScaledNll(p.val, 3, 2, 0, 0.0));
    SplitPredictions badLabel = p.val;
    badLabel.labels[2] = 3;
    QVERIFY_THROWS_EXCEPTION(ArgumentError, calibrationOf(badLabel, 3, 2, 0));
    SplitPredictions shortProbs = p.val;
    shortProbs.probs.pop_back();
    QVERIFY_THROWS_EXCEPTION(ArgumentError, fitTemperature(shortProbs, 3, 2, 0));
    SplitPredictions empty;
    QVERIFY_THROWS_EXCEPTION(ArgumentError, calibrationOf(empty, 3, 2, 0));
    SplitPredictions withNan = p.val;
    withNan.probs[1] = std::nanf("");
    QVERIFY_THROWS_EXCEPTION(ArgumentError, fitTemperature(withNan, 3, 2, 0));
    try {
        temperatureScaled(p, {1.0, 2.0, 3.0});
        QFAIL("three temperatures for two exits were accepted");
    } catch (const ArgumentError& e) {
        QCOMPARE(QString(e.what()), QString("temperature scaling: 3 temperatures for 2 exits"));
    }
}

QTEST_GUILESS_MAIN(TestCalibration)
#include "tst_calibration.moc"
