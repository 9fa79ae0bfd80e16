// summarize() and toJson(): what `eenet-cli info` and the dataset view report about a file's inputs.
#include "data/DatasetSummary.h"
#include "data/SyntheticPredictions.h"

#include <QJsonArray>
#include <QtTest>

using eenet::InputKind;

namespace {

std::shared_ptr<const eenet::SampleInputs> images(int numSamples, int channels) {
    eenet::SampleInput image;
    image.kind = InputKind::Image;
    image.height = 3;
    image.width = 2;
    image.channels = channels;
    image.pixels.assign(static_cast<size_t>(3 * 2 * channels), 9);
    return std::make_shared<eenet::MemorySampleInputs>(std::vector<eenet::SampleInput>(numSamples, image));
}

std::shared_ptr<const eenet::SampleInputs> texts(int numSamples) {
    eenet::SampleInput text;
    text.kind = InputKind::Text;
    text.text = "a review";
    return std::make_shared<eenet::MemorySampleInputs>(std::vector<eenet::SampleInput>(numSamples, text));
}

eenet::Predictions predictions() {
    return eenet::makeSyntheticPredictions({3, 4, 30, 20, 1});
}

QJsonValue shape(std::initializer_list<int> dims) {
    QJsonArray array;
    for (int d : dims)
        array.append(d);
    return array;
}

} // namespace

class TestDatasetSummary : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void reportsNoInputs();
    void reportsImagesOfBothSplits();
    void reportsTextsOfOneSplit();
};

void TestDatasetSummary::reportsNoInputs() {
    const eenet::DatasetSummary summary = eenet::summarize(predictions());
    QCOMPARE(summary.inputKind, InputKind::None);
    const QJsonObject inputs = eenet::toJson(summary)["inputs"].toObject();
    QCOMPARE(inputs["kind"].toString(), "none");
    QVERIFY(inputs["shape"].isNull());
    QVERIFY(inputs["test_shape"].isNull());
}

void TestDatasetSummary::reportsImagesOfBothSplits() {
    eenet::Predictions p = predictions();
    p.val.inputs = images(30, 3);
    p.test->inputs = images(20, 3);
    const eenet::DatasetSummary summary = eenet::summarize(p);
    QCOMPARE(summary.inputKind, InputKind::Image);
    QCOMPARE(summary.valInputShape, (std::vector<int>{30, 3, 2, 3}));
    QCOMPARE(summary.testInputShape, (std::vector<int>{20, 3, 2, 3}));
    const QJsonObject inputs = eenet::toJson(summary)["inputs"].toObject();
    QCOMPARE(inputs["kind"].toString(), "image");
    QCOMPARE(inputs["shape"], shape({30, 3, 2, 3}));
    QCOMPARE(inputs["test_shape"], shape({20, 3, 2, 3}));
}

void TestDatasetSummary::reportsTextsOfOneSplit() {
    eenet::Predictions p = predictions();
    p.test->inputs = texts(20);
    const QJsonObject inputs = eenet::toJson(eenet::summarize(p))["inputs"].toObject();
    QCOMPARE(inputs["kind"].toString(), "text");
    QVERIFY(inputs["shape"].isNull());
    QCOMPARE(inputs["test_shape"], shape({20}));
}

QTEST_GUILESS_MAIN(TestDatasetSummary)
#include "tst_datasetsummary.moc"
