#include "H5FileBuilder.h"
#include "ReadChecks.h"

#include "Error.h"
#include "data/SyntheticPredictions.h"
#include "io/Hdf5Lock.h"
#include "io/PredictionsReader.h"
#include "io/PredictionsWriter.h"

#include <H5Cpp.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using eenet::test::H5FileBuilder;
using eenet::test::readOrFail;
using eenet::test::verifyFormatError;

namespace {

// A synthetic split of 1000 classes whose sample count is no multiple of the reader's slabs (4 MiB: 1048 rows
// of 1000 float32, 1105 in chunks of 65 rows), so that every split ends in a partial slab.
constexpr int kOddSamples = 2621;

/// Writes a synthetic file: 3 exits, 1000 classes, kOddSamples val and 1000 test samples, contiguous.
QString writeSynthetic(const QTemporaryDir& dir, const QString& name, int gzipLevel = 0) {
    const QString path = dir.filePath(name);
    eenet::writePredictions(path.toStdString(),
                            eenet::makeSyntheticPredictions({3, 1000, kOddSamples, 1000, 5}), {gzipLevel});
    return path;
}

/// Runs a Python script with h5py and numpy (EENET_PYTHON); fails the test with its output when it fails.
bool runPython(const QString& script, const QStringList& arguments) {
    QProcess python;
    python.start(EENET_PYTHON, QStringList{"-c", script} + arguments);
    if (!python.waitForFinished(120000) || python.exitStatus() != QProcess::NormalExit ||
        python.exitCode() != 0) {
        qWarning("python failed: %s", python.readAllStandardError().constData());
        return false;
    }
    return true;
}

/// Copies `source` to `target` with h5py, its probabilities stored as `dtype` ("float16", "float64"), in
/// gzipped chunks of `chunks` ("2,300,250") or contiguously ("none"): the files numpy users write.
bool rewriteProbs(const QString& source, const QString& target, const QString& dtype, const QString& chunks) {
    return runPython(QStringLiteral(R"(
import sys, h5py
source, target, dtype, chunks = sys.argv[1:5]
chunks = None if chunks == "none" else tuple(int(c) for c in chunks.split(","))
with h5py.File(source, "r") as f, h5py.File(target, "w") as g:
    g.attrs.update(dict(f.attrs))
    def copy(name, obj):
        if isinstance(obj, h5py.Dataset) and name.endswith("probs"):
            g.create_dataset(name, data=obj[...].astype(dtype), chunks=chunks,
                             compression="gzip" if chunks else None)
        elif isinstance(obj, h5py.Dataset):
            f.copy(obj, g, name=name)
    f.visititems(copy)
)"),
                     {source, target, dtype, chunks});
}

/// The dataset read whole by HDF5 into float32, conversions included: what the reader read before it read
/// in slabs.
std::vector<float> readWhole(const QString& path, const char* dataset) {
    const std::lock_guard<std::mutex> lock(eenet::hdf5Mutex());
    const H5::H5File file(path.toStdString(), H5F_ACC_RDONLY);
    const H5::DataSet data = file.openDataSet(dataset);
    std::vector<float> values(static_cast<std::size_t>(data.getSpace().getSimpleExtentNpoints()));
    data.read(values.data(), H5::PredType::NATIVE_FLOAT);
    return values;
}

bool bitIdentical(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

} // namespace

/// How readPredictions gets the probabilities off disk: in slabs of a few MB, each checked as it arrives
/// (docs/format.md, "Large files"). The slabs must add up to exactly what HDF5 reads in one whole-array call,
/// whatever the storage (contiguous, gzipped chunks, chunks that span exits) and element type (float16
/// widened bit for bit, float64 narrowed); a bad value in a later slab is named by exit, sample and class;
/// progress rises slab by slab to 1; a cancel stops the read at the next slab; and four threads reading one
/// file at once get identical results (HDF5 calls serialised). The file-format rules themselves are
/// tst_predictionsreader's.
class TestSlabReading : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsConcurrentlyFromFourThreads();
    void slabsMatchWholeArrayRead_data();
    void slabsMatchWholeArrayRead();
    void readsFloat16LikeFloat32();
    void widensEveryHalfExactly();
    void namesBadValueInLaterSlab_data();
    void namesBadValueInLaterSlab();
    void reportsMonotoneProgressEndingAtOne();
    void stopsWhenCancelled();
};

