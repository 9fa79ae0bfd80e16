#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace eenet {

class MainWindow;

/// A seeded storm of user actions on the real window: the budget slider moved `sliderMoves` times while
/// curves train, with method and split switches, reloads alternating between two files and cancels at
/// random moments. Meanwhile a probe timer measures how late the GUI event loop serves it, and every result
/// that reaches the session is checked against the file loaded at that moment.
struct StressOptions {
    int sliderMoves = 10000;
    std::uint32_t seed = 20261129;
    /// Two predictions files of different shapes (exits, samples), so a result of the wrong one shows.
    QString fileA;
    QString fileB;
    /// The probe timer's period; its lateness is the event loop's latency.
    int probeMs = 5;
};

struct StressReport {
    int sliderMoves = 0;
    int methodSwitches = 0;
    int splitSwitches = 0;
    int reloads = 0;
    int trainingsStarted = 0;
    int cancels = 0;
    int schedulersTrained = 0;
    /// Lateness of every probe tick, ms.
    std::vector<double> latenessMs;
    /// Results that did not belong to the file loaded when they arrived, and anything else wrong; empty
    /// when the run was clean.
    QStringList violations;
    double seconds = 0;
};

/// Runs the storm on `window` (shown, nothing loaded yet) and waits until everything has settled.
StressReport runStress(MainWindow& window, const StressOptions& options);

} // namespace eenet
