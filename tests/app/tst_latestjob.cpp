#include "Error.h"
#include "LatestJob.h"
#include "data/SyntheticPredictions.h"
#include "eval/CurveSweep.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

using namespace eenet;

namespace {

/// Spins until `cancel` is raised or `limit` passes; returns whether it was raised.
bool waitForCancel(const std::atomic<bool>& cancel, std::chrono::milliseconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!cancel.load()) {
        if (std::chrono::steady_clock::now() > end)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

} // namespace

/// Background jobs that take a cancel flag stop once a newer job starts or their owner goes; jobs that do not
/// take one (exports) always finish; and a curve sweep stops at its next point when asked.
class TestLatestJob : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aNewerJobRaisesTheRunningJobsFlag();
    void theDestructorRaisesTheFlagAndDoesNotWaitForTheWholeJob();
    void workWithoutAFlagRunsToItsEnd();
    void aSweepStopsWhenItsFlagIsRaised();
};

void TestLatestJob::aNewerJobRaisesTheRunningJobsFlag() {
    QObject owner;
    std::vector<int> delivered;
    LatestJob<int> job(&owner, [&delivered](int value) { delivered.push_back(value); });
    std::atomic<bool> firstStarted{false};
    std::atomic<bool> firstSawCancel{false};
    job.start([&](const std::atomic<bool>& cancel) {
        firstStarted = true;
        firstSawCancel = waitForCancel(cancel, std::chrono::seconds(60));
        return 1;
    });
    QTRY_VERIFY_WITH_TIMEOUT(firstStarted.load(), 10000);
    job.start([](const std::atomic<bool>& cancel) { return cancel.load() ? -2 : 2; });
    QTRY_VERIFY_WITH_TIMEOUT(!job.isBusy(), 60000);
    QVERIFY(firstSawCancel.load());
    // Only the newer job's result counts, and its own flag was down while it ran.
    QCOMPARE(delivered, std::vector<int>{2});
}

void TestLatestJob::theDestructorRaisesTheFlagAndDoesNotWaitForTheWholeJob() {
    std::atomic<bool> started{false};
    std::atomic<bool> sawCancel{false};
    QElapsedTimer clock;
    {
        QObject owner;
        LatestJob<int> job(&owner, [](int) { QFAIL("a job cancelled by the destructor delivered"); });
        job.start([&](const std::atomic<bool>& cancel) {
            started = true;
            sawCancel = waitForCancel(cancel, std::chrono::seconds(60));
            return 0;
        });
        QTRY_VERIFY_WITH_TIMEOUT(started.load(), 10000);
        clock.start();
    }
    QVERIFY(sawCancel.load());
    // The job would have waited a minute without the flag.
    QVERIFY2(clock.elapsed() < 30000, qPrintable(QString::number(clock.elapsed())));
}

void TestLatestJob::workWithoutAFlagRunsToItsEnd() {
    QObject owner;
    std::vector<int> delivered;
    std::atomic<int> finished{0};
    {
        LatestJob<int> job(&owner, [&delivered](int value) { delivered.push_back(value); });
        job.start([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            ++finished;
            return 1;
        });
        job.start([&] {
            ++finished;
            return 2;
        });
        QTRY_VERIFY_WITH_TIMEOUT(!job.isBusy(), 10000);
    }
    QCOMPARE(finished.load(), 2);
    QCOMPARE(delivered, std::vector<int>{2});
}

void TestLatestJob::aSweepStopsWhenItsFlagIsRaised() {
    const auto predictions =
        std::make_shared<const Predictions>(makeSyntheticPredictions({3, 10, 500, 0, 1}));
    const std::vector<Method> methods{*Method::parse("maxprob"), *Method::parse("entropy")};
    std::atomic<bool> cancel{false};
    QCOMPARE(sweepCurves(predictions, methods, 5, {}, &cancel).size(), size_t{2});
    cancel = true;
    QVERIFY_THROWS_EXCEPTION(CancelledError, sweepCurves(predictions, methods, 5, {}, &cancel));
    // Under a guarantee, where a point costs most, too.
    BudgetRule rule;
    rule.guarantee = 0.95;
    QVERIFY_THROWS_EXCEPTION(CancelledError, sweepCurves(predictions, methods, 5, rule, &cancel));
}

QTEST_MAIN(TestLatestJob)
#include "tst_latestjob.moc"