void TestSlabReading::readsConcurrentlyFromFourThreads() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("shared.h5");
    // Chunked and compressed: more HDF5 work per read, so unserialised calls would collide.
    H5FileBuilder builder = H5FileBuilder::validBaseline({3, 400, 10, 200, true});
    builder.setAllChunkedGzip(true);
    builder.write(path);
    const auto reference = readOrFail(path);
    QVERIFY(reference);

    constexpr int kThreads = 4;
    constexpr int kReadsPerThread = 5;
    // Each thread writes only its own slot; the main thread reads them after join().
    std::vector<std::vector<std::shared_ptr<const eenet::Predictions>>> results(kThreads);
    std::vector<std::string> errors(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            try {
                for (int r = 0; r < kReadsPerThread; ++r)
                    results[t].push_back(eenet::readPredictions(path.toStdString()));
            } catch (const std::exception& e) {
                errors[t] = e.what();
            } catch (...) {
                errors[t] = "exception not derived from std::exception";
            }
        });
    }
    for (std::thread& thread : threads)
        thread.join();

    for (int t = 0; t < kThreads; ++t) {
        QVERIFY2(errors[t].empty(), errors[t].c_str());
        QCOMPARE(results[t].size(), std::size_t{kReadsPerThread});
        for (const auto& p : results[t]) {
            QVERIFY(p);
            QVERIFY(p->val.probs == reference->val.probs);
            QVERIFY(p->val.labels == reference->val.labels);
            QVERIFY(p->test.has_value());
            QVERIFY(p->test->probs == reference->test->probs);
            QVERIFY(p->costs == reference->costs);
        }
    }
}

void TestSlabReading::slabsMatchWholeArrayRead_data() {
    QTest::addColumn<bool>("sample");
    QTest::addColumn<int>("gzipLevel");
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<QString>("chunks");
    QTest::newRow("sample") << true << 0 << QString() << QString();
    QTest::newRow("float32 contiguous") << false << 0 << QString() << QString();
    QTest::newRow("float32 in the writer's gzipped chunks") << false << 4 << QString() << QString();
    // A chunk spans two exits and a quarter of the classes: slabs of two exits, whole chunks.
    QTest::newRow("float32 chunks across exits") << false << 0 << "float32"
                                                 << "2,300,250";
    QTest::newRow("float64 contiguous") << false << 0 << "float64"
                                        << "none";
    QTest::newRow("float16 contiguous") << false << 0 << "float16"
                                        << "none";
    QTest::newRow("float16 chunked") << false << 0 << "float16"
                                     << "1,100,1000";
}

void TestSlabReading::slabsMatchWholeArrayRead() {
    QFETCH(bool, sample);
    QFETCH(int, gzipLevel);
    QFETCH(QString, dtype);
    QFETCH(QString, chunks);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString path = QStringLiteral(EENET_SOURCE_DIR "/sample_data/fashion_mnist_cnn4.h5");
    if (!sample) {
        path = writeSynthetic(dir, "synthetic.h5", gzipLevel);
        if (!dtype.isEmpty()) {
            QVERIFY(rewriteProbs(path, dir.filePath("rewritten.h5"), dtype, chunks));
            path = dir.filePath("rewritten.h5");
        }
    }
    const auto p = readOrFail(path);
    QVERIFY(p);
    QVERIFY(bitIdentical(p->val.probs, readWhole(path, "/val/probs")));
    QVERIFY(p->test.has_value());
    QVERIFY(bitIdentical(p->test->probs, readWhole(path, "/test/probs")));
}

void TestSlabReading::readsFloat16LikeFloat32() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path32 = writeSynthetic(dir, "float32.h5");
    const QString path16 = dir.filePath("float16.h5");
    QVERIFY(rewriteProbs(path32, path16, "float16", "none"));
    const auto p32 = readOrFail(path32);
    const auto p16 = readOrFail(path16);
    QVERIFY(p32 && p16);
    QVERIFY(p16->val.labels == p32->val.labels);
    QVERIFY(p16->costs == p32->costs);
    QVERIFY(p16->test.has_value());
    for (const auto& [half, single] :
         {std::pair{&p16->val.probs, &p32->val.probs}, std::pair{&p16->test->probs, &p32->test->probs}}) {
        QCOMPARE(half->size(), single->size());
        for (std::size_t i = 0; i < half->size(); ++i) {
            // Rounded to nearest: half an ulp of float16 (2^-11 relative), 2^-25 among its subnormals.
            const double bound = std::abs((*single)[i]) * std::ldexp(1.0, -11) + std::ldexp(1.0, -25);
            if (!(std::abs(double((*half)[i]) - (*single)[i]) <= bound))
                QFAIL(qPrintable(QStringLiteral("value %1 is %2 from float16, %3 from float32")
                                     .arg(i)
                                     .arg(double((*half)[i]), 0, 'g', 9)
                                     .arg(double((*single)[i]), 0, 'g', 9)));
        }
    }
}

