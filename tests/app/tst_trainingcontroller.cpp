#include "TrainingController.h"
#include "data/SyntheticPredictions.h"
#include "session/Session.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace eenet;

/// Background EENet training: schedulers reach the session as they finish, cancel and reload stop the
/// worker, and nothing from a stopped worker arrives later.
class TestTrainingController : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void trainingFinishesAndItsSchedulerAppears();
    void curvePointsArriveOneByOne();
    void knownBudgetsAreNotTrainedTwice();
    void aBudgetInFlightIsNotQueuedAgain();
    void aQueuedFitKeepsTheOptionsItWasQueuedWith();
    void cancelStopsTheWorkerAndKeepsWhatWasTrained();
    void loadingAnotherFileStopsAndJoinsTheWorker();
    void destroyingDuringTrainingJoinsTheWorker();
    void anErrorReachesTheUser();

private:
    static std::shared_ptr<const Predictions> makeData(std::uint64_t seed) {
        return std::make_shared<const Predictions>(makeSyntheticPredictions({4, 10, 2000, 800, seed}));
    }
    /// Options whose fit takes far longer than any test waits, so cancel always meets a running fit.
    static EENetOptions endless() {
        EENetOptions options;
        options.steps = 10000000;
        return options;
    }
    std::unique_ptr<Session> m_session;
};

void TestTrainingController::init() {
    m_session = std::make_unique<Session>();
    m_session->setPredictions(makeData(3));
}

void TestTrainingController::trainingFinishesAndItsSchedulerAppears() {
    TrainingController controller(m_session.get());
    QSignalSpy trained(&controller, &TrainingController::trained);
    QSignalSpy running(&controller, &TrainingController::runningChanged);
    QSignalSpy progress(&controller, &TrainingController::progressed);
    const double budget = 2.2;
    controller.train({budget});
    QVERIFY(controller.isRunning());
    QVERIFY(trained.wait(60000));
    QTRY_VERIFY_WITH_TIMEOUT(!controller.isRunning(), 10000);
    QCOMPARE(trained.front().at(0).toDouble(), budget);
    QCOMPARE(m_session->schedulers().size(), size_t(1));
    QCOMPARE(m_session->schedulers().front()->budget, budget);
    // The live history reached the session step by step, and progress went up to the end.
    QCOMPARE(m_session->trainingRun().budget, budget);
    QVERIFY(!m_session->trainingRun().running);
    // It ended on its own: the Training view says "finished".
    QVERIFY(!m_session->trainingRun().cancelled);
    QCOMPARE(int(m_session->trainingRun().history.size()), EENetOptions{}.steps);
    QVERIFY(progress.size() >= 10);
    QVERIFY(progress.back().at(0).toDouble() > 0.9);
    QCOMPARE(running.size(), 2);
    QCOMPARE(running.back().at(0).toBool(), false);
    QCOMPARE(m_session->schedulerCurves().front().method, std::string("eenet"));
    QCOMPARE(m_session->schedulerCurves().front().test.size(), size_t(1));
}

void TestTrainingController::curvePointsArriveOneByOne() {
    TrainingController controller(m_session.get());
    QSignalSpy trained(&controller, &TrainingController::trained);
    QSignalSpy changed(m_session.get(), &Session::schedulersChanged);
    controller.trainCurve(4);
    QTRY_COMPARE_WITH_TIMEOUT(trained.size(), 4, 120000);
    QTRY_VERIFY(!controller.isRunning());
    QCOMPARE(changed.size(), 4);
    QCOMPARE(m_session->schedulers().size(), size_t(4));
    QCOMPARE(m_session->schedulers().front()->budget, m_session->minBudget());
    QCOMPARE(m_session->schedulers().back()->budget, m_session->maxBudget());
    QCOMPARE(m_session->schedulerCurves()[0].val.size(), size_t(4));
    QCOMPARE(m_session->schedulerCurves()[1].method, std::string("eenet-opt"));
    // The first budget is fitted cold, each later one from the nearest fitted before it, in fewer steps.
    const auto& schedulers = m_session->schedulers();
    QVERIFY(!schedulers[0]->fit.warmStartedFrom);
    for (size_t i = 1; i < schedulers.size(); ++i) {
        QCOMPARE(schedulers[i]->fit.warmStartedFrom, std::optional<double>(schedulers[i - 1]->budget));
        QCOMPARE(int(schedulers[i]->fit.history.size()), EENetOptions{}.warmSteps);
    }

    // A curve over a scheduler trained alone starts from it.
    m_session->setPredictions(makeData(9));
    controller.train({2.0});
    QTRY_VERIFY_WITH_TIMEOUT(!controller.isRunning(), 60000);
    QVERIFY(!m_session->schedulers().front()->fit.warmStartedFrom);
    controller.trainCurve(3);
    QTRY_VERIFY_WITH_TIMEOUT(m_session->schedulers().size() == 4 && !controller.isRunning(), 120000);
    QCOMPARE(m_session->schedulers().front()->fit.warmStartedFrom, std::optional<double>(2.0));
}

