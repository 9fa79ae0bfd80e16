#include "FlowAnimation.h"

#include <QTest>

#include <algorithm>
#include <numeric>

using namespace eenet;

/// The flow view's stream: a fixed shuffle of the split, samples a launch spacing apart while playing,
/// frozen while paused, and samples in flight follow a new budget's exit until they pass its gate.
class TestFlowAnimation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pausedAnimationStandsStill();
    void playStreamsSamplesInAFixedShuffle();
    void newBudgetRedirectsSamplesBeforeTheirGate();
};

void TestFlowAnimation::pausedAnimationStandsStill() {
    FlowAnimation animation;
    animation.setExits(std::vector<int>(20, 3));
    animation.setPlaying(true);
    for (int frame = 0; frame < 20; ++frame)
        animation.advance(0.05);
    const std::vector<Flight> before = animation.flights();
    QVERIFY(before.size() > 1);
    animation.setPlaying(false);
    QVERIFY(!animation.active());
    animation.advance(1.0);
    QCOMPARE(animation.flights().size(), before.size());
    for (size_t n = 0; n < before.size(); ++n)
        QCOMPARE(animation.flights()[n].progress, before[n].progress);
}

void TestFlowAnimation::playStreamsSamplesInAFixedShuffle() {
    FlowAnimation animation;
    animation.setExits(std::vector<int>(50, 3));
    std::vector<int> identity(50);
    std::iota(identity.begin(), identity.end(), 0);
    QVERIFY(animation.order() != identity);
    std::vector<int> sorted = animation.order();
    std::sort(sorted.begin(), sorted.end());
    QCOMPARE(sorted, identity);
    FlowAnimation again;
    again.setExits(std::vector<int>(50, 0));
    QCOMPARE(again.order(), animation.order());

    animation.setSpeed(1.0);
    animation.setPlaying(true);
    for (int frame = 0; frame < 60; ++frame)
        animation.advance(0.05);
    // One behind the other, a launch spacing apart, in the order.
    const std::vector<Flight>& flights = animation.flights();
    QVERIFY(flights.size() >= 6);
    for (size_t n = 0; n < flights.size(); ++n) {
        QCOMPARE(flights[n].sample, animation.order()[n]);
        if (n > 0)
            QVERIFY(std::abs(flights[n - 1].progress - flights[n].progress -
                             FlowAnimation::kLaunchSpacingStages) < 1e-9);
    }
    // Samples leave the picture once they have rested in their tray.
    for (int frame = 0; frame < 200; ++frame)
        animation.advance(0.05);
    for (const Flight& flight : animation.flights())
        QVERIFY(flight.progress < flight.exit + 2 + FlowAnimation::kRestStages);
}

void TestFlowAnimation::newBudgetRedirectsSamplesBeforeTheirGate() {
    FlowAnimation animation;
    animation.setSpeed(1.0);
    animation.setExits(std::vector<int>(10, 3));
    const int first = animation.step();
    animation.advance(1.0);
    const int second = animation.step();
    animation.advance(0.5);
    QCOMPARE(animation.flightOf(first)->progress, 1.5);
    QCOMPARE(animation.flightOf(second)->progress, 0.5);
    // The new budget sends everyone to exit 1: the first sample is already past that gate and goes on.
    animation.setExits(std::vector<int>(10, 0));
    QCOMPARE(animation.flightOf(first)->exit, 3);
    QCOMPARE(animation.flightOf(second)->exit, 0);
    // Another split (another sample count) restarts.
    animation.setExits(std::vector<int>(12, 0));
    QVERIFY(animation.flights().empty());
    QCOMPARE(animation.lastStepped(), -1);
}

QTEST_MAIN(TestFlowAnimation)
#include "tst_flowanimation.moc"
