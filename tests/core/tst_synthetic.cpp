#include "Error.h"
#include "data/SyntheticPredictions.h"
#include "io/PredictionsReader.h"
#include "io/PredictionsWriter.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace eenet;

class TestSynthetic : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shapesAndRowsAreValid();
    void sameSeedSameData();
    void accuracyRisesWithTheExit();
    void labelledSynthetic();
    void roundTripsThroughTheReader();
    void rejectsBadOptions();
};

void TestSynthetic::shapesAndRowsAreValid() {
    const Predictions p = makeSyntheticPredictions({5, 20, 300, 100, 7});
    QCOMPARE(p.numExits, 5);
    QCOMPARE(p.numClasses, 20);
    QCOMPARE(p.val.numSamples, 300);
    QVERIFY(p.test.has_value());
    QCOMPARE(p.test->numSamples, 100);
    QCOMPARE(p.val.probs.size(), size_t(5 * 300 * 20));
    QCOMPARE(p.costs.size(), size_t(5));
    for (size_t row = 0; row < p.val.probs.size() / 20; ++row) {
        double sum = 0;
        for (size_t c = 0; c < 20; ++c)
            sum += p.val.probs[row * 20 + c];
        QVERIFY2(std::abs(sum - 1.0) < 1e-4, qPrintable(QString("row %1 sums to %2").arg(row).arg(sum)));
    }
}

void TestSynthetic::sameSeedSameData() {
    const Predictions a = makeSyntheticPredictions({3, 10, 200, 0, 42});
    const Predictions b = makeSyntheticPredictions({3, 10, 200, 0, 42});
    const Predictions c = makeSyntheticPredictions({3, 10, 200, 0, 43});
    QVERIFY(a.val.probs == b.val.probs);
    QVERIFY(a.val.labels == b.val.labels);
    QVERIFY(a.val.probs != c.val.probs);
    QVERIFY(!a.test.has_value());
}

void TestSynthetic::accuracyRisesWithTheExit() {
    const Predictions p = makeSyntheticPredictions({4, 100, 4000, 0, 1});
    double previous = 0;
    for (int k = 0; k < p.numExits; ++k) {
        const double accuracy = exitAccuracyPercent(p.val, p.numClasses, k);
        QVERIFY2(accuracy > previous + 3, qPrintable(QString("exit %1: %2 %").arg(k + 1).arg(accuracy)));
        previous = accuracy;
    }
    QVERIFY(exitAccuracyPercent(p.val, p.numClasses, 0) > 10); // far above chance (1 %)
}

void TestSynthetic::labelledSynthetic() {
    const Predictions p = makeSyntheticPredictions({});
    QVERIFY(QString::fromStdString(p.model).contains("synthetic"));
    QVERIFY(QString::fromStdString(p.dataset).contains("synthetic"));
}

void TestSynthetic::roundTripsThroughTheReader() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("synthetic.h5").toStdString();
    const Predictions p = makeSyntheticPredictions({3, 12, 150, 50, 3});
    writePredictions(path, p);
    const auto loaded = readPredictions(path);
    QCOMPARE(loaded->numExits, 3);
    QCOMPARE(loaded->numClasses, 12);
    QVERIFY(loaded->val.probs == p.val.probs);
    QVERIFY(loaded->test->labels == p.test->labels);
    QCOMPARE(loaded->model, p.model);
}

void TestSynthetic::rejectsBadOptions() {
    QVERIFY_THROWS_EXCEPTION(ArgumentError, makeSyntheticPredictions({1, 10, 100, 0, 1}));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, makeSyntheticPredictions({3, 1, 100, 0, 1}));
    QVERIFY_THROWS_EXCEPTION(ArgumentError, makeSyntheticPredictions({3, 10, 0, 0, 1}));
}

QTEST_GUILESS_MAIN(TestSynthetic)
#include "tst_synthetic.moc"
