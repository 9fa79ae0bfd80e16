#include "Error.h"
#include "TestData.h"
#include "data/SyntheticPredictions.h"
#include "io/PredictionsReader.h"
#include "policy/EENetTrainer.h"
#include "policy/ExitData.h"
#include "policy/PolicyEvaluation.h"

#include <QDebug>
#include <QTest>

#include <atomic>
#include <cmath>
#include <limits>
#include <memory>

using namespace eenet;

namespace {

bool sameWeights(const EENetScheduler& a, const EENetScheduler& b) {
    return a.classWeights == b.classWeights && a.auxWeights == b.auxWeights;
}

} // namespace

class TestEENetTrainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void realisedValidationCostMeetsTheBudget_data();
    void realisedValidationCostMeetsTheBudget();
    void sameSeedSameScheduler();
    void rejectsBudgetsOutsideTheCostRange_data();
    void rejectsBudgetsOutsideTheCostRange();
    void rejectsBadOptions();
    void cancelStopsTheFit();
    void historyAlternatesPhases_data();
    void historyAlternatesPhases();
    void referenceModeRuns();
    void reportsTrainingTime();

private:
    Predictions m_synthetic;
    std::shared_ptr<const Predictions> m_sample;
};

void TestEENetTrainer::initTestCase() {
    m_synthetic = makeSyntheticPredictions({4, 10, 3000, 3000, 11});
    m_sample = readPredictions(test::samplePath().toStdString()); // shipped with the sources
}

void TestEENetTrainer::realisedValidationCostMeetsTheBudget_data() {
    QTest::addColumn<bool>("sample");
    QTest::addColumn<double>("fraction");
    for (bool sample : {false, true}) {
        // Both ends of [c_1, c_K] included: budget matching must reach them.
        for (double fraction : {0.0, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1.0}) {
            const QByteArray name =
                QByteArray(sample ? "sample " : "synthetic ") + QByteArray::number(fraction);
            QTest::newRow(name.constData()) << sample << fraction;
        }
    }
}

void TestEENetTrainer::realisedValidationCostMeetsTheBudget() {
    QFETCH(bool, sample);
    QFETCH(double, fraction);
    const Predictions& p = sample ? *m_sample : m_synthetic;
    const double budget = test::budgetAt(p, fraction);
    EENetOptions options;
    options.seed = 5;
    const EENetFit fit = trainEENet(p, budget, options);

    QCOMPARE(fit.scheduler.thresholds.size(), size_t(p.numExits));
    QCOMPARE(fit.scheduler.budget, budget);
    QCOMPARE(fit.exitDistribution.size(), size_t(p.numExits));
    double expected = 0;
    for (int k = 0; k < p.numExits; ++k)
        expected += fit.exitDistribution[static_cast<size_t>(k)] * p.costs[static_cast<size_t>(k)];
    QVERIFY2(std::abs(expected - budget) <= 1e-6 * budget,
             qPrintable(QString("pBar costs %1").arg(expected)));

    const ExitData val = makeExitData(p, p.val);
    const PolicyOutcome outcome = evaluatePolicy(fit.scheduler.scores(p.val), fit.scheduler.thresholds, val);
    const double deviation = (outcome.cost - budget) / budget;
    QString line = QString("budget %1: val cost %2 (%3 %), val acc %4 %")
                       .arg(budget, 0, 'f', 4)
                       .arg(outcome.cost, 0, 'f', 4)
                       .arg(100 * deviation, 0, 'f', 3)
                       .arg(outcome.accuracyPercent, 0, 'f', 2);
    if (p.test) {
        const PolicyOutcome test =
            evaluatePolicy(fit.scheduler.scores(*p.test), fit.scheduler.thresholds, makeExitData(p, *p.test));
        line += QString(", test cost %1, test acc %2 %")
                    .arg(test.cost, 0, 'f', 4)
                    .arg(test.accuracyPercent, 0, 'f', 2);
    }
    qDebug().noquote() << line;
    QVERIFY2(std::abs(deviation) <= 0.005, qPrintable(line));
}

void TestEENetTrainer::sameSeedSameScheduler() {
    const double budget = test::budgetAt(m_synthetic, 0.4);
    EENetOptions options;
    options.seed = 42;
    const EENetFit a = trainEENet(m_synthetic, budget, options);
    const EENetFit b = trainEENet(m_synthetic, budget, options);
    QVERIFY(sameWeights(a.scheduler, b.scheduler));
    QCOMPARE(a.scheduler.thresholds, b.scheduler.thresholds);
    QCOMPARE(a.exitDistribution, b.exitDistribution);
    QCOMPARE(a.history.size(), b.history.size());
    for (size_t i = 0; i < a.history.size(); ++i)
        QCOMPARE(a.history[i].klLoss, b.history[i].klLoss);

    options.seed = 43;
    const EENetFit c = trainEENet(m_synthetic, budget, options);
    QVERIFY(!sameWeights(a.scheduler, c.scheduler));
}

void TestEENetTrainer::rejectsBudgetsOutsideTheCostRange_data() {
    QTest::addColumn<double>("budget");
    QTest::newRow("below c_1") << m_synthetic.costs.front() * 0.99;
    QTest::newRow("above c_K") << m_synthetic.costs.back() * 1.01;
    QTest::newRow("zero") << 0.0;
    QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("inf") << std::numeric_limits<double>::infinity();
}

