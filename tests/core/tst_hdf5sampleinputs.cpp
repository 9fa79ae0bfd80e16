// Hdf5SampleInputs: samples read one at a time from the file, through a cache, from several threads, with the
// file never held open.
#include "H5FileBuilder.h"
#include "ReadChecks.h"

#include "Error.h"
#include "io/Hdf5SampleInputs.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <thread>

using eenet::Hdf5SampleInputs;
using eenet::InputKind;
using eenet::test::BaselineOptions;
using eenet::test::H5DatasetSpec;
using eenet::test::H5ElementType;
using eenet::test::H5FileBuilder;
using eenet::test::readOrFail;

namespace {

constexpr int kSide = 8;
constexpr std::uint64_t kSampleBytes = kSide * kSide * 3;

/// Byte `byte` of sample `i`: every sample differs from every other.
std::uint8_t value(int i, std::uint64_t byte) {
    return static_cast<std::uint8_t>((static_cast<std::uint64_t>(i) * 131 + byte * 7) % 251);
}

/// The baseline with `samples` val samples whose inputs are 8 x 8 RGB images, chunked and gzipped.
H5FileBuilder withImages(int samples) {
    H5FileBuilder builder = H5FileBuilder::validBaseline(BaselineOptions{3, samples, 4, 10, true});
    std::vector<double> values;
    for (int i = 0; i < samples; ++i)
        for (std::uint64_t b = 0; b < kSampleBytes; ++b)
            values.push_back(value(i, b));
    H5DatasetSpec images = H5DatasetSpec::numbers(
        H5ElementType::UInt8, {static_cast<std::uint64_t>(samples), kSide, kSide, 3}, values);
    images.chunkedGzip = true;
    builder.setDataset("/val/inputs", images);
    return builder;
}

bool isSample(const eenet::SampleInput& sample, int i) {
    if (sample.kind != InputKind::Image || sample.height != kSide || sample.width != kSide ||
        sample.channels != 3 || sample.pixels.size() != kSampleBytes)
        return false;
    for (std::uint64_t b = 0; b < kSampleBytes; ++b) {
        if (sample.pixels[b] != value(i, b))
            return false;
    }
    return true;
}

} // namespace

class TestHdf5SampleInputs : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsEachSampleFromTheFileOnce();
    void forgetsTheLeastRecentlyUsedBeyondItsBudget();
    void readsTexts();
    void refusesIndicesOutOfRange();
    void readsFromSeveralThreadsAtOnce();
    void leavesTheFileFreeToBeRewritten();
    void refusesAFileGoneSinceLoading();

private:
    std::shared_ptr<const eenet::Predictions> load(const H5FileBuilder& builder, const QString& name);

    QTemporaryDir m_dir;
};

std::shared_ptr<const eenet::Predictions> TestHdf5SampleInputs::load(const H5FileBuilder& builder,
                                                                     const QString& name) {
    const QString path = m_dir.filePath(name);
    builder.write(path);
    return readOrFail(path);
}

void TestHdf5SampleInputs::readsEachSampleFromTheFileOnce() {
    const auto p = load(withImages(100), "once.h5");
    QVERIFY(p && p->val.inputs);
    const eenet::SampleInputs& inputs = *p->val.inputs;
    QVERIFY(dynamic_cast<const Hdf5SampleInputs*>(&inputs));
    QCOMPARE(inputs.bytesRead(), std::uint64_t{0});
    for (int i : {5, 99, 0, 42}) {
        QVERIFY2(isSample(inputs.read(i), i), qPrintable(QStringLiteral("sample %1").arg(i)));
    }
    QCOMPARE(inputs.bytesRead(), 4 * kSampleBytes);
    for (int i : {42, 0, 5, 99})
        QVERIFY(isSample(inputs.read(i), i));
    QCOMPARE(inputs.bytesRead(), 4 * kSampleBytes);
}

void TestHdf5SampleInputs::forgetsTheLeastRecentlyUsedBeyondItsBudget() {
    constexpr int kSamples = static_cast<int>(Hdf5SampleInputs::kCacheSamples) + 20;
    const auto p = load(withImages(kSamples), "many.h5");
    QVERIFY(p && p->val.inputs);
    const eenet::SampleInputs& inputs = *p->val.inputs;
    for (int i = 0; i < kSamples; ++i)
        inputs.read(i);
    QCOMPARE(inputs.bytesRead(), kSamples * kSampleBytes);
    // The newest kCacheSamples are kept; the first ones were dropped and are read again.
    inputs.read(kSamples - 1);
    inputs.read(kSamples - static_cast<int>(Hdf5SampleInputs::kCacheSamples));
    QCOMPARE(inputs.bytesRead(), kSamples * kSampleBytes);
    QVERIFY(isSample(inputs.read(0), 0));
    QCOMPARE(inputs.bytesRead(), (kSamples + 1) * kSampleBytes);
}

