#include "SchedulerExporter.h"

#include "session/Session.h"

namespace eenet {

SchedulerExporter::SchedulerExporter(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_job(this, [this](const Result& result) { onFinished(result); }) {}

bool SchedulerExporter::exportTo(const QString& path, const EENetOptions& trainingOptions) {
    const auto snapshot = m_session->snapshot();
    const auto predictions = m_session->predictions();
    // Replayed on the model's own probabilities: a scheduler fitted on calibrated ones carries their
    // temperatures and must reproduce the studio's decisions from what the model outputs.
    const auto model = m_session->modelPredictions();
    if (!snapshot || !predictions || !snapshot->available) {
        Q_EMIT failed(path, snapshot ? QString::fromStdString(snapshot->method + ": " + snapshot->note)
                                     : tr("nothing to export yet"));
        return false;
    }
    if (isBusy()) {
        Q_EMIT failed(path, tr("another export is still running"));
        return false;
    }
    m_job.start([path, snapshot, predictions, model, trainingOptions, rule = m_session->budgetRule()]() {
        Result result{path, {}, {}};
        try {
            SchedulerFile file = schedulerFileFor(
                *snapshot, *predictions, provenanceFor(*predictions, snapshot->scoreMethod, trainingOptions));
            recordBudgetRule(file, rule, *snapshot, *predictions);
            result.summary = QString::fromStdString(
                exportScheduler(path.toStdString(), file, *snapshot, *model).summary());
        } catch (const std::exception& e) {
            result.error = QString::fromStdString(e.what());
        }
        return result;
    });
    return true;
}

void SchedulerExporter::onFinished(const Result& result) {
    if (result.error.isEmpty())
        Q_EMIT exported(result.path, result.summary);
    else
        Q_EMIT failed(result.path, result.error);
}

} // namespace eenet
