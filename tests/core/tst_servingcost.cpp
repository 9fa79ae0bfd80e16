#include "Error.h"
#include "eval/ServingCost.h"
#include "eval/ServingMode.h"

#include <QTest>

#include <cmath>
#include <functional>
#include <vector>

using namespace eenet;

class TestServingCost : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void syncAndCompactEqualEveryBatchEnumerated_data();
    void syncAndCompactEqualEveryBatchEnumerated();
    void sampleModeIsTheAverageOfOneSampleBatches();
    void batchCostsInterpolateInLogBatchSize();
    void withoutBatchCostsCompactIsThePerSampleCost();
    void aBatchLargerThanTheSplitIsTheSplit();
    void largeSplitsStayFiniteAndExact();
    void staticCostIsOneExitsBatchCostPerSample();
    void badCountsAreRejected();
    void servingModesParseAndName_data();
    void servingModesParseAndName();
};

namespace {

/// Four exits; with `measured`, per-batch costs at sizes 1, 2 and 4 that gain from batching unevenly (stage
/// 3 gains nothing from 1 to 2, stage 2 a lot), so a wrong stage difference or interpolation shows.
Predictions handMade(bool measured) {
    Predictions p;
    p.sourcePath = "handmade.h5";
    p.numExits = 4;
    p.costs = {1.0, 2.5, 3.0, 5.0};
    p.costUnit = "ms";
    if (measured) {
        p.batchCosts.batchSizes = {1, 2, 4};
        p.batchCosts.values = {1.0, 1.6, 2.0,   // exit 1
                               2.5, 3.0, 4.5,   // exit 2
                               3.0, 4.0, 6.5,   // exit 3
                               5.0, 7.0, 12.0}; // exit 4
        p.batchCosts.unit = "ms";
    }
    return p;
}

/// Calls visit on every subset of b indices of {0..n-1}.
void forEachSubset(int n, int b, const std::function<void(const std::vector<int>&)>& visit) {
    std::vector<int> chosen;
    std::function<void(int)> recurse = [&](int next) {
        if (static_cast<int>(chosen.size()) == b) {
            visit(chosen);
            return;
        }
        for (int i = next; i < n; ++i) {
            chosen.push_back(i);
            recurse(i + 1);
            chosen.pop_back();
        }
    };
    recurse(0);
}

/// The costs per sample by enumerating every batch of b samples (all equally likely), straight from the
/// definitions: sync pays L_m(b), m the deepest exit; compact pays L_j(n_j) - L_{j-1}(n_j) per stage reached.
std::pair<double, double> enumerated(const ServingCostModel& model, const std::vector<int>& exitOf, int b) {
    double sync = 0;
    double compact = 0;
    long long batches = 0;
    forEachSubset(static_cast<int>(exitOf.size()), b, [&](const std::vector<int>& batch) {
        int deepest = 0;
        for (int i : batch)
            deepest = std::max(deepest, exitOf[static_cast<size_t>(i)]);
        sync += model.batchCost(deepest, b);
        for (int j = 0; j < model.numExits(); ++j) {
            int reaching = 0;
            for (int i : batch)
                reaching += exitOf[static_cast<size_t>(i)] >= j;
            if (reaching > 0)
                compact += model.batchCost(j, reaching) - (j > 0 ? model.batchCost(j - 1, reaching) : 0.0);
        }
        ++batches;
    });
    return {sync / batches / b, compact / batches / b};
}

} // namespace

void TestServingCost::syncAndCompactEqualEveryBatchEnumerated_data() {
    QTest::addColumn<bool>("measured");
    QTest::addColumn<std::vector<int>>("exitOf");
    const std::vector<int> spread{0, 0, 3, 1, 0, 2, 1, 0};
    const std::vector<int> oneDeep{0, 0, 0, 0, 0, 0, 0, 3};
    const std::vector<int> noneAtFirst{1, 2, 3, 3, 1, 2, 2, 1};
    const std::vector<int> skipsAnExit{0, 3, 0, 3, 0, 0, 3, 0};
    for (bool measured : {true, false}) {
        const char* how = measured ? "measured" : "b c_k";
        QTest::addRow("spread, %s", how) << measured << spread;
        QTest::addRow("one deep sample, %s", how) << measured << oneDeep;
        QTest::addRow("none at exit 1, %s", how) << measured << noneAtFirst;
        QTest::addRow("exits 2 and 3 empty, %s", how) << measured << skipsAnExit;
    }
}

