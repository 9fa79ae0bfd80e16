#include "Error.h"
#include "io/PredictionsReader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

namespace {

const QString kFormatDoc = QStringLiteral(EENET_SOURCE_DIR "/docs/format.md");

struct PythonBlocks {
    int count = 0;
    /// The first block's text, without its fences.
    QString first;
    bool closed = false;
};

PythonBlocks pythonBlocks(const QString& markdown) {
    PythonBlocks blocks;
    bool inside = false;
    for (const QString& line : markdown.split('\n')) {
        if (!inside && line.trimmed() == QLatin1String("```python")) {
            inside = true;
            ++blocks.count;
            continue;
        }
        if (inside && line.trimmed() == QLatin1String("```")) {
            inside = false;
            blocks.closed = blocks.closed || blocks.count == 1;
            continue;
        }
        if (inside && blocks.count == 1)
            blocks.first += line + '\n';
    }
    return blocks;
}

QString readText(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly | QIODevice::Text) ? QString::fromUtf8(file.readAll()) : QString();
}

// Weighted like the snippet's checksum: every probability counts, scaled by its (1-based) exit and class.
double checksum(const eenet::SplitPredictions& split, int numExits, int numClasses) {
    double sum = 0;
    for (int k = 0; k < numExits; ++k)
        for (int i = 0; i < split.numSamples; ++i)
            for (int c = 0; c < numClasses; ++c)
                sum += double(split.row(numClasses, k, i)[c]) * (c + 1) * (k + 1);
    return sum;
}

// Weighted like the snippet's inputs checksum: every pixel counts, scaled by its (1-based) sample.
qint64 inputsChecksum(const eenet::SampleInputs& inputs) {
    qint64 sum = 0;
    for (int i = 0; i < inputs.numSamples(); ++i)
        for (std::uint8_t pixel : inputs.read(i).pixels)
            sum += qint64(pixel) * (i + 1);
    return sum;
}

std::vector<int> toInts(const QJsonArray& array) {
    std::vector<int> values;
    for (const QJsonValue& v : array)
        values.push_back(v.toInt(-1));
    return values;
}

// Compares one split of the loaded file with the snippet's JSON summary of what it wrote.
void verifySplit(const eenet::SplitPredictions& split, const eenet::Predictions& p,
                 const QJsonObject& summary, int expectedSamples) {
    const QJsonArray shape = summary["shape"].toArray();
    QCOMPARE(shape.size(), 3);
    QCOMPARE(shape[0].toInt(), p.numExits);
    QCOMPARE(shape[1].toInt(), expectedSamples);
    QCOMPARE(shape[2].toInt(), p.numClasses);
    QCOMPARE(split.numSamples, expectedSamples);
    QCOMPARE(split.labels, toInts(summary["labels"].toArray()));

    // float32 values printed by Python as doubles convert back exactly.
    const QJsonArray firstRow = summary["first_row"].toArray();
    QCOMPARE(firstRow.size(), p.numClasses);
    for (int c = 0; c < p.numClasses; ++c)
        QCOMPARE(split.probs[static_cast<std::size_t>(c)], static_cast<float>(firstRow[c].toDouble()));

    const double expected = summary["checksum"].toDouble();
    const double actual = checksum(split, p.numExits, p.numClasses);
    QVERIFY2(std::abs(actual - expected) <= 1e-9 * std::abs(expected),
             qPrintable(
                 QStringLiteral("checksum %1, the snippet wrote %2").arg(actual, 0, 'g', 17).arg(expected)));
    for (int k = 0; k < p.numExits; ++k) {
        for (int i = 0; i < split.numSamples; ++i) {
            const float* row = split.row(p.numClasses, k, i);
            double sum = 0;
            for (int c = 0; c < p.numClasses; ++c)
                sum += row[c];
            QVERIFY(std::abs(sum - 1.0) <= 1e-3);
        }
    }

    // The snippet stores the 4 x 4 grey images its network saw.
    QVERIFY2(split.inputs, "the snippet's file has no inputs");
    QCOMPARE(split.inputs->kind(), eenet::InputKind::Image);
    QCOMPARE(split.inputs->shape(), toInts(summary["inputs_shape"].toArray()));
    QCOMPARE(inputsChecksum(*split.inputs), summary["inputs_checksum"].toInteger());
}

} // namespace

