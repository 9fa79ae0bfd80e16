// readPredictions on the optional /val/inputs and /test/inputs datasets: what it accepts, what it refuses
// (naming the dataset), and that opening a file reads none of its inputs.
#include "H5FileBuilder.h"
#include "ReadChecks.h"

#include "data/SampleInputs.h"

#include <H5Cpp.h>

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <functional>

using eenet::InputKind;
using eenet::test::BaselineOptions;
using eenet::test::H5DatasetSpec;
using eenet::test::H5ElementType;
using eenet::test::H5FileBuilder;
using eenet::test::readOrFail;
using eenet::test::verifyFormatError;

/// Builds the (possibly broken) content of one file; each row owns one.
using FileFactory = std::function<H5FileBuilder()>;
Q_DECLARE_METATYPE(FileFactory)
Q_DECLARE_METATYPE(eenet::InputKind)

namespace {

/// Pixel `p` of sample `i`: differs between samples and between pixels of one sample.
double pixel(std::uint64_t i, std::uint64_t p) {
    return static_cast<double>((i * 37 + p * 11) % 256);
}

/// uint8 images [n, height, width] or, with `channels`, [n, height, width, channels].
H5DatasetSpec images(std::uint64_t n, std::uint64_t height, std::uint64_t width, std::uint64_t channels = 0) {
    std::vector<std::uint64_t> shape{n, height, width};
    if (channels > 0)
        shape.push_back(channels);
    const std::uint64_t perSample = height * width * std::max<std::uint64_t>(channels, 1);
    std::vector<double> values;
    for (std::uint64_t i = 0; i < n; ++i)
        for (std::uint64_t p = 0; p < perSample; ++p)
            values.push_back(pixel(i, p));
    return H5DatasetSpec::numbers(H5ElementType::UInt8, shape, values);
}

/// Only the shape: no chunk is ever written, so a file of a few KB can declare terabytes of inputs.
H5DatasetSpec declaredImages(std::vector<std::uint64_t> shape, std::vector<std::uint64_t> chunk) {
    H5DatasetSpec spec = H5DatasetSpec::numbers(H5ElementType::UInt8, std::move(shape), {});
    spec.declaredOnly = true;
    spec.chunk = std::move(chunk);
    return spec;
}

std::vector<std::string> sampleTexts(int n) {
    std::vector<std::string> texts;
    for (int i = 0; i < n; ++i)
        texts.push_back(i == 3 ? std::string() : "review " + std::to_string(i) + ": très bien ☕");
    return texts;
}

/// The baseline (40 val, 20 test samples) with inputs put in by `change`.
FileFactory withInputs(std::function<void(H5FileBuilder&)> change) {
    return [change] {
        H5FileBuilder builder = H5FileBuilder::validBaseline();
        change(builder);
        return builder;
    };
}

FileFactory withValInputs(H5DatasetSpec spec) {
    return withInputs([spec](H5FileBuilder& b) { b.setDataset("/val/inputs", spec); });
}

/// What readPredictions found must be what the builder wrote, sample by sample.
void verifyInputs(const eenet::SampleInputs& inputs, const H5DatasetSpec& spec) {
    std::vector<int> shape(spec.shape.begin(), spec.shape.end());
    QCOMPARE(inputs.shape(), shape);
    QCOMPARE(inputs.numSamples(), shape[0]);
    for (int i = 0; i < inputs.numSamples(); ++i) {
        const eenet::SampleInput sample = inputs.read(i);
        if (spec.type == H5ElementType::String) {
            QCOMPARE(sample.kind, InputKind::Text);
            QCOMPARE(sample.text, spec.strings[static_cast<size_t>(i)]);
            continue;
        }
        QCOMPARE(sample.kind, InputKind::Image);
        QCOMPARE(sample.height, shape[1]);
        QCOMPARE(sample.width, shape[2]);
        QCOMPARE(sample.channels, shape.size() == 4 ? 3 : 1);
        const size_t size = sample.pixels.size();
        const auto first = spec.values.begin() + static_cast<std::ptrdiff_t>(size * static_cast<size_t>(i));
        QVERIFY2(std::equal(sample.pixels.begin(), sample.pixels.end(), first),
                 qPrintable(QStringLiteral("sample %1 differs from what was written").arg(i)));
    }
}

/// Writes `pixels` as sample `index` of a declared-only image dataset, so that one chunk of it exists.
void writeOneSample(const QString& path, const std::string& dataset, hsize_t index,
                    const std::vector<std::uint8_t>& pixels) {
    H5::H5File file(path.toStdString(), H5F_ACC_RDWR);
    H5::DataSet data = file.openDataSet(dataset);
    H5::DataSpace space = data.getSpace();
    std::vector<hsize_t> dims(static_cast<size_t>(space.getSimpleExtentNdims()));
    space.getSimpleExtentDims(dims.data());
    std::vector<hsize_t> start(dims.size(), 0);
    start[0] = index;
    dims[0] = 1;
    space.selectHyperslab(H5S_SELECT_SET, dims.data(), start.data());
    const hsize_t count = pixels.size();
    data.write(pixels.data(), H5::PredType::NATIVE_UINT8, H5::DataSpace(1, &count), space);
}

} // namespace