void TestServingCost::syncAndCompactEqualEveryBatchEnumerated() {
    QFETCH(bool, measured);
    QFETCH(std::vector<int>, exitOf);
    const ServingCostModel model(handMade(measured));
    QCOMPARE(model.measured(), measured);
    const std::vector<long long> counts = exitCounts(exitOf, 4);
    for (int b = 1; b <= 5; ++b) {
        const auto [sync, compact] = enumerated(model, exitOf, b);
        const double gotSync = model.costPerSample(counts, {RunMode::Sync, b});
        const double gotCompact = model.costPerSample(counts, {RunMode::Compact, b});
        QVERIFY2(
            std::abs(gotSync - sync) <= 1e-12 * sync,
            qPrintable(QString("sync:%1 %2 vs enumerated %3").arg(b).arg(gotSync, 0, 'g', 17).arg(sync)));
        QVERIFY2(
            std::abs(gotCompact - compact) <= 1e-12 * compact,
            qPrintable(
                QString("compact:%1 %2 vs enumerated %3").arg(b).arg(gotCompact, 0, 'g', 17).arg(compact)));
    }
}

void TestServingCost::sampleModeIsTheAverageOfOneSampleBatches() {
    const ServingCostModel model(handMade(true));
    const std::vector<long long> counts{4, 2, 1, 1};
    const double expected = (4 * 1.0 + 2 * 2.5 + 1 * 3.0 + 1 * 5.0) / 8;
    QCOMPARE(model.costPerSample(counts, {RunMode::Sample, 1}), expected);
    // A batch of one is one sample, whatever the mode says.
    QCOMPARE(model.costPerSample(counts, {RunMode::Sync, 1}), expected);
    QCOMPARE(model.costPerSample(counts, {RunMode::Compact, 1}), expected);
}

void TestServingCost::batchCostsInterpolateInLogBatchSize() {
    Predictions p = handMade(true);
    p.batchCosts.batchSizes = {2, 8, 32};
    const ServingCostModel model(p);
    QCOMPARE(model.unit(), std::string("ms"));
    QCOMPARE(model.batchSizes(), std::vector<int>({2, 8, 32}));
    // Measured sizes come back as measured.
    QCOMPARE(model.batchCost(1, 2), 2.5);
    QCOMPARE(model.batchCost(1, 8), 3.0);
    QCOMPARE(model.batchCost(1, 32), 4.5);
    // 4 is halfway from 2 to 8 in log b, 16 halfway from 8 to 32.
    QCOMPARE(model.batchCost(1, 4), 2.75);
    QCOMPARE(model.batchCost(1, 16), 3.75);
    // 3 is log(3/2) / log(4) of the way.
    QCOMPARE(model.batchCost(3, 3), 5.0 + (7.0 - 5.0) * std::log(1.5) / std::log(4.0));
    // Outside the measured sizes the cost per sample stays at the nearest measured size's.
    QCOMPARE(model.batchCost(1, 1), 2.5 / 2);
    QCOMPARE(model.batchCost(3, 64), 12.0 * 2);
    QCOMPARE(model.batchCost(0, 100), 2.0 * 100 / 32);
    QVERIFY_THROWS_EXCEPTION(ArgumentError, model.batchCost(4, 2));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, model.batchCost(0, 0));

    const ServingCostModel assumed(handMade(false));
    QVERIFY(!assumed.measured());
    QCOMPARE(assumed.batchCost(2, 7), 7 * 3.0);
}

void TestServingCost::withoutBatchCostsCompactIsThePerSampleCost() {
    // With L_k(b) = b c_k, stage j costs n_j (c_j - c_{j-1}), and E[n_j] = b S_j / N: compact saves exactly
    // what early exit saves one sample at a time, while sync pays for the deepest sample of each batch.
    const ServingCostModel model(handMade(false));
    const std::vector<long long> counts{700, 200, 60, 40};
    const double perSample = (700 * 1.0 + 200 * 2.5 + 60 * 3.0 + 40 * 5.0) / 1000;
    for (int b : {2, 16, 256}) {
        QVERIFY(std::abs(model.costPerSample(counts, {RunMode::Compact, b}) - perSample) <=
                1e-12 * perSample);
        const double sync = model.costPerSample(counts, {RunMode::Sync, b});
        QVERIFY(sync > perSample && sync <= 5.0);
    }
    // 4 % of samples at the last exit: a batch of 256 almost surely holds one, so sync is the full model.
    QVERIFY(std::abs(model.costPerSample(counts, {RunMode::Sync, 256}) - 5.0) < 1e-3);
}

void TestServingCost::aBatchLargerThanTheSplitIsTheSplit() {
    const ServingCostModel model(handMade(true));
    const std::vector<long long> counts{2, 0, 1, 0};
    for (RunMode mode : {RunMode::Sync, RunMode::Compact})
        QCOMPARE(model.costPerSample(counts, {mode, 50}), model.costPerSample(counts, {mode, 3}));
    // One batch of all three: sync runs it to exit 3, compact runs exits 1 to 3 on 3, 1 and 1 samples.
    const double l3 = model.batchCost(2, 3);
    QCOMPARE(model.costPerSample(counts, {RunMode::Sync, 3}), l3 / 3);
    const double compact = model.batchCost(0, 3) + (model.batchCost(1, 1) - model.batchCost(0, 1)) +
                           (model.batchCost(2, 1) - model.batchCost(1, 1));
    QVERIFY(std::abs(model.costPerSample(counts, {RunMode::Compact, 3}) - compact / 3) <= 1e-15);
}

