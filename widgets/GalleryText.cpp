#include "GalleryText.h"
#include "ShownSplit.h"

#include <QObject>

namespace eenet {
namespace {

QString name(const std::vector<std::string>& names, int index) {
    return QString::fromStdString(names.at(static_cast<size_t>(index))).toHtmlEscaped();
}

} // namespace

std::shared_ptr<const SampleInputs> shownInputs(const Session& session) {
    if (!session.hasPredictions())
        return nullptr;
    const Predictions& predictions = *session.predictions();
    return session.split() == Split::Test ? predictions.test->inputs : predictions.val.inputs;
}

const SplitPolicy* shownPolicy(const Session& session) {
    const SplitPolicy* shown = shownSplit(session);
    if (!shown || !session.hasPredictions())
        return nullptr;
    const Predictions& predictions = *session.predictions();
    const SplitPredictions& split = session.split() == Split::Test ? *predictions.test : predictions.val;
    const ExitData& data = *shown->data;
    const bool matches = data.numSamples == split.numSamples && data.numExits == predictions.numExits &&
                         data.numClasses == predictions.numClasses;
    return matches ? shown : nullptr;
}

QString samplesUnavailableText(const Session& session) {
    if (!session.hasPredictions())
        return QObject::tr("Open a predictions file to see its samples here.");
    if (!shownInputs(session))
        return QObject::tr("This file stores no inputs, so there are no images or texts to show.\n\n"
                           "To add them, store each split's images or texts in the file's optional "
                           "'inputs' datasets: see docs/format.md, 'Inputs'.");
    const auto& snapshot = session.snapshot();
    if (snapshot && !snapshot->available)
        return QString::fromStdString(snapshot->note);
    if (!shownPolicy(session))
        return QObject::tr("No policy computed yet.");
    return {};
}

QString policyText(const PolicySnapshot& snapshot, const Predictions& predictions) {
    return QObject::tr("%1 at budget %2 %3")
        .arg(QString::fromStdString(snapshot.method), QString::number(snapshot.budget, 'g', 4),
             QString::fromStdString(predictions.costUnit));
}

QString sampleHeadline(const Predictions& predictions, const ExitData& data, int sample) {
    return QObject::tr("<b>sample %1</b> · label <b>%2</b>")
        .arg(sample)
        .arg(name(predictions.classNames, data.labels.at(static_cast<size_t>(sample))));
}

QString predictionLine(const Predictions& predictions, const ExitData& data, int exit, int sample) {
    const bool right = data.correct(exit, sample) != 0;
    return QObject::tr("%1 predicts <b>%2</b>: %3")
        .arg(name(predictions.exitNames, exit), name(predictions.classNames, data.predictions(exit, sample)),
             right ? QObject::tr("✓ right") : QObject::tr("✗ wrong"));
}

} // namespace eenet