class TestInputsReader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsInputs_data();
    void readsInputs();
    void filesWithoutInputsHaveNone();
    void rejectsBadInputs_data();
    void rejectsBadInputs();
    void opensInputsLargerThanMemoryWithoutReadingThem();

private:
    QTemporaryDir m_dir;
};

void TestInputsReader::readsInputs_data() {
    QTest::addColumn<FileFactory>("makeFile");
    QTest::addColumn<InputKind>("kind");
    QTest::addColumn<bool>("valHasInputs");
    QTest::addColumn<bool>("testHasInputs");
    const auto both = [](H5DatasetSpec val, H5DatasetSpec test, bool chunkedGzip) {
        val.chunkedGzip = test.chunkedGzip = chunkedGzip;
        return withInputs([val, test](H5FileBuilder& b) {
            b.setDataset("/val/inputs", val).setDataset("/test/inputs", test);
        });
    };
    QTest::newRow("grey images") << both(images(40, 6, 5), images(20, 6, 5), false) << InputKind::Image
                                 << true << true;
    QTest::newRow("grey images, chunked gzip")
        << both(images(40, 6, 5), images(20, 6, 5), true) << InputKind::Image << true << true;
    QTest::newRow("RGB images") << both(images(40, 4, 7, 3), images(20, 4, 7, 3), true) << InputKind::Image
                                << true << true;
    QTest::newRow("texts") << both(H5DatasetSpec::text(sampleTexts(40)), H5DatasetSpec::text(sampleTexts(20)),
                                   false)
                           << InputKind::Text << true << true;
    QTest::newRow("texts, chunked gzip")
        << both(H5DatasetSpec::text(sampleTexts(40)), H5DatasetSpec::text(sampleTexts(20)), true)
        << InputKind::Text << true << true;
    QTest::newRow("val only") << withValInputs(images(40, 3, 3)) << InputKind::Image << true << false;
    QTest::newRow("test only") << withInputs([](H5FileBuilder& b) {
        b.setDataset("/test/inputs", images(20, 3, 3));
    }) << InputKind::Image << false
                               << true;
    QTest::newRow("file without test split") << withInputs([](H5FileBuilder& b) {
        b.removeGroup("/test").setDataset("/val/inputs", images(40, 2, 9, 3));
    }) << InputKind::Image << true << false;
}

void TestInputsReader::readsInputs() {
    QFETCH(FileFactory, makeFile);
    QFETCH(InputKind, kind);
    QFETCH(bool, valHasInputs);
    QFETCH(bool, testHasInputs);
    const QString path = m_dir.filePath("inputs.h5");
    const H5FileBuilder builder = makeFile();
    builder.write(path);

    const auto p = readOrFail(path);
    QVERIFY(p);
    QCOMPARE(p->val.inputs != nullptr, valHasInputs);
    QCOMPARE(p->test && p->test->inputs, testHasInputs);
    if (valHasInputs) {
        QCOMPARE(p->val.inputs->kind(), kind);
        verifyInputs(*p->val.inputs, builder.dataset("/val/inputs"));
    }
    if (testHasInputs) {
        QCOMPARE(p->test->inputs->kind(), kind);
        verifyInputs(*p->test->inputs, builder.dataset("/test/inputs"));
    }
    QCOMPARE(H5FileBuilder::openObjectCount(), 0L);
}