void TestTrainingController::knownBudgetsAreNotTrainedTwice() {
    TrainingController controller(m_session.get());
    QSignalSpy trained(&controller, &TrainingController::trained);
    controller.train({2.0, 2.0});
    controller.train({2.0});
    QTRY_VERIFY_WITH_TIMEOUT(!controller.isRunning(), 60000);
    QCOMPARE(trained.size(), 1);
    controller.train({2.0});
    QVERIFY(!controller.isRunning());
}

void TestTrainingController::aBudgetInFlightIsNotQueuedAgain() {
    TrainingController controller(m_session.get());
    QSignalSpy trained(&controller, &TrainingController::trained);
    EENetOptions slow; // a fit of a few seconds, still running when the budget is asked for again
    slow.steps = 3000;
    controller.setOptions(slow);
    controller.train({2.0});
    // Without serving the event loop: the worker pops the budget from its queue long before the GUI thread
    // hears that its fit started. The budget must still count as known.
    QThread::msleep(300);
    controller.train({2.0});
    QTRY_VERIFY_WITH_TIMEOUT(!controller.isRunning(), 300000);
    QCOMPARE(trained.size(), 1);
    QCOMPARE(m_session->schedulers().size(), size_t(1));
}

void TestTrainingController::aQueuedFitKeepsTheOptionsItWasQueuedWith() {
    TrainingController controller(m_session.get());
    QSignalSpy trained(&controller, &TrainingController::trained);
    controller.train({2.0});
    // Changing the options afterwards (the worker may not even have started) affects later budgets only.
    controller.setOptions(endless());
    QVERIFY(trained.wait(60000));
    QCOMPARE(int(m_session->schedulers().front()->fit.history.size()), EENetOptions{}.steps);
}

void TestTrainingController::cancelStopsTheWorkerAndKeepsWhatWasTrained() {
    TrainingController controller(m_session.get());
    QSignalSpy trained(&controller, &TrainingController::trained);
    controller.train({1.5});
    QVERIFY(trained.wait(60000));
    controller.setOptions(endless());
    QSignalSpy cancelled(&controller, &TrainingController::cancelled);
    controller.train({2.5, 3.0});
    // The run at 2.5 is under way (the finished run at 1.5 already has its whole history).
    QTRY_VERIFY_WITH_TIMEOUT(
        m_session->trainingRun().budget == 2.5 && m_session->trainingRun().history.size() > 3, 30000);
    controller.cancel();
    QVERIFY(cancelled.wait(30000));
    QVERIFY(!controller.isRunning());
    QVERIFY(!m_session->trainingRun().running);
    // The run shown is the one cancelled, and it says so.
    QCOMPARE(m_session->trainingRun().budget, 2.5);
    QVERIFY(m_session->trainingRun().cancelled);
    QCOMPARE(m_session->schedulers().size(), size_t(1));
    QCOMPARE(m_session->schedulers().front()->budget, 1.5);
    // Cancel drops the queue: 3.0 is not trained afterwards either.
    QTest::qWait(200);
    QCOMPARE(trained.size(), 1);
}

void TestTrainingController::loadingAnotherFileStopsAndJoinsTheWorker() {
    TrainingController controller(m_session.get());
    controller.setOptions(endless());
    controller.train({2.0, 3.0});
    QTRY_VERIFY_WITH_TIMEOUT(m_session->trainingRun().history.size() > 3, 30000);
    m_session->setPredictions(makeData(4)); // joins the worker before returning
    QVERIFY(!controller.isRunning());
    QTest::qWait(200); // calls the old worker had posted must not reach the new file
    QVERIFY(m_session->schedulers().empty());
    QVERIFY(m_session->trainingRun().history.empty());
    // The controller trains the new file normally afterwards.
    controller.setOptions({});
    QSignalSpy trained(&controller, &TrainingController::trained);
    controller.train({2.0});
    QVERIFY(trained.wait(60000));
    QCOMPARE(m_session->schedulers().size(), size_t(1));
}

void TestTrainingController::destroyingDuringTrainingJoinsTheWorker() {
    auto controller = std::make_unique<TrainingController>(m_session.get());
    controller->setOptions(endless());
    controller->train({2.0});
    QTRY_VERIFY_WITH_TIMEOUT(m_session->trainingRun().history.size() > 3, 30000);
    controller.reset();
    QVERIFY(!m_session->trainingRun().running);
    QVERIFY(m_session->trainingRun().cancelled);
    const size_t steps = m_session->trainingRun().history.size();
    QTest::qWait(200);
    QCOMPARE(m_session->trainingRun().history.size(), steps);
    QVERIFY(m_session->schedulers().empty());
}

void TestTrainingController::anErrorReachesTheUser() {
    TrainingController controller(m_session.get());
    QSignalSpy failed(&controller, &TrainingController::failed);
    controller.train({m_session->maxBudget() * 2}); // outside [c_1, c_K]: trainEENet rejects it
    QVERIFY(failed.wait(30000));
    QVERIFY2(failed.front().at(0).toString().contains("outside"),
             qPrintable(failed.front().at(0).toString()));
    QTRY_VERIFY(!controller.isRunning());
    QVERIFY(m_session->schedulers().empty());
}

QTEST_MAIN(TestTrainingController)
#include "tst_trainingcontroller.moc"
