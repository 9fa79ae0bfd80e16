#include "data/SyntheticPredictions.h"
#include "session/Session.h"

#include <QSignalSpy>
#include <QTest>

using namespace eenet;

class TestSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void startsEmpty();
    void loadingEmitsOnceAndSummarises();
    void sameObjectOrNullChangesNothing();
    void replacingKeepsTheOldDataAliveForItsHolders();
};

namespace {
std::shared_ptr<const Predictions> makeData(int exits, std::uint64_t seed) {
    return std::make_shared<const Predictions>(makeSyntheticPredictions({exits, 5, 50, 20, seed}));
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

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