void TestInputsReader::filesWithoutInputsHaveNone() {
    const QString path = m_dir.filePath("plain.h5");
    H5FileBuilder::validBaseline().write(path);
    const auto p = readOrFail(path);
    QVERIFY(p);
    QVERIFY(!p->val.inputs);
    QVERIFY(p->test.has_value());
    QVERIFY(!p->test->inputs);
}

void TestInputsReader::rejectsBadInputs_data() {
    QTest::addColumn<FileFactory>("makeFile");
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QString>("keyword");
    const QString val = QStringLiteral("/val/inputs");
    const QString test = QStringLiteral("/test/inputs");

    QTest::newRow("one sample too few")
        << withValInputs(images(39, 4, 4)) << val << "39 samples but /val/labels has 40";
    QTest::newRow("one sample too many (test)")
        << withInputs([](H5FileBuilder& b) { b.setDataset("/test/inputs", images(21, 4, 4)); }) << test
        << "21 samples but /test/labels has 20";
    QTest::newRow("rank 2") << withValInputs(H5DatasetSpec::numbers(H5ElementType::UInt8, {40, 16},
                                                                    std::vector<double>(640, 1.0)))
                            << val << "rank 2";
    QTest::newRow("rank 5") << withValInputs(declaredImages({40, 2, 2, 3, 1}, {})) << val << "rank 5";
    QTest::newRow("float32 pixels") << withValInputs(H5DatasetSpec::numbers(
                                           H5ElementType::Float32, {40, 2, 2}, std::vector<double>(160, 0.5)))
                                    << val << "holds float32";
    QTest::newRow("int32 pixels") << withValInputs(H5DatasetSpec::numbers(H5ElementType::Int32, {40, 2, 2},
                                                                          std::vector<double>(160, 7.0)))
                                  << val << "holds int32";
    QTest::newRow("RGBA") << withValInputs(images(40, 3, 3, 4)) << val << "drop the alpha channel";
    QTest::newRow("one channel last") << withValInputs(images(40, 3, 3, 1)) << val << "last dimension of 1";
    QTest::newRow("channels first") << withValInputs(images(40, 3, 8, 8)) << val << "channels last";
    QTest::newRow("zero height") << withValInputs(declaredImages({40, 0, 8}, {})) << val << "0 x 8 pixels";
    QTest::newRow("zero width") << withValInputs(declaredImages({40, 8, 0}, {})) << val << "8 x 0 pixels";
    QTest::newRow("30000 x 30000 images")
        << withValInputs(declaredImages({40, 30000, 30000}, {1, 1000, 1000})) << val
        << "one image may be at most 64 MiB";
    QTest::newRow("chunks of 160 MiB") << withValInputs(declaredImages({40, 2048, 2048}, {40, 2048, 2048}))
                                       << val << "chunks of inputs may be at most 64 MiB";
    QTest::newRow("262144 chunks per sample")
        << withValInputs(declaredImages({40, 1024, 1024}, {1, 2, 2})) << val << "262144 chunks";
    QTest::newRow("ASCII texts") << withInputs([](H5FileBuilder& b) {
        H5DatasetSpec texts = H5DatasetSpec::text(sampleTexts(40));
        texts.type = H5ElementType::AsciiString;
        b.setDataset("/val/inputs", texts);
    }) << val << "variable-length UTF-8 strings";
    QTest::newRow("texts of rank 2") << withInputs([](H5FileBuilder& b) {
        H5DatasetSpec texts = H5DatasetSpec::text(sampleTexts(80));
        texts.shape = {40, 2};
        b.setDataset("/val/inputs", texts);
    }) << val << "rank 2";
    QTest::newRow("unavailable filter") << withInputs([](H5FileBuilder& b) {
        H5DatasetSpec spec = images(40, 4, 4);
        spec.chunk = {8, 4, 4};
        spec.unavailableFilter = 32000;
        b.setDataset("/val/inputs", spec);
    }) << val << "filter 32000";
    QTest::newRow("soft link") << withInputs([](H5FileBuilder& b) {
        b.setDataset("/val/images", images(40, 4, 4)).setSoftLink("/val/inputs", "/val/images");
    }) << val << "links are not followed";
    QTest::newRow("a group") << withInputs([](H5FileBuilder& b) {
        b.setDataset("/val/inputs/x", images(40, 4, 4));
    }) << val << "is a group";
    QTest::newRow("grey val, RGB test") << withInputs([](H5FileBuilder& b) {
        b.setDataset("/val/inputs", images(40, 4, 4)).setDataset("/test/inputs", images(20, 4, 4, 3));
    }) << test << "holds 4 x 4 RGB images but /val/inputs holds 4 x 4 grey images";
    QTest::newRow("val and test sizes differ") << withInputs([](H5FileBuilder& b) {
        b.setDataset("/val/inputs", images(40, 4, 4)).setDataset("/test/inputs", images(20, 4, 5));
    }) << test << "4 x 5 grey images";
    QTest::newRow("images and texts") << withInputs([](H5FileBuilder& b) {
        b.setDataset("/val/inputs", images(40, 4, 4))
            .setDataset("/test/inputs", H5DatasetSpec::text(sampleTexts(20)));
    }) << test << "holds texts";
    QTest::newRow("test inputs without a test split") << withInputs([](H5FileBuilder& b) {
        b.removeGroup("/test").setDataset("/test/inputs", images(20, 4, 4));
    }) << "/test/probs"
                                                      << "missing";
}

