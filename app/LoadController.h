#pragma once

#include "LatestJob.h"
#include "data/Predictions.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace eenet {

/// Loads predictions files off the GUI thread. The latest request wins: the result of a load that was
/// overtaken by a newer one is dropped (and the older read stopped early). Signals are emitted on the owner's
/// (GUI) thread.
class LoadController : public QObject {
    Q_OBJECT
public:
    explicit LoadController(QObject* parent = nullptr);

    void load(const QString& path);
    /// Stops the running load at its next slab (a few MB); it ends with cancelled() instead of loaded(), so
    /// whatever was loaded before stays. Does nothing when no load runs.
    void cancel();
    bool isLoading() const { return m_job.isBusy(); }

Q_SIGNALS:
    void loadStarted(const QString& path);
    /// The running load's progress, from 0 to 1, at most about a hundred times per load.
    void progressed(double fraction);
    void loaded(const QString& path, std::shared_ptr<const eenet::Predictions> predictions);
    void failed(const QString& path, const QString& message);
    void cancelled(const QString& path);

private:
    struct Result {
        QString path;
        std::shared_ptr<const Predictions> predictions;
        QString error;
        bool cancelled = false;
    };
    void onFinished(const Result& result);
    void onProgress(int load, double fraction);

    /// GUI thread only: which load is the latest (progress of older ones is dropped), and its cancel flag,
    /// shared with the reading thread.
    int m_latestLoad = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    /// One loader thread: HDF5 is serialised anyway, and queued loads run in order.
    LatestJob<Result> m_job;
};

} // namespace eenet
