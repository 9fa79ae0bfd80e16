// Runs the real eenet-make-sample on a small Fashion-MNIST subset and checks the files it writes.
#include "TestData.h"

#include "io/PredictionsReader.h"
#include "io/PredictionsWriter.h"
#include "runtime/ExitModel.h"
#include "sample/FashionMnist.h"
#include "sample/SampleModelMaker.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <memory>

namespace {

const QString kTool = QStringLiteral(EENET_BIN_DIR "/eenet-make-sample");
constexpr int kToolTimeoutMs = 240000;
const std::string kFashionMnistDir = eenet::SampleModelOptions().fashionMnistDir;
/// What the test run asks for: small, and a seed other than the default.
const QStringList kSmallRun{"--train", "3000", "--val", "300", "--test", "300", "--seed", "7"};

struct ToolRun {
    int exitCode = -1;
    QString stdErr;
};

ToolRun runTool(const QStringList& arguments) {
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // Two BLAS pools on two cores would make the run slow and its latencies noisy; spinning OpenMP workers
    // make it crawl when other tests share the machine.
    env.insert("OPENBLAS_NUM_THREADS", "1");
    env.insert("OMP_WAIT_POLICY", "PASSIVE");
    process.setProcessEnvironment(env);
    process.start(kTool, arguments);
    ToolRun run;
    if (!process.waitForFinished(kToolTimeoutMs)) {
        process.kill();
        process.waitForFinished();
        run.stdErr = "tool did not finish: " + process.errorString();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.stdErr = QString::fromLocal8Bit(process.readAllStandardError());
    return run;
}

std::vector<std::uint8_t> pixelsOf(const eenet::FashionMnist& data, int index) {
    const auto size = static_cast<std::ptrdiff_t>(data.rows) * data.cols;
    const auto first = data.pixels.begin() + index * size;
    return std::vector<std::uint8_t>(first, first + size);
}

/// Each stored image, in order, must be the IDX file's image at its index, labelled as the split is: the test
/// split is the first t10k images; the val images come from the shuffled training images, so each is looked
/// up among them (Fashion-MNIST has a few duplicate images; any copy with the right label will do).
void verifyImages(const eenet::Predictions& p) {
    const auto test = eenet::FashionMnist::load(kFashionMnistDir, eenet::FashionMnistPart::Test, 300);
    const auto train = eenet::FashionMnist::load(kFashionMnistDir, eenet::FashionMnistPart::Train);
    QVERIFY(p.val.inputs && p.test && p.test->inputs);
    QCOMPARE(p.test->inputs->shape(), (std::vector<int>{300, 28, 28}));
    QCOMPARE(p.val.inputs->shape(), (std::vector<int>{300, 28, 28}));
    for (int i = 0; i < 300; ++i) {
        const eenet::SampleInput image = p.test->inputs->read(i);
        QCOMPARE(image.kind, eenet::InputKind::Image);
        QCOMPARE(image.channels, 1);
        QVERIFY2(image.pixels == pixelsOf(test, i), qPrintable(QStringLiteral("test image %1").arg(i)));
    }
    std::multimap<std::vector<std::uint8_t>, int> labelsByImage;
    for (int i = 0; i < train.count; ++i)
        labelsByImage.emplace(pixelsOf(train, i), train.labels[static_cast<size_t>(i)]);
    for (int i = 0; i < 300; ++i) {
        const auto copies = labelsByImage.equal_range(p.val.inputs->read(i).pixels);
        const bool found = std::any_of(copies.first, copies.second, [&](const auto& copy) {
            return copy.second == p.val.labels[static_cast<size_t>(i)];
        });
        QVERIFY2(found, qPrintable(QStringLiteral("val image %1 is not a training image labelled %2")
                                       .arg(i)
                                       .arg(p.val.labels[static_cast<size_t>(i)])));
    }
}

bool strictlyIncreasing(const std::vector<double>& values) {
    for (size_t i = 1; i < values.size(); ++i) {
        if (!(values[i] > values[i - 1]))
            return false;
    }
    return true;
}

} // namespace

class TestSampleMaker : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void writesFourExitFashionMnist();
    void costsAndFlopsStrictlyIncrease();
    void servingCostsAreShapedLikeTheShippedSample();
    void probabilitiesAreNormalised();
    void lastExitLearns();
    void storesTheImagesOfBothSplits();
    void writesTheNetworkBesideThePredictions();
    void modelOutIsChecked();
    void reuseAddsImagesAndKeepsPredictions();
    void reuseRefusesAFileOfOtherOptions();
    void badDataDirFailsNamingThePath();
    void usageErrors_data();
    void usageErrors();

private:
    QTemporaryDir m_dir;
    std::shared_ptr<const eenet::Predictions> m_predictions;
};

