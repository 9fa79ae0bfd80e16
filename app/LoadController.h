#pragma once

#include "LatestJob.h"
#include "data/Predictions.h"

#include <QObject>
#include <QString>

#include <memory>

namespace eenet {

/// Loads predictions files off the GUI thread. The latest request wins: the result of a load that was
/// overtaken by a newer one is dropped. Signals are emitted on the owner's (GUI) thread.
class LoadController : public QObject {
    Q_OBJECT
public:
    explicit LoadController(QObject* parent = nullptr);

    void load(const QString& path);
    bool isLoading() const { return m_job.isBusy(); }

Q_SIGNALS:
    void loadStarted(const QString& path);
    void loaded(const QString& path, std::shared_ptr<const eenet::Predictions> predictions);
    void failed(const QString& path, const QString& message);

private:
    struct Result {
        QString path;
        std::shared_ptr<const Predictions> predictions;
        QString error;
    };
    void onFinished(const Result& result);

    /// One loader thread: HDF5 is serialised anyway, and queued loads run in order.
    LatestJob<Result> m_job;
};

} // namespace eenet
