#include "TestData.h"

#include "io/PredictionsWriter.h"

#include <QFile>

namespace eenet::test {

QString samplePath() {
    // EENET_SOURCE_DIR: a compile definition of the test support library, as of every test.
    return QStringLiteral(EENET_SOURCE_DIR "/sample_data/fashion_mnist_cnn4.h5");
}

std::shared_ptr<const Predictions> sharedSynthetic(const SyntheticOptions& options) {
    return std::make_shared<const Predictions>(makeSyntheticPredictions(options));
}

std::shared_ptr<const Predictions> chartPredictions() {
    return sharedSynthetic({4, 10, 1500, 700, 3});
}

QString writeSynthetic(const QString& path, const SyntheticOptions& options) {
    writePredictions(path.toStdString(), makeSyntheticPredictions(options));
    return path;
}

double budgetAt(const Predictions& predictions, double fraction) {
    const std::vector<double>& costs = predictions.costs;
    return costs.front() + fraction * (costs.back() - costs.front());
}

EENetOptions endlessTraining() {
    EENetOptions options;
    options.steps = 10000000;
    return options;
}

std::shared_ptr<const PolicySnapshot>
snapshotOf(Evaluator& evaluator, const char* method, double budget,
           const std::vector<std::shared_ptr<const TrainedScheduler>>& trained) {
    return std::make_shared<const PolicySnapshot>(
        computeSnapshot(evaluator, *Method::parse(method), budget, trained));
}

QByteArray readBytes(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeBytes(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace eenet::test