void TestHdf5SampleInputs::readsTexts() {
    H5FileBuilder builder = H5FileBuilder::validBaseline(BaselineOptions{3, 6, 4, 10, true});
    const std::vector<std::string> texts{"",   "a", "naïve café", "日本語のレビュー", std::string(70000, 'x'),
                                         "end"};
    H5DatasetSpec spec = H5DatasetSpec::text(texts);
    spec.chunkedGzip = true;
    builder.setDataset("/val/inputs", spec);
    const auto p = load(builder, "texts.h5");
    QVERIFY(p && p->val.inputs);
    QCOMPARE(p->val.inputs->kind(), InputKind::Text);
    QCOMPARE(p->val.inputs->shape(), (std::vector<int>{6}));
    std::uint64_t bytes = 0;
    for (int i = 0; i < 6; ++i) {
        const eenet::SampleInput sample = p->val.inputs->read(i);
        QCOMPARE(sample.kind, InputKind::Text);
        QCOMPARE(sample.text, texts[static_cast<size_t>(i)]);
        QVERIFY(sample.pixels.empty());
        bytes += texts[static_cast<size_t>(i)].size();
    }
    QCOMPARE(p->val.inputs->bytesRead(), bytes);
}

void TestHdf5SampleInputs::refusesIndicesOutOfRange() {
    const auto p = load(withImages(10), "range.h5");
    QVERIFY(p && p->val.inputs);
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, p->val.inputs->read(-1));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, p->val.inputs->read(10));
    QCOMPARE(p->val.inputs->bytesRead(), std::uint64_t{0});
}

// Four threads read every sample in their own order while a fifth loads other files through the same HDF5
// lock: every sample must come back whole and right.
void TestHdf5SampleInputs::readsFromSeveralThreadsAtOnce() {
    constexpr int kSamples = 700; // more than the cache holds, so threads keep reading from the file
    const auto p = load(withImages(kSamples), "shared.h5");
    QVERIFY(p && p->val.inputs);
    const QString other = m_dir.filePath("other.h5");
    withImages(50).write(other);

    constexpr int kReaders = 4;
    std::vector<std::string> errors(kReaders + 1);
    std::atomic<bool> readersDone{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < kReaders; ++t) {
        threads.emplace_back([&, t] {
            try {
                for (int n = 0; n < kSamples; ++n) {
                    const int i = (n * (2 * t + 1) + 97 * t) % kSamples;
                    if (!isSample(p->val.inputs->read(i), i))
                        throw std::runtime_error("sample " + std::to_string(i) + " came back wrong");
                }
            } catch (const std::exception& e) {
                errors[static_cast<size_t>(t)] = e.what();
            }
        });
    }
    threads.emplace_back([&] {
        try {
            while (!readersDone.load()) {
                const auto loaded = eenet::readPredictions(other.toStdString());
                if (!isSample(loaded->val.inputs->read(3), 3))
                    throw std::runtime_error("sample 3 of the other file came back wrong");
            }
        } catch (const std::exception& e) {
            errors[kReaders] = e.what();
        }
    });
    for (int t = 0; t < kReaders; ++t)
        threads[static_cast<size_t>(t)].join();
    readersDone = true;
    threads.back().join();
    for (const std::string& error : errors)
        QVERIFY2(error.empty(), error.c_str());
    QVERIFY(p->val.inputs->bytesRead() >= kSamples * kSampleBytes);
}

// HDF5 refuses to truncate a file this process holds open: rewriting succeeds only if reading did not keep
// it. Samples of the rewritten file are refused rather than shown beside the predictions loaded before.
void TestHdf5SampleInputs::leavesTheFileFreeToBeRewritten() {
    const QString path = m_dir.filePath("rewritten.h5");
    withImages(30).write(path);
    const auto p = readOrFail(path);
    QVERIFY(p && p->val.inputs);
    QVERIFY(isSample(p->val.inputs->read(1), 1));
    QCOMPARE(H5FileBuilder::openObjectCount(), 0L);

    withImages(31).write(path);
    QVERIFY(isSample(p->val.inputs->read(1), 1)); // cached: nothing read
    try {
        p->val.inputs->read(2);
        QFAIL("a sample of the rewritten file was read");
    } catch (const eenet::IoError& e) {
        QCOMPARE(QString::fromStdString(e.file()), path);
        QVERIFY2(QString::fromStdString(e.problem()).contains("changed on disk since it was loaded"),
                 e.what());
    }
}

void TestHdf5SampleInputs::refusesAFileGoneSinceLoading() {
    const QString path = m_dir.filePath("gone.h5");
    withImages(30).write(path);
    const auto p = readOrFail(path);
    QVERIFY(p && p->val.inputs);
    QVERIFY(QFile::remove(path));
    QVERIFY_THROWS_EXCEPTION(eenet::IoError, p->val.inputs->read(0));
}

QTEST_GUILESS_MAIN(TestHdf5SampleInputs)
#include "tst_hdf5sampleinputs.moc"
