#include "TestData.h"
#include "session/Session.h"

#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace eenet;

class TestSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void startsEmpty();
    void loadingEmitsOnceAndSummarises();
    void sameObjectOrNullChangesNothing();
    void replacingKeepsTheOldDataAliveForItsHolders();
    void budgetIsClampedAndResetOnLoad();
    void selectionIsDatedByTheBudgetShown();
    void aCancelledRunSaysSoUntilTheNextOne();
};

namespace {
std::shared_ptr<const Predictions> makeData(int exits, std::uint64_t seed) {
    return test::sharedSynthetic({exits, 5, 50, 20, seed});
}
} // namespace

void TestSession::startsEmpty() {
    Session session;
    QVERIFY(!session.hasPredictions());
    QCOMPARE(session.summary().numExits, 0);
}

void TestSession::loadingEmitsOnceAndSummarises() {
    Session session;
    QSignalSpy spy(&session, &Session::predictionsLoaded);
    const auto data = makeData(3, 1);
    session.setPredictions(data);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(session.predictions(), data);
    QCOMPARE(session.summary().numExits, 3);
    QCOMPARE(session.summary().numTest, 20);
    QCOMPARE(session.summary().exits[0].valAccuracyPercent, exitAccuracyPercent(data->val, 5, 0));
}

void TestSession::sameObjectOrNullChangesNothing() {
    Session session;
    const auto data = makeData(3, 1);
    session.setPredictions(data);
    QSignalSpy spy(&session, &Session::predictionsLoaded);
    session.setPredictions(data);
    session.setPredictions(nullptr);
    QCOMPARE(spy.count(), 0);
    QCOMPARE(session.predictions(), data);
}

void TestSession::replacingKeepsTheOldDataAliveForItsHolders() {
    Session session;
    auto first = makeData(3, 1);
    session.setPredictions(first);
    const std::weak_ptr<const Predictions> watch = first;
    std::shared_ptr<const Predictions> heldByWorker = first;
    first.reset();
    session.setPredictions(makeData(4, 2));
    QCOMPARE(session.summary().numExits, 4);
    QVERIFY(!watch.expired());
    heldByWorker.reset();
    QVERIFY(watch.expired());
}

void TestSession::budgetIsClampedAndResetOnLoad() {
    Session session;
    session.setBudget(2.0); // no predictions: ignored
    QCOMPARE(session.budget(), 0.0);
    session.setPredictions(makeData(4, 1)); // costs 1..4
    QCOMPARE(session.budget(), 2.5);
    QSignalSpy spy(&session, &Session::budgetChanged);
    session.setBudget(3.0);
    session.setBudget(3.0);
    QCOMPARE(spy.count(), 1);
    session.setBudget(-5);
    QCOMPARE(session.budget(), 1.0);
    session.setBudget(std::nan(""));
    QCOMPARE(session.budget(), 1.0);
    session.setCurves({Curve{"maxprob", {}, {}}});
    QCOMPARE(session.curves().size(), size_t(1));
    session.setPredictions(makeData(3, 2)); // costs 1..3
    QCOMPARE(session.budget(), 2.0);
    QVERIFY(session.curves().empty());
}

void TestSession::selectionIsDatedByTheBudgetShown() {
    Session session;
    session.setPredictions(makeData(4, 1));
    session.setBudget(3.0);
    // Without a snapshot: the session's budget and method.
    session.setSelection({Split::Val, {1, 2}, QStringLiteral("two")});
    QCOMPARE(session.selection().budget, 3.0);
    QCOMPARE(session.selection().method, std::string("maxprob"));
    // With one: the snapshot's, which is what the views show (the slider may have moved on).
    auto snapshot = std::make_shared<PolicySnapshot>();
    snapshot->method = "entropy";
    snapshot->budget = 2.25;
    session.setSnapshot(snapshot);
    session.setSelection({Split::Val, {1}, QStringLiteral("one")});
    QCOMPARE(session.selection().budget, 2.25);
    QCOMPARE(session.selection().method, std::string("entropy"));
    // A selection that carries its budget keeps it.
    SampleSelection dated{Split::Val, {1}, QStringLiteral("dated")};
    dated.budget = 1.5;
    dated.method = "patience";
    session.setSelection(dated);
    QCOMPARE(session.selection().budget, 1.5);
    QCOMPARE(session.selection().method, std::string("patience"));
}

void TestSession::aCancelledRunSaysSoUntilTheNextOne() {
    Session session;
    session.startTrainingRun(2.0);
    QVERIFY(session.trainingRun().running);
    QVERIFY(!session.trainingRun().cancelled);
    session.finishTrainingRun(true);
    QVERIFY(!session.trainingRun().running);
    QVERIFY(session.trainingRun().cancelled);
    session.startTrainingRun(2.5);
    QVERIFY(!session.trainingRun().cancelled);
    session.finishTrainingRun();
    QVERIFY(!session.trainingRun().running);
    QVERIFY(!session.trainingRun().cancelled);
}

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
