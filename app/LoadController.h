#pragma once

#include "data/Predictions.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <memory>

namespace eenet {

/// Loads predictions files off the GUI thread. The latest request wins: the result of a load that was
/// overtaken by a newer one is dropped. Signals are emitted on the owner's (GUI) thread.
class LoadController : public QObject {
    Q_OBJECT
public:
    explicit LoadController(QObject* parent = nullptr);
    ~LoadController() override;

    void load(const QString& path);
    bool isLoading() const { return m_watcher.isRunning(); }

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
    void onFinished();

    QThreadPool m_pool;
    QFutureWatcher<Result> m_watcher;
    QString m_pendingPath;
};

} // namespace eenet