void TestInputsReader::rejectsBadInputs() {
    QFETCH(FileFactory, makeFile);
    QFETCH(QString, dataset);
    QFETCH(QString, keyword);
    const QString path = m_dir.filePath("bad-inputs.h5");
    makeFile().write(path);
    verifyFormatError(path, dataset, keyword);
    QCOMPARE(H5FileBuilder::openObjectCount(), 0L);
}

// 20,000 images of 2048 x 2048 pixels declare 80 GiB, more than this machine lets a file take (half of its
// memory; 23 GB here): HDF5 writes only the chunks that exist, one here, so the file stays small. The reader
// must open it as it opens any other and read one sample's bytes when asked for one sample.
void TestInputsReader::opensInputsLargerThanMemoryWithoutReadingThem() {
    constexpr int kSamples = 20000;
    constexpr int kSide = 2048;
    constexpr std::uint64_t kSampleBytes = std::uint64_t{kSide} * kSide;
    const QString path = m_dir.filePath("huge-inputs.h5");
    H5FileBuilder builder = H5FileBuilder::validBaseline(BaselineOptions{3, kSamples, 4, 20, true});
    builder.setDataset("/val/inputs", declaredImages({kSamples, kSide, kSide}, {1, kSide, kSide}));
    builder.write(path);
    std::vector<std::uint8_t> written(kSampleBytes);
    for (std::uint64_t p = 0; p < kSampleBytes; ++p)
        written[p] = static_cast<std::uint8_t>(pixel(7, p));
    writeOneSample(path, "/val/inputs", 7, written);
    QVERIFY2(QFileInfo(path).size() < 16 * 1024 * 1024,
             qPrintable(QStringLiteral("the file takes %1 bytes").arg(QFileInfo(path).size())));

    const auto p = readOrFail(path);
    QVERIFY(p);
    const eenet::SampleInputs& inputs = *p->val.inputs;
    QCOMPARE(inputs.shape(), (std::vector<int>{kSamples, kSide, kSide}));
    QCOMPARE(inputs.bytesRead(), std::uint64_t{0});

    const eenet::SampleInput sample = inputs.read(7);
    QVERIFY(sample.pixels == written);
    QCOMPARE(inputs.bytesRead(), kSampleBytes);
    QVERIFY(inputs.read(7).pixels == written);
    QCOMPARE(inputs.bytesRead(), kSampleBytes); // from the cache
    // A chunk never written reads as HDF5's fill value, 0, like any other sample.
    const eenet::SampleInput unwritten = inputs.read(kSamples - 1);
    QVERIFY(
        std::all_of(unwritten.pixels.begin(), unwritten.pixels.end(), [](std::uint8_t v) { return v == 0; }));
    QCOMPARE(inputs.bytesRead(), 2 * kSampleBytes);
    QCOMPARE(H5FileBuilder::openObjectCount(), 0L);
}

QTEST_GUILESS_MAIN(TestInputsReader)
#include "tst_inputsreader.moc"