void TestSampleMaker::initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFileInfo::exists(kTool), qPrintable("tool not built: " + kTool));
    const QString out = m_dir.filePath("sample.h5");
    // About 10 s on one thread, yet large enough that the last exit learns clearly. One training thread keeps
    // the run fast when CTest runs other tests beside it.
    const ToolRun run = runTool(QStringList{"--out", out, "--epochs", "2", "--latency-samples", "40",
                                            "--threads", "1", "--batch-cost-seconds", "2"} +
                                kSmallRun);
    QVERIFY2(run.exitCode == 0, qPrintable(run.stdErr));
    try {
        m_predictions = eenet::readPredictions(out.toStdString());
    } catch (const std::exception& e) {
        QFAIL(e.what());
    }
    QVERIFY(m_predictions);
}

void TestSampleMaker::writesFourExitFashionMnist() {
    const eenet::Predictions& p = *m_predictions;
    QCOMPARE(p.numExits, 4);
    QCOMPARE(p.numClasses, 10);
    QCOMPARE(p.val.numSamples, 300);
    QVERIFY(p.test.has_value());
    QCOMPARE(p.test->numSamples, 300);
    QCOMPARE(p.model, std::string("cnn4-multi-exit"));
    QCOMPARE(p.dataset, std::string("Fashion-MNIST"));
    QCOMPARE(p.costUnit, std::string("ms"));
    const std::vector<std::string> classes{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                           "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    QVERIFY(p.classNames == classes);
    QCOMPARE(p.exitNames.size(), size_t{4});
}

void TestSampleMaker::costsAndFlopsStrictlyIncrease() {
    const eenet::Predictions& p = *m_predictions;
    QCOMPARE(p.costs.size(), size_t{4});
    QCOMPARE(p.flops.size(), size_t{4});
    QVERIFY(p.costs.front() > 0.0);
    QVERIFY(p.flops.front() > 0.0);
    QVERIFY(strictlyIncreasing(p.costs));
    QVERIFY(strictlyIncreasing(p.flops));
}

// Serving costs are timings, so they are compared with the shipped sample's by their shape only: the same
// batch sizes (1 to 256; the small run's 300 test images allow 256 too), one row per exit, positive and
// increasing with the exit, and their batch-1 column stored as the same named cost vector.
void TestSampleMaker::servingCostsAreShapedLikeTheShippedSample() {
    const eenet::Predictions& p = *m_predictions;
    const auto shipped = eenet::readPredictions(eenet::test::samplePath().toStdString());
    QVERIFY(!shipped->batchCosts.empty());
    QCOMPARE(p.batchCosts.batchSizes, shipped->batchCosts.batchSizes);
    QCOMPARE(p.batchCosts.batchSizes, (std::vector<int>{1, 2, 4, 8, 16, 32, 64, 128, 256}));
    QCOMPARE(p.batchCosts.unit, shipped->batchCosts.unit);
    QCOMPARE(p.batchCosts.values.size(), size_t{4} * p.batchCosts.batchSizes.size());
    for (size_t j = 0; j < p.batchCosts.batchSizes.size(); ++j) {
        std::vector<double> column;
        for (int k = 0; k < p.numExits; ++k)
            column.push_back(p.batchCosts.at(k, static_cast<int>(j)));
        QVERIFY(column.front() > 0.0);
        QVERIFY2(strictlyIncreasing(column),
                 qPrintable(QString("batch size %1").arg(p.batchCosts.batchSizes[j])));
    }
    QCOMPARE(p.extraCosts.size(), shipped->extraCosts.size());
    QCOMPARE(p.extraCosts.size(), size_t{1});
    QCOMPARE(p.extraCosts[0].name, shipped->extraCosts[0].name);
    QCOMPARE(p.extraCosts[0].unit, std::string("ms"));
    for (int k = 0; k < p.numExits; ++k)
        QCOMPARE(p.extraCosts[0].values[static_cast<size_t>(k)], p.batchCosts.at(k, 0));
}

void TestSampleMaker::probabilitiesAreNormalised() {
    const eenet::Predictions& p = *m_predictions;
    for (int k = 0; k < p.numExits; ++k) {
        for (int i = 0; i < p.val.numSamples; i += 37) {
            const float* row = p.val.row(p.numClasses, k, i);
            double sum = 0.0;
            for (int c = 0; c < p.numClasses; ++c)
                sum += row[c];
            QVERIFY2(qAbs(sum - 1.0) < 1e-4,
                     qPrintable(QString("exit %1 sample %2 sums to %3").arg(k).arg(i).arg(sum)));
        }
    }
}

void TestSampleMaker::lastExitLearns() {
    const eenet::Predictions& p = *m_predictions;
    // Chance is 10 %; this run measured 84 % (val) and 79 % (test) at the last exit, so 50 % leaves a wide
    // margin.
    const double val = eenet::exitAccuracyPercent(p.val, p.numClasses, p.numExits - 1);
    const double test = eenet::exitAccuracyPercent(*p.test, p.numClasses, p.numExits - 1);
    QVERIFY2(val > 50.0, qPrintable(QString("val accuracy %1 %").arg(val)));
    QVERIFY2(test > 50.0, qPrintable(QString("test accuracy %1 %").arg(test)));
}

void TestSampleMaker::storesTheImagesOfBothSplits() {
    verifyImages(*m_predictions);
}

// --reuse keeps an earlier file's predictions, costs and names exactly and adds the images the options
// select.
void TestSampleMaker::reuseAddsImagesAndKeepsPredictions() {
    eenet::Predictions withoutImages = *m_predictions;
    withoutImages.val.inputs = nullptr;
    withoutImages.test->inputs = nullptr;
    const QString earlier = m_dir.filePath("earlier.h5");
    eenet::writePredictions(earlier.toStdString(), withoutImages);
    const QString out = m_dir.filePath("reused.h5");
    const ToolRun run = runTool(QStringList{"--out", out, "--reuse", earlier} + kSmallRun);
    QVERIFY2(run.exitCode == 0, qPrintable(run.stdErr));

    const auto reused = eenet::readPredictions(out.toStdString());
    QVERIFY(reused->val.probs == m_predictions->val.probs);
    QVERIFY(reused->test->probs == m_predictions->test->probs);
    QVERIFY(reused->val.labels == m_predictions->val.labels);
    QCOMPARE(reused->costs, m_predictions->costs);
    QCOMPARE(reused->flops, m_predictions->flops);
    QCOMPARE(reused->batchCosts.values, m_predictions->batchCosts.values);
    QCOMPARE(reused->extraCosts.size(), m_predictions->extraCosts.size());
    QVERIFY(reused->description.rfind(m_predictions->description, 0) == 0);
    QVERIFY(reused->description.find("--reuse") != std::string::npos);
    verifyImages(*reused);
    // No network was trained, so none is written.
    QVERIFY(!QFileInfo::exists(m_dir.filePath("reused.pt")));
}

void TestSampleMaker::reuseRefusesAFileOfOtherOptions() {
    const QString earlier = m_dir.filePath("earlier-other.h5");
    eenet::writePredictions(earlier.toStdString(), *m_predictions);
    const QString out = m_dir.filePath("never-reused.h5");
    QStringList otherSeed = kSmallRun;
    otherSeed.last() = "8";
    const ToolRun run = runTool(QStringList{"--out", out, "--reuse", earlier} + otherSeed);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.stdErr.contains("/val/labels") && run.stdErr.contains("seed"), qPrintable(run.stdErr));
    QVERIFY(!QFileInfo::exists(out));
}

