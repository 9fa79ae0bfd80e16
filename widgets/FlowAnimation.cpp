#include "FlowAnimation.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace eenet {
namespace {

constexpr unsigned kShuffleSeed = 20240101;

} // namespace

void FlowAnimation::setExits(std::vector<int> exitOf) {
    const bool sameCount = exitOf.size() == m_exitOf.size();
    m_exitOf = std::move(exitOf);
    if (!sameCount) {
        m_order.resize(m_exitOf.size());
        std::iota(m_order.begin(), m_order.end(), 0);
        std::shuffle(m_order.begin(), m_order.end(), std::mt19937(kShuffleSeed));
        reset();
        return;
    }
    for (Flight& flight : m_flights) {
        const int newExit = m_exitOf[static_cast<size_t>(flight.sample)];
        if (flight.progress < std::min(flight.exit, newExit) + 1)
            flight.exit = newExit;
    }
}

void FlowAnimation::reset() {
    m_flights.clear();
    m_next = 0;
    m_sinceLaunchStages = 0;
    m_stepped = -1;
    m_lastStepped = -1;
}

void FlowAnimation::setPlaying(bool playing) {
    m_playing = playing;
    if (playing) {
        m_stepped = -1;
        m_lastStepped = -1;
    }
}

int FlowAnimation::step() {
    m_playing = false;
    m_stepped = launchNext();
    m_lastStepped = m_stepped;
    return m_stepped;
}

int FlowAnimation::launchNext() {
    if (m_order.empty())
        return -1;
    const int sample = m_order[m_next];
    m_next = (m_next + 1) % m_order.size();
    // A sample still resting from the previous round of the order starts over.
    m_flights.erase(std::remove_if(m_flights.begin(), m_flights.end(),
                                   [&](const Flight& f) { return f.sample == sample; }),
                    m_flights.end());
    m_flights.push_back({sample, m_exitOf[static_cast<size_t>(sample)], 0.0});
    m_sinceLaunchStages = 0;
    return sample;
}

void FlowAnimation::advance(double seconds) {
    if (!active())
        return;
    const double stages = std::max(seconds, 0.0) * m_speed;
    for (Flight& flight : m_flights)
        flight.progress += stages;
    m_flights.erase(std::remove_if(m_flights.begin(), m_flights.end(),
                                   [](const Flight& f) { return f.progress >= f.exit + 2 + kRestStages; }),
                    m_flights.end());
    if (m_stepped >= 0) {
        const Flight* stepped = flightOf(m_stepped);
        if (!stepped || stepped->landed())
            m_stepped = -1;
    }
    if (!m_playing)
        return;
    m_sinceLaunchStages += stages;
    if (m_flights.empty() || m_sinceLaunchStages >= kLaunchSpacingStages) {
        // A late frame keeps the spacing: the new sample starts as far along as it would have been.
        const double ahead = m_flights.empty()
                                 ? 0.0
                                 : std::min(m_sinceLaunchStages - kLaunchSpacingStages, kLaunchSpacingStages);
        if (launchNext() >= 0) {
            m_flights.back().progress = ahead;
            m_sinceLaunchStages = ahead;
        }
    }
}

const Flight* FlowAnimation::flightOf(int sample) const {
    const auto found =
        std::find_if(m_flights.begin(), m_flights.end(), [&](const Flight& f) { return f.sample == sample; });
    return found == m_flights.end() ? nullptr : &*found;
}

} // namespace eenet