void TestEENetTrainer::rejectsBudgetsOutsideTheCostRange() {
    QFETCH(double, budget);
    QVERIFY_THROWS_EXCEPTION(ArgumentError, trainEENet(m_synthetic, budget));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, trainEENet(m_synthetic, budget, EENetOptions::reference()));
}

void TestEENetTrainer::rejectsBadOptions() {
    EENetOptions options;
    options.period = 0;
    QVERIFY_THROWS_EXCEPTION(ArgumentError, trainEENet(m_synthetic, 2.0, options));
    options = {};
    options.steps = 0;
    QVERIFY_THROWS_EXCEPTION(ArgumentError, trainEENet(m_synthetic, 2.0, options));
}

void TestEENetTrainer::cancelStopsTheFit() {
    std::atomic<bool> cancel{true};
    QVERIFY_THROWS_EXCEPTION(CancelledError, trainEENet(m_synthetic, 2.0, {}, {}, &cancel));
    QVERIFY_THROWS_EXCEPTION(CancelledError,
                             trainEENet(m_synthetic, 2.0, EENetOptions::reference(), {}, &cancel));

    // Cancelled from the progress callback, as a worker's stop button would: no step runs after it.
    cancel = false;
    int calls = 0;
    const auto onProgress = [&](const TrainingProgress& progress) {
        ++calls;
        if (progress.step == 5)
            cancel = true;
    };
    QVERIFY_THROWS_EXCEPTION(CancelledError, trainEENet(m_synthetic, 2.0, {}, onProgress, &cancel));
    QCOMPARE(calls, 5);
}

void TestEENetTrainer::historyAlternatesPhases_data() {
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("period");
    QTest::newRow("default") << 100 << 10;
    QTest::newRow("period 7") << 45 << 7;
    QTest::newRow("period 1") << 12 << 1;
}

void TestEENetTrainer::historyAlternatesPhases() {
    QFETCH(int, steps);
    QFETCH(int, period);
    EENetOptions options;
    options.steps = steps;
    options.period = period;
    int calls = 0;
    const EENetFit fit = trainEENet(m_synthetic, test::budgetAt(m_synthetic, 0.3), options,
                                    [&](const TrainingProgress&) { ++calls; });
    QCOMPARE(fit.history.size(), size_t(steps));
    QCOMPARE(calls, steps);
    for (int i = 0; i < steps; ++i) {
        const TrainingProgress& h = fit.history[static_cast<size_t>(i)];
        QCOMPARE(h.step, i + 1);
        QCOMPARE(h.totalSteps, steps);
        QCOMPARE(h.scorePhase, (i / period) % 2 == 0);
        QVERIFY(std::isfinite(h.bceLoss) && std::isfinite(h.klLoss) && std::isfinite(h.costLoss));
        QVERIFY(h.bceLoss >= 0 && h.klLoss >= -1e-6 && h.costLoss >= 0);
        QVERIFY(h.expectedCost >= m_synthetic.costs.front() - 1e-4 &&
                h.expectedCost <= m_synthetic.costs.back() + 1e-4);
    }
    // The on-budget start of h: the first step's expected cost is already near the budget.
    QVERIFY2(fit.history.front().costLoss < 0.02, qPrintable(QString::number(fit.history.front().costLoss)));
}

void TestEENetTrainer::referenceModeRuns() {
    EENetOptions options = EENetOptions::reference();
    options.referenceEpochs = 3;
    options.referenceRestarts = 2;
    options.period = 1;
    options.seed = 9;
    const EENetFit fit = trainEENet(m_synthetic, test::budgetAt(m_synthetic, 0.5), options);
    QCOMPARE(fit.history.size(), size_t(6));
    QCOMPARE(fit.history[0].scorePhase, true);
    QCOMPARE(fit.history[1].scorePhase, false);
    for (const TrainingProgress& h : fit.history)
        QVERIFY(std::isfinite(h.bceLoss) && std::isfinite(h.klLoss) && std::isfinite(h.costLoss));
    const std::vector<double>& t = fit.scheduler.thresholds;
    QCOMPARE(t.size(), size_t(m_synthetic.numExits));
    for (size_t k = 0; k + 1 < t.size(); ++k)
        QVERIFY2(std::isfinite(t[k]), qPrintable(QString("T_%1 = %2").arg(k + 1).arg(t[k])));
    QVERIFY(std::isinf(t.back()) && t.back() < 0);
    // Near-uniform p from the default init, without budget matching: every exit gets some samples.
    for (double share : fit.exitDistribution)
        QVERIFY(share > 0.05);

    const EENetFit again = trainEENet(m_synthetic, test::budgetAt(m_synthetic, 0.5), options);
    QCOMPARE(again.scheduler.thresholds, t);
}

void TestEENetTrainer::reportsTrainingTime() {
    // Timing is reported, not asserted: the speed targets are checked by hand on the reference machine.
    const Predictions p = makeSyntheticPredictions({4, 10, 10000, 0, 2});
    const EENetFit fit = trainEENet(p, test::budgetAt(p, 0.4));
    qDebug().noquote()
        << QString("N = 10000, K = 4, C = 10: %1 s per budget").arg(fit.trainSeconds, 0, 'f', 3);
    QVERIFY(fit.trainSeconds > 0);
}

QTEST_GUILESS_MAIN(TestEENetTrainer)
#include "tst_eenettrainer.moc"