// The trained network, as TorchScript, beside the predictions (FILE.pt for FILE.h5), reproduces them: what
// the tool checked before it reported success, checked again here through the same loader.
void TestSampleMaker::writesTheNetworkBesideThePredictions() {
    try {
        const eenet::ExitModel model = eenet::loadExitModel(m_dir.filePath("sample.pt").toStdString());
        QCOMPARE(model.numExits(), 4);
        for (const eenet::Split split : {eenet::Split::Val, eenet::Split::Test}) {
            const eenet::ModelCheck check = eenet::checkModelAgainst(model, *m_predictions, split, 300);
            QCOMPARE(check.samples, 300);
            QVERIFY2(check.maxDifference <= 1e-5, qPrintable(QString::number(check.maxDifference)));
        }
    } catch (const std::exception& e) {
        QFAIL(e.what());
    }
}

void TestSampleMaker::modelOutIsChecked() {
    const QString missing = m_dir.filePath("no-such-dir/model.pt");
    const ToolRun run = runTool({"--out", m_dir.filePath("never2.h5"), "--model-out", missing});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.stdErr.contains("output directory does not exist: " + m_dir.filePath("no-such-dir")),
             qPrintable(run.stdErr));
    QVERIFY(!QFileInfo::exists(m_dir.filePath("never2.h5")));
}

void TestSampleMaker::badDataDirFailsNamingThePath() {
    const QString missing = m_dir.filePath("no-fashion-mnist-here");
    const QString out = m_dir.filePath("never.h5");
    const ToolRun run = runTool({"--out", out, "--data-dir", missing, "--train", "100", "--val", "10",
                                 "--test", "10", "--epochs", "1", "--latency-samples", "5"});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.stdErr.contains(missing), qPrintable(run.stdErr));
    QVERIFY(!QFileInfo::exists(out));
}

void TestSampleMaker::usageErrors_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("missing --out") << QStringList{"--epochs", "1"};
    QTest::newRow("non-numeric epochs") << QStringList{"--out", "x.h5", "--epochs", "many"};
    QTest::newRow("zero batch") << QStringList{"--out", "x.h5", "--batch", "0"};
    QTest::newRow("unknown option") << QStringList{"--out", "x.h5", "--frobnicate"};
    QTest::newRow("model over the predictions") << QStringList{"--out", "x.h5", "--model-out", "x.h5"};
    QTest::newRow("model without training")
        << QStringList{"--out", "x.h5", "--reuse", "y.h5", "--model-out", "x.pt"};
}

void TestSampleMaker::usageErrors() {
    QFETCH(QStringList, arguments);
    const ToolRun run = runTool(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(!run.stdErr.isEmpty());
}

QTEST_GUILESS_MAIN(TestSampleMaker)
#include "tst_samplemaker.moc"
