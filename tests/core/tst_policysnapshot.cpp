#include "TestData.h"
#include "eval/PolicySnapshot.h"

#include <QTest>

#include <cmath>

using namespace eenet;

/// The studio's snapshot of a method at a budget must agree with the CLI's evaluation of the same method,
/// and EENet between trained budgets must be honest about what it shows.
class TestPolicySnapshot : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void heuristicsAgreeWithTheEvaluator_data();
    void heuristicsAgreeWithTheEvaluator();
    void eenetWithoutSchedulerIsUnavailable();
    void eenetAtItsTrainedBudgetIsTheFit();
    void eenetBetweenBudgetsIsReThresholdedToTheBudget();
    void nearestSchedulerIsChosen();

private:
    std::shared_ptr<const Predictions> m_predictions;
    std::unique_ptr<Evaluator> m_evaluator;
    std::shared_ptr<const TrainedScheduler> m_trained;
    double m_trainedBudget = 0;
};

void TestPolicySnapshot::initTestCase() {
    m_predictions = test::sharedSynthetic({4, 10, 3000, 1500, 7});
    m_evaluator = std::make_unique<Evaluator>(m_predictions);
    m_trainedBudget = test::budgetAt(*m_predictions, 0.3);
    m_trained = std::make_shared<const TrainedScheduler>(
        describeFit(*m_evaluator, m_trainedBudget, trainEENet(*m_predictions, m_trainedBudget)));
}

void TestPolicySnapshot::heuristicsAgreeWithTheEvaluator_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<double>("share");
    for (const char* method : {"maxprob", "entropy", "patience", "agreement", "maxprob-opt", "oracle"})
        for (double share : {0.0, 0.35, 1.0})
            QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(method).arg(share)))
                << QString(method) << share;
}

void TestPolicySnapshot::heuristicsAgreeWithTheEvaluator() {
    QFETCH(QString, method);
    QFETCH(double, share);
    const double budget = test::budgetAt(*m_predictions, share);
    const Method parsed = *Method::parse(method.toStdString());
    const PolicySnapshot snapshot = computeSnapshot(*m_evaluator, parsed, budget, {});
    QVERIFY(snapshot.available);
    QCOMPARE(snapshot.splits.size(), size_t(2));
    const auto expected = m_evaluator->evaluate(parsed, budget, {Split::Val, Split::Test});
    for (size_t i = 0; i < 2; ++i) {
        const SplitPolicy& got = snapshot.splits[i];
        QCOMPARE(got.split, expected[i].split);
        QCOMPARE(got.outcome.exitOf, expected[i].outcome.exitOf);
        QCOMPARE(got.outcome.accuracyPercent, expected[i].outcome.accuracyPercent);
        QCOMPARE(got.scores == nullptr, parsed.kind == Method::Kind::Oracle);
    }
    QCOMPARE(snapshot.thresholds, expected[0].thresholds);
}

void TestPolicySnapshot::eenetWithoutSchedulerIsUnavailable() {
    const PolicySnapshot snapshot =
        computeSnapshot(*m_evaluator, *Method::parse("eenet"), m_trainedBudget, {});
    QVERIFY(!snapshot.available);
    QVERIFY(snapshot.splits.empty());
    QVERIFY(snapshot.note.find("train") != std::string::npos);
}

void TestPolicySnapshot::eenetAtItsTrainedBudgetIsTheFit() {
    for (const char* name : {"eenet", "eenet-opt"}) {
        const PolicySnapshot snapshot =
            computeSnapshot(*m_evaluator, *Method::parse(name), m_trainedBudget, {m_trained});
        QVERIFY(snapshot.available);
        QVERIFY(snapshot.note.empty());
        QCOMPARE(*snapshot.trainedBudget, m_trainedBudget);
        const auto& results = std::string(name) == "eenet" ? m_trained->eenet : m_trained->eenetOpt;
        QCOMPARE(snapshot.thresholds, results[0].thresholds);
        for (size_t i = 0; i < 2; ++i)
            QCOMPARE(snapshot.splits[i].outcome.exitOf, results[i].outcome.exitOf);
    }
}

void TestPolicySnapshot::eenetBetweenBudgetsIsReThresholdedToTheBudget() {
    for (double share : {0.05, 0.2, 0.5, 0.9}) {
        const double budget = test::budgetAt(*m_predictions, share);
        const PolicySnapshot snapshot =
            computeSnapshot(*m_evaluator, *Method::parse("eenet"), budget, {m_trained});
        QVERIFY(snapshot.available);
        QVERIFY2(snapshot.note.find("re-thresholded") != std::string::npos, snapshot.note.c_str());
        // The learned scores stay; the thresholds move so that the realised validation cost meets the budget
        // (up to the floor(p N) rounding of compute_threshold).
        QCOMPARE(snapshot.splits[0].scores.get(), m_trained->valScores.get());
        const double cost = snapshot.splits[0].outcome.cost;
        QVERIFY2(std::abs(cost - budget) / budget < 0.01,
                 qPrintable(QStringLiteral("budget %1, realised %2").arg(budget).arg(cost)));
    }
}

void TestPolicySnapshot::nearestSchedulerIsChosen() {
    auto low = std::make_shared<TrainedScheduler>(*m_trained);
    low->budget = 1.0;
    auto high = std::make_shared<TrainedScheduler>(*m_trained);
    high->budget = 3.0;
    const std::vector<std::shared_ptr<const TrainedScheduler>> both{low, high};
    QCOMPARE(nearestScheduler(both, 1.9)->budget, 1.0);
    QCOMPARE(nearestScheduler(both, 2.1)->budget, 3.0);
    QVERIFY(!nearestScheduler({}, 2.0));
}

QTEST_MAIN(TestPolicySnapshot)
#include "tst_policysnapshot.moc"
