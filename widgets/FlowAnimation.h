#pragma once

#include <cstddef>
#include <vector>

namespace eenet {

/// One sample on its way through the flow view. `progress` counts the stages it has passed: it enters at 0,
/// reaches the gate of its exit at exit + 1, drops into that exit's tray at exit + 2 and rests there until
/// exit + 2 + FlowAnimation::kRestStages, so the eye can see where it landed.
struct Flight {
    int sample = 0;
    int exit = 0;
    double progress = 0;

    bool leaving() const { return progress >= exit + 1; }
    bool landed() const { return progress >= exit + 2; }
};

/// The stream of samples the flow view animates, as plain state advanced by the view's timer (or a test):
/// no Qt, no painting. Playing, samples start one behind the other and everything moves; paused, everything
/// stands still; a step sends the next sample in and lets time run until that sample has landed. Samples
/// start in a fixed-seed shuffle of the split, so a file sorted by class still shows a mix and every run
/// shows the same sequence.
class FlowAnimation {
public:
    static constexpr double kRestStages = 0.8;
    /// Distance between two samples of the stream, in stages.
    static constexpr double kLaunchSpacingStages = 0.4;

    /// `exitOf[i]`: the exit sample i leaves at. With as many samples as before (a new budget on the same
    /// split) the stream goes on, and samples in flight that have reached neither their old nor their new
    /// gate follow the new exit; with another count everything restarts.
    void setExits(std::vector<int> exitOf);
    /// Removes the samples in flight and starts the order again.
    void reset();

    void setPlaying(bool playing);
    bool playing() const { return m_playing; }
    /// Pauses and starts the next sample of the order (wrapping around); returns it, -1 without samples.
    int step();
    /// Stages per second.
    void setSpeed(double stagesPerSecond) { m_speed = stagesPerSecond; }
    double speed() const { return m_speed; }

    /// Time runs: playing, or a stepped sample has not landed yet.
    bool active() const { return m_playing || m_stepped >= 0; }
    /// While active, moves every flight on by `seconds`, drops those done resting and, while playing,
    /// launches samples at the stream's spacing. Does nothing otherwise.
    void advance(double seconds);

    const std::vector<Flight>& flights() const { return m_flights; }
    /// The flight of `sample`, nullptr when it is not in flight.
    const Flight* flightOf(int sample) const;
    /// The sample the last step sent in (-1 before any step, or once playing again).
    int lastStepped() const { return m_lastStepped; }
    /// The launch order, a permutation of the split's samples.
    const std::vector<int>& order() const { return m_order; }

private:
    int launchNext();

    std::vector<int> m_exitOf;
    std::vector<int> m_order;
    std::vector<Flight> m_flights;
    std::size_t m_next = 0;
    bool m_playing = false;
    double m_speed = 1.0;
    double m_sinceLaunchStages = 0;
    /// The stepped sample time runs for, until it lands; -1 when none.
    int m_stepped = -1;
    int m_lastStepped = -1;
};

} // namespace eenet