void TestServingCost::largeSplitsStayFiniteAndExact() {
    // N = 50,000 and b = 256: C(N, b) overflows a double by far; the probabilities must not.
    const ServingCostModel model(handMade(true));
    const std::vector<long long> counts{49990, 0, 0, 10};
    // P(no deep sample in the batch) = prod_{i<256} (49990 - i) / (50000 - i).
    double none = 1;
    for (int i = 0; i < 256; ++i)
        none *= (49990.0 - i) / (50000.0 - i);
    const double expectedSync = (none * model.batchCost(0, 256) + (1 - none) * model.batchCost(3, 256)) / 256;
    QVERIFY(std::abs(model.costPerSample(counts, {RunMode::Sync, 256}) - expectedSync) <=
            1e-12 * expectedSync);
    // Compact: exit 1 on the whole batch; stages 2..4 on the deep samples drawn, n ~ hypergeometric.
    double expectedCompact = model.batchCost(0, 256);
    double p = none;
    for (int n = 1; n <= 10; ++n) {
        // P(n) / P(n-1) = (S - n + 1)(b - n + 1) / (n (N - S - b + n)).
        p *= (10.0 - n + 1) * (256.0 - n + 1) / (n * (50000.0 - 10 - 256 + n));
        expectedCompact += p * (model.batchCost(3, n) - model.batchCost(0, n));
    }
    expectedCompact /= 256;
    const double compact = model.costPerSample(counts, {RunMode::Compact, 256});
    QVERIFY2(std::abs(compact - expectedCompact) <= 1e-12 * expectedCompact,
             qPrintable(QString("%1 vs %2").arg(compact, 0, 'g', 17).arg(expectedCompact, 0, 'g', 17)));

    // Evenly spread exits: the hypergeometric's tails fade to zero rather than overflowing.
    const std::vector<long long> even{12500, 12500, 12500, 12500};
    for (RunMode mode : {RunMode::Sync, RunMode::Compact}) {
        const double cost = model.costPerSample(even, {mode, 256});
        QVERIFY(std::isfinite(cost));
        QVERIFY(cost >= model.staticCostPerSample(0, {mode, 256}) &&
                cost <= model.staticCostPerSample(3, {mode, 256}));
    }
}

void TestServingCost::staticCostIsOneExitsBatchCostPerSample() {
    const ServingCostModel model(handMade(true));
    for (RunMode mode : {RunMode::Sync, RunMode::Compact}) {
        QCOMPARE(model.staticCostPerSample(3, {mode, 4}), 12.0 / 4);
        QCOMPARE(model.costPerSample({0, 0, 0, 8}, {mode, 4}), 12.0 / 4);
        QCOMPARE(model.costPerSample({8, 0, 0, 0}, {mode, 2}), model.staticCostPerSample(0, {mode, 2}));
    }
    QCOMPARE(model.staticCostPerSample(1, {RunMode::Sample, 1}), 2.5);
}

void TestServingCost::badCountsAreRejected() {
    const ServingCostModel model(handMade(true));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, model.costPerSample({1, 2, 3}, {RunMode::Sync, 2}));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, model.costPerSample({1, -1, 3, 0}, {RunMode::Sync, 2}));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, model.costPerSample({0, 0, 0, 0}, {RunMode::Sync, 2}));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, model.costPerSample({1, 0, 0, 0}, {RunMode::Sync, 0}));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, exitCounts({0, 4}, 4));
    Predictions broken = handMade(true);
    broken.batchCosts.values.pop_back();
    QVERIFY_THROWS_EXCEPTION(ArgumentError, ServingCostModel{broken});
}

void TestServingCost::servingModesParseAndName_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("name");
    QTest::newRow("sample") << "sample" << true << "sample";
    QTest::newRow("sync:32") << "sync:32" << true << "sync:32";
    QTest::newRow("compact:256") << "compact:256" << true << "compact:256";
    QTest::newRow("sync:1 is sample") << "sync:1" << true << "sample";
    QTest::newRow("sync:0") << "sync:0" << false << "";
    QTest::newRow("sync") << "sync" << false << "";
    QTest::newRow("sync:") << "sync:" << false << "";
    QTest::newRow("sample:4") << "sample:4" << false << "";
    QTest::newRow("compact:-2") << "compact:-2" << false << "";
    QTest::newRow("compact:3x") << "compact:3x" << false << "";
    QTest::newRow("huge") << "sync:99999999999" << false << "";
    QTest::newRow("SYNC:4") << "SYNC:4" << false << "";
}

void TestServingCost::servingModesParseAndName() {
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, name);
    const std::optional<ServingMode> parsed = parseServingMode(text.toStdString());
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(QString::fromStdString(servingModeName(*parsed)), name);
}

QTEST_GUILESS_MAIN(TestServingCost)
#include "tst_servingcost.moc"
