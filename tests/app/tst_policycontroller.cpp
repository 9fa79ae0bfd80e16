#include "PolicyController.h"
#include "data/SyntheticPredictions.h"
#include "session/Session.h"

#include <QSignalSpy>
#include <QTest>

#include <limits>

using namespace eenet;

/// The snapshot behind the linked views follows the session: budget, method, schedulers and file.
class TestPolicyController : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void snapshotFollowsTheBudgetAndTheMethod();
    void aDraggedSliderCoalescesAndEndsOnTheLastBudget();
    void eenetAppearsOnceTrained();
    void aNewFileReplacesTheSnapshot();
    void customThresholdsApplyAtOnce();
    void aComputationStartedEarlierDoesNotUndoCustomThresholds();
    void customThresholdsWithoutTheirScoresAreComputed();

private:
    static std::shared_ptr<const Predictions> makeData(std::uint64_t seed) {
        return std::make_shared<const Predictions>(makeSyntheticPredictions({4, 10, 5000, 2000, seed}));
    }
    void waitUntilIdle(PolicyController& controller) {
        QTRY_VERIFY_WITH_TIMEOUT(!controller.isBusy(), 30000);
    }
    std::unique_ptr<Session> m_session;
};

void TestPolicyController::init() {
    m_session = std::make_unique<Session>();
}

void TestPolicyController::snapshotFollowsTheBudgetAndTheMethod() {
    PolicyController controller(m_session.get());
    m_session->setPredictions(makeData(1));
    waitUntilIdle(controller);
    QVERIFY(m_session->snapshot());
    QCOMPARE(m_session->snapshot()->method, std::string("maxprob"));
    QCOMPARE(m_session->snapshot()->budget, m_session->budget());

    m_session->setBudget(1.3);
    m_session->setMethod(*Method::parse("entropy-opt"));
    waitUntilIdle(controller);
    QCOMPARE(m_session->snapshot()->method, std::string("entropy-opt"));
    QCOMPARE(m_session->snapshot()->budget, 1.3);
    QVERIFY(m_session->snapshot()->splits.front().outcome.cost <= 1.3 + 1e-12);
}

void TestPolicyController::aDraggedSliderCoalescesAndEndsOnTheLastBudget() {
    PolicyController controller(m_session.get());
    m_session->setPredictions(makeData(2));
    waitUntilIdle(controller);
    QSignalSpy computed(&controller, &PolicyController::computed);
    const int moves = 200;
    for (int i = 0; i <= moves; ++i)
        m_session->setBudget(m_session->minBudget() +
                             (m_session->maxBudget() - m_session->minBudget()) * i / moves);
    waitUntilIdle(controller);
    QCOMPARE(m_session->snapshot()->budget, m_session->maxBudget());
    // Synchronous changes without an event loop in between: one computation already running plus one
    // for the final state, never one per move.
    QVERIFY2(computed.size() <= 2, qPrintable(QString::number(computed.size())));
}

void TestPolicyController::eenetAppearsOnceTrained() {
    PolicyController controller(m_session.get());
    m_session->setPredictions(makeData(3));
    m_session->setMethod(*Method::parse("eenet"));
    waitUntilIdle(controller);
    QVERIFY(!m_session->snapshot()->available);

    Evaluator evaluator(m_session->predictions());
    const double budget = m_session->budget();
    m_session->addScheduler(std::make_shared<const TrainedScheduler>(
        describeFit(evaluator, budget, trainEENet(*m_session->predictions(), budget))));
    waitUntilIdle(controller);
    QVERIFY(m_session->snapshot()->available);
    QCOMPARE(*m_session->snapshot()->trainedBudget, budget);
    QVERIFY(m_session->snapshot()->note.empty());

    m_session->setBudget(budget * 0.8);
    waitUntilIdle(controller);
    QVERIFY(m_session->snapshot()->note.find("re-thresholded") != std::string::npos);
}

void TestPolicyController::aNewFileReplacesTheSnapshot() {
    PolicyController controller(m_session.get());
    m_session->setPredictions(makeData(4));
    waitUntilIdle(controller);
    const auto first = m_session->snapshot();
    auto other = std::make_shared<const Predictions>(makeSyntheticPredictions({3, 5, 800, 0, 9}));
    m_session->setPredictions(other);
    waitUntilIdle(controller);
    QVERIFY(m_session->snapshot() != first);
    QCOMPARE(m_session->snapshot()->splits.size(), size_t(1)); // no test split in the new file
    QCOMPARE(m_session->snapshot()->splits.front().data->numExits, 3);
}

void TestPolicyController::customThresholdsApplyAtOnce() {
    PolicyController controller(m_session.get());
    m_session->setPredictions(makeData(4));
    waitUntilIdle(controller);
    const auto fitted = m_session->snapshot();
    QSignalSpy computed(&controller, &PolicyController::computed);
    m_session->setThresholdByHand(1, 0.61);
    // On the GUI thread, before any event is processed: the views follow a drag step by step.
    QCOMPARE(computed.size(), 1);
    QVERIFY(!controller.isBusy());
    const auto& custom = m_session->snapshot();
    QVERIFY(custom->isCustom());
    QCOMPARE(custom->thresholds[1], 0.61);
    QCOMPARE(custom->splits.front().scores, fitted->splits.front().scores);
    // Back to the fitted policy, through the pool.
    m_session->snapToBudget();
    waitUntilIdle(controller);
    QCOMPARE(m_session->snapshot()->method, std::string("maxprob"));
    QCOMPARE(m_session->snapshot()->thresholds, fitted->thresholds);
}

void TestPolicyController::aComputationStartedEarlierDoesNotUndoCustomThresholds() {
    PolicyController controller(m_session.get());
    m_session->setPredictions(makeData(5));
    waitUntilIdle(controller);
    // A slider move starts a computation; a threshold moved on the shown scores before it ends wins.
    m_session->setBudget(m_session->budget() * 0.9);
    QVERIFY(controller.isBusy());
    m_session->setThresholdByHand(0, 0.7);
    waitUntilIdle(controller);
    QVERIFY(m_session->snapshot()->isCustom());
    QCOMPARE(m_session->snapshot()->thresholds[0], 0.7);
}

void TestPolicyController::customThresholdsWithoutTheirScoresAreComputed() {
    PolicyController controller(m_session.get());
    m_session->setPredictions(makeData(6));
    waitUntilIdle(controller);
    // As a restored session does: thresholds on scores no snapshot holds yet (the shown one is maxprob's).
    const std::vector<double> thresholds{0.3, 0.5, 0.6, -std::numeric_limits<double>::infinity()};
    m_session->setCustomPolicy({*Method::parse("entropy"), nullptr, thresholds});
    QVERIFY(controller.isBusy());
    waitUntilIdle(controller);
    const auto& custom = m_session->snapshot();
    QVERIFY(custom->isCustom());
    QCOMPARE(custom->scoreMethod.name(), std::string("entropy"));
    QCOMPARE(custom->thresholds, thresholds);
}

QTEST_MAIN(TestPolicyController)
#include "tst_policycontroller.moc"