class TestPythonSnippet : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void formatDocHasOnePythonBlock();
    void snippetWritesReadableFile();
};

void TestPythonSnippet::formatDocHasOnePythonBlock() {
    const QString markdown = readText(kFormatDoc);
    QVERIFY2(!markdown.isEmpty(), qPrintable("cannot read " + kFormatDoc));
    const PythonBlocks blocks = pythonBlocks(markdown);
    QCOMPARE(blocks.count, 1);
    QVERIFY2(blocks.closed, "the python block has no closing fence");
    QVERIFY(blocks.first.contains("import h5py"));
    QVERIFY(blocks.first.contains("torch.manual_seed"));
    QVERIFY(blocks.first.contains("if __name__ == \"__main__\":"));
}

void TestPythonSnippet::snippetWritesReadableFile() {
    const PythonBlocks blocks = pythonBlocks(readText(kFormatDoc));
    QVERIFY2(blocks.count >= 1 && blocks.closed, "docs/format.md has no complete python block");
    QVERIFY2(QFile::exists(EENET_PYTHON), "no Python interpreter at " EENET_PYTHON);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString script = dir.filePath("snippet.py");
    const QString output = dir.filePath("demo.h5");
    {
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(blocks.first.toUtf8());
    }

    QProcess python;
    python.setWorkingDirectory(dir.path());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // Two cores shared with other builds: keep torch and OpenBLAS to one thread each.
    environment.insert("OMP_NUM_THREADS", "1");
    environment.insert("OPENBLAS_NUM_THREADS", "1");
    environment.insert("PYTHONDONTWRITEBYTECODE", "1");
    python.setProcessEnvironment(environment);
    python.start(EENET_PYTHON, {script, output});
    QVERIFY2(python.waitForStarted(), qPrintable(python.errorString()));
    QVERIFY2(python.waitForFinished(240000), "the snippet did not finish within 240 s");
    const QString errors = QString::fromUtf8(python.readAllStandardError());
    QVERIFY2(
        python.exitStatus() == QProcess::NormalExit && python.exitCode() == 0,
        qPrintable(
            QStringLiteral("the snippet failed (exit code %1):\n%2").arg(python.exitCode()).arg(errors)));

    const QStringList lines =
        QString::fromUtf8(python.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    QVERIFY2(!lines.isEmpty(), "the snippet printed no summary");
    QJsonParseError parseError;
    const QJsonDocument summary = QJsonDocument::fromJson(lines.last().toUtf8(), &parseError);
    QVERIFY2(summary.isObject(), qPrintable("the summary is not a JSON object: " + parseError.errorString()));

    std::shared_ptr<const eenet::Predictions> p;
    try {
        p = eenet::readPredictions(output.toStdString());
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("readPredictions rejected the snippet's file: %1").arg(e.what())));
    }
    QCOMPARE(p->numExits, 3);
    QCOMPARE(p->numClasses, 4);
    QCOMPARE(QString::fromStdString(p->costUnit), "MFLOPs");
    QCOMPARE(p->costs.size(), std::size_t{3});
    QCOMPARE(p->flops, p->costs);
    QCOMPARE(p->exitNames.size(), std::size_t{3});
    QCOMPARE(p->classNames.size(), std::size_t{4});
    // The snippet wrote probabilities, so the reader had nothing to convert.
    QVERIFY(std::none_of(p->loadNotes.begin(), p->loadNotes.end(),
                         [](const std::string& note) { return note.find("logits") != std::string::npos; }));
    verifySplit(p->val, *p, summary["val"].toObject(), 64);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(p->test.has_value());
    verifySplit(*p->test, *p, summary["test"].toObject(), 32);
}

QTEST_GUILESS_MAIN(TestPythonSnippet)
#include "tst_pythonsnippet.moc"