void TestSlabReading::widensEveryHalfExactly() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("halves.h5");
    // Every half a probability can be: 0 to 1, subnormals included, and -0 down to -1e-6; each beside its
    // complement so that the row sums to 1.
    QVERIFY(runPython(QStringLiteral(R"(
import sys, h5py, numpy as np
bits = np.concatenate([np.arange(0, 0x3C01), np.arange(0x8000, 0x8011)]).astype(np.uint16)
halves = bits.view(np.float16)
rows = np.stack([halves, np.float16(1) - halves], axis=1)
with h5py.File(sys.argv[1], "w") as f:
    f.attrs.update({"format": "eenet-predictions", "format_version": 1, "model": "halves",
                    "dataset": "every half", "cost_unit": "ms"})
    f["exits/costs"] = np.array([1.0, 2.0])
    f["val/probs"] = np.stack([rows, rows[::-1]])
    f["val/labels"] = np.zeros(len(rows), dtype=np.int64)
)"),
                      {path}));
    const auto p = readOrFail(path);
    QVERIFY(p);
    QCOMPARE(p->val.numSamples, 0x3C01 + 0x11);
    // HDF5's own (slow, exact) conversion is the reference.
    QVERIFY(bitIdentical(p->val.probs, readWhole(path, "/val/probs")));
}

void TestSlabReading::namesBadValueInLaterSlab_data() {
    QTest::addColumn<QString>("chunks");
    QTest::addColumn<int>("exit");
    QTest::addColumn<int>("sample");
    QTest::addColumn<int>("klass");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("problem");
    QTest::newRow("NaN in the last slab") << "none" << 2 << 2620 << 7 << "nan"
                                          << "contains NaN or Inf (exit 3, sample 2620, class 7)";
    QTest::newRow("row sum in a middle slab") << "none" << 1 << 1500 << 3 << "0.9"
                                              << "sum to 1 within 1e-3, but sum to";
    QTest::newRow("Inf in a slab of two exits") << "2,300,250" << 1 << 1234 << 999 << "inf"
                                                << "contains NaN or Inf (exit 2, sample 1234, class 999)";
}

void TestSlabReading::namesBadValueInLaterSlab() {
    QFETCH(QString, chunks);
    QFETCH(int, exit);
    QFETCH(int, sample);
    QFETCH(int, klass);
    QFETCH(QString, value);
    QFETCH(QString, problem);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("bad.h5");
    QVERIFY(rewriteProbs(writeSynthetic(dir, "good.h5"), path, "float32", chunks));
    QVERIFY(runPython(QStringLiteral(R"(
import sys, h5py
with h5py.File(sys.argv[1], "r+") as f:
    f["val/probs"][int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])] = float(sys.argv[5])
)"),
                      {path, QString::number(exit), QString::number(sample), QString::number(klass), value}));
    verifyFormatError(path, "/val/probs", problem);
    verifyFormatError(path, "/val/probs", QStringLiteral("(exit %1, sample %2").arg(exit + 1).arg(sample));
}

void TestSlabReading::reportsMonotoneProgressEndingAtOne() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = writeSynthetic(dir, "progress.h5");
    std::vector<double> fractions;
    const auto p = eenet::readPredictions(path.toStdString(), [&](double f) { fractions.push_back(f); });
    QVERIFY(p);
    // 3 exits of 3 slabs in val, 3 of 1 in test, and the end.
    QCOMPARE(fractions.size(), std::size_t{13});
    QVERIFY(fractions.front() > 0);
    QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
    QCOMPARE(fractions.back(), 1.0);
    QVERIFY(fractions[fractions.size() - 2] <= 1.0);
}

void TestSlabReading::stopsWhenCancelled() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = writeSynthetic(dir, "cancel.h5");
    std::atomic<bool> cancel{true};
    QVERIFY_THROWS_EXCEPTION(eenet::CancelledError, eenet::readPredictions(path.toStdString(), {}, &cancel));

    // Cancelled from another thread while it reads: here, from the progress report itself.
    cancel = false;
    std::vector<double> fractions;
    const auto cancelAtAThird = [&](double f) {
        fractions.push_back(f);
        if (f >= 1.0 / 3)
            cancel = true;
    };
    QVERIFY_THROWS_EXCEPTION(eenet::CancelledError,
                             eenet::readPredictions(path.toStdString(), cancelAtAThird, &cancel));
    QVERIFY(!fractions.empty());
    QVERIFY(fractions.back() >= 1.0 / 3 && fractions.back() < 1.0);
    // It stopped at the slab where it was cancelled.
    QCOMPARE(std::count_if(fractions.begin(), fractions.end(), [](double f) { return f >= 1.0 / 3; }), 1L);
}

QTEST_GUILESS_MAIN(TestSlabReading)
#include "tst_slabreading.moc"
