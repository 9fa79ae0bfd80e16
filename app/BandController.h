#pragma once

#include "LatestJob.h"
#include "eval/BootstrapBands.h"

#include <QObject>

namespace eenet {

class Session;

/// Computes the 90 % bootstrap band of the curve the curves view emphasises (the method shown, or the base of
/// thresholds set by hand) on the shown split, off the GUI thread, whenever the curves, the method or the
/// split change and the session has no band for it yet. Bands of other methods stay cached in the session
/// until the curves change.
class BandController : public QObject {
    Q_OBJECT
public:
    explicit BandController(Session* session, QObject* parent = nullptr);

private:
    struct Result {
        std::shared_ptr<const Predictions> predictions;
        std::string method;
        Split split = Split::Val;
        /// The curves the band was computed from: when they changed meanwhile, it is dropped.
        int curvesGeneration = 0;
        std::vector<Band> bands;
        bool valid = false;
    };
    void request();
    void onFinished(Result result);

    Session* m_session;
    LatestJob<Result> m_job;
    /// Counts the session's curve changes (heuristics' or schedulers').
    int m_curvesGeneration = 0;
};

} // namespace eenet
