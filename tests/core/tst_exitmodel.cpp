// The shipped sample's network (sample_data/fashion_mnist_cnn4.pt) run through eenet::ExitModel and through
// Python's torch.jit.load reproduces the shipped predictions file; broken models and models of other
// predictions are refused with errors that name the files.
#include "Error.h"
#include "io/PredictionsReader.h"
#include "io/PredictionsWriter.h"
#include "runtime/ExitModel.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace eenet;

namespace {

const QString kModelPath = QStringLiteral(EENET_SOURCE_DIR "/sample_data/fashion_mnist_cnn4.pt");
const QString kPredictionsPath = QStringLiteral(EENET_SOURCE_DIR "/sample_data/fashion_mnist_cnn4.h5");
/// Samples of each split compared with the file, through every exit.
constexpr int kCheckedSamples = 2000;

// Loads the shipped model with torch.jit.load, runs it stage by stage (and through forward) on the first
// N images of a split exactly as stored, and prints the largest difference from the file's probabilities.
constexpr const char* kPythonCheck = R"PY(
import sys
import h5py
import torch
model_path, predictions_path, split, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
model = torch.jit.load(model_path)
with h5py.File(predictions_path, "r") as f:
    images = torch.from_numpy(f[split + "/inputs"][:n])
    stored = torch.from_numpy(f[split + "/probs"][:, :n])
assert model.num_exits() == stored.shape[0], "num_exits() is %d" % model.num_exits()
worst = 0.0
with torch.no_grad():
    h = images
    for k, logits in enumerate(model(images)):
        h = model.stage(k, h)
        for p in (torch.softmax(model.head(k, h), 1), torch.softmax(logits, 1)):
            worst = max(worst, (p - stored[k]).abs().max().item())
print(worst)
)PY";

// Writes TorchScript modules that break the model interface into the directory argv[1].
constexpr const char* kPythonBrokenModels = R"PY(
import sys
import torch

class NoStage(torch.nn.Module):
    @torch.jit.export
    def num_exits(self) -> int:
        return 4

    @torch.jit.export
    def head(self, k: int, h: torch.Tensor) -> torch.Tensor:
        return h

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x

class StageWithoutK(NoStage):
    @torch.jit.export
    def stage(self, x: torch.Tensor) -> torch.Tensor:
        return x

class ThreeExits(NoStage):
    @torch.jit.export
    def num_exits(self) -> int:
        return 3

    @torch.jit.export
    def stage(self, k: int, x: torch.Tensor) -> torch.Tensor:
        return x.float().flatten(1)[:, :10]

for name, module in (("no_stage", NoStage), ("stage_without_k", StageWithoutK), ("three_exits", ThreeExits)):
    torch.jit.save(torch.jit.script(module()), sys.argv[1] + "/" + name + ".pt")
)PY";

// Run after docs/deploy.md's MultiExitWrapper: wraps a small torchvision-style network (random weights, fixed
// seed), saves it to argv[1]/wrapped.pt and writes argv[1]/wrapped.h5 from its own outputs on 40 random RGB
// images stored as [n, H, W, 3], as the docs tell users to.
constexpr const char* kPythonWrapDriver = R"PY(
import sys
import h5py
import numpy as np

class ToyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU()),
                                     nn.Sequential(nn.Conv2d(8, 16, 3, padding=1, stride=2), nn.ReLU())])
        self.exits = nn.ModuleList([nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 5))
                                    for c in (8, 16)])

torch.manual_seed(3)
model = torch.jit.script(MultiExitWrapper(ToyNet().eval(), mean=[0.49, 0.48, 0.45], std=[0.25, 0.24, 0.26]))
model.save(sys.argv[1] + "/wrapped.pt")
images = torch.randint(0, 256, (40, 12, 12, 3), dtype=torch.uint8)
with torch.no_grad():
    probs = torch.stack([torch.softmax(logits, dim=1) for logits in model(images)])
with h5py.File(sys.argv[1] + "/wrapped.h5", "w") as f:
    f.attrs.update(format="eenet-predictions", format_version=1, model="toy", dataset="random", cost_unit="MFLOPs")
    f["exits/costs"] = np.array([1.0, 2.0])
    f["val/probs"] = probs.numpy()
    f["val/labels"] = probs[-1].argmax(1).numpy().astype(np.int32)
    f["val/inputs"] = images.numpy()
)PY";

/// The python block of docs/deploy.md that defines MultiExitWrapper, without its fences; empty when none.
QString wrapperFromTheDocs() {
    QFile file(QStringLiteral(EENET_SOURCE_DIR "/docs/deploy.md"));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    QString block;
    bool inside = false;
    for (const QString& line : QString::fromUtf8(file.readAll()).split('\n')) {
        if (!inside && line.trimmed() == QLatin1String("```python")) {
            inside = true;
            block.clear();
        } else if (inside && line.trimmed() == QLatin1String("```")) {
            inside = false;
            if (block.contains(QLatin1String("class MultiExitWrapper(nn.Module)")))
                return block;
        } else if (inside) {
            block += line + '\n';
        }
    }
    return {};
}

/// Saves `code` as `script` and runs it with /usr/bin/python3 and `arguments` (from a file: torch.jit.script
/// reads the source of the classes it compiles); returns its stdout, or "python failed: " and its stderr.
QByteArray runPython(const QString& script, const QString& code, const QStringList& arguments) {
    QFile file(script);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text) || file.write(code.toUtf8()) < 0)
        return "python failed: cannot write " + script.toUtf8();
    file.close();
    QProcess process;
    process.start(QStringLiteral(EENET_PYTHON), QStringList{script} + arguments);
    const bool finished = process.waitForFinished(240000);
    const QByteArray err = process.readAllStandardError();
    if (!finished || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return "python failed: " + err;
    return process.readAllStandardOutput();
}

/// The message of what `call` throws as `E`, or a description of what happened instead.
template <typename E, typename Call> QString errorOf(Call call) {
    try {
        call();
    } catch (const E& error) {
        return QString::fromStdString(error.what());
    } catch (const std::exception& error) {
        return QStringLiteral("wrong exception type: ") + error.what();
    }
    return QStringLiteral("no exception");
}

} // namespace

class TestExitModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void shippedModelReproducesTheSample_data();
    void shippedModelReproducesTheSample();
    void pythonLoadsTheShippedModel_data();
    void pythonLoadsTheShippedModel();
    void selectedSamplesRunAsInTheBatch();
    void missingFileIsAnIoError();
    void notTorchScriptIsRefused_data();
    void notTorchScriptIsRefused();
    void modelWithoutTheInterfaceIsRefused_data();
    void modelWithoutTheInterfaceIsRefused();
    void failingStageNamesTheModel();
    void otherPredictionsAreRefused();
    void otherExitCountIsRefused();
    void splitWithoutInputsIsRefused();
    void wrapperFromTheDocsChecksOut();

private:
    QTemporaryDir m_dir;
    std::shared_ptr<const Predictions> m_predictions;
    std::unique_ptr<ExitModel> m_model;
};

void TestExitModel::initTestCase() {
    QVERIFY(m_dir.isValid());
    try {
        m_predictions = readPredictions(kPredictionsPath.toStdString());
        m_model = std::make_unique<ExitModel>(loadExitModel(kModelPath.toStdString()));
    } catch (const std::exception& error) {
        QFAIL(error.what());
    }
    // scripts/setup.sh installs python3-torch: its absence is a failure, not a skip.
    const QByteArray written =
        runPython(m_dir.filePath(QStringLiteral("broken_models.py")), kPythonBrokenModels, {m_dir.path()});
    QVERIFY2(written.isEmpty(), written.constData());
}

void TestExitModel::shippedModelReproducesTheSample_data() {
    QTest::addColumn<int>("split");
    QTest::newRow("val") << static_cast<int>(Split::Val);
    QTest::newRow("test") << static_cast<int>(Split::Test);
}

void TestExitModel::shippedModelReproducesTheSample() {
    QFETCH(int, split);
    QCOMPARE(m_model->numExits(), 4);
    try {
        const ModelCheck check =
            checkModelAgainst(*m_model, *m_predictions, static_cast<Split>(split), kCheckedSamples);
        QCOMPARE(check.samples, kCheckedSamples);
        QVERIFY2(check.maxDifference <= 1e-5, qPrintable(QString::number(check.maxDifference)));
    } catch (const std::exception& error) {
        QFAIL(error.what());
    }
}

void TestExitModel::pythonLoadsTheShippedModel_data() {
    QTest::addColumn<QString>("split");
    QTest::newRow("val") << QStringLiteral("val");
    QTest::newRow("test") << QStringLiteral("test");
}

void TestExitModel::pythonLoadsTheShippedModel() {
    QFETCH(QString, split);
    const QByteArray out = runPython(m_dir.filePath(QStringLiteral("check.py")), kPythonCheck,
                                     {kModelPath, kPredictionsPath, split, QString::number(kCheckedSamples)});
    bool ok = false;
    const double worst = out.trimmed().toDouble(&ok);
    QVERIFY2(ok, out.constData());
    QVERIFY2(worst <= 1e-5, out.constData());
}

// What an early-exit runtime does: the samples still running after an exit go on alone, and get what they
// would have got in the whole batch.
void TestExitModel::selectedSamplesRunAsInTheBatch() {
    const ExitActivations images = ExitActivations::fromInputs(*m_predictions->val.inputs, 0, 10);
    QCOMPARE(images.numSamples(), 10);
    const ExitActivations all = m_model->stage(0, images);
    const ExitActivations some = m_model->stage(0, images.select({7, 2}));
    const ExitOutput allOut = m_model->probabilities(0, all);
    const ExitOutput someOut = m_model->probabilities(0, some);
    QCOMPARE(someOut.numSamples, 2);
    QCOMPARE(someOut.numClasses, 10);
    for (int c = 0; c < 10; ++c) {
        QCOMPARE(someOut.probs[static_cast<size_t>(c)], allOut.probs[static_cast<size_t>(70 + c)]);
        QCOMPARE(someOut.probs[static_cast<size_t>(10 + c)], allOut.probs[static_cast<size_t>(20 + c)]);
    }
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, images.select({10}));
}

void TestExitModel::missingFileIsAnIoError() {
    const std::string path = m_dir.filePath(QStringLiteral("absent.pt")).toStdString();
    const QString message = errorOf<IoError>([&] { loadExitModel(path); });
    QVERIFY2(message.contains(QString::fromStdString(path)) && message.contains("no such file"),
             qPrintable(message));
}

void TestExitModel::notTorchScriptIsRefused_data() {
    QFile model(kModelPath);
    QVERIFY(model.open(QIODevice::ReadOnly));
    const QByteArray bytes = model.readAll();
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("truncated") << bytes.left(bytes.size() / 2);
    QTest::newRow("garbage") << QByteArray("this is not a model\n").repeated(100);
    QTest::newRow("empty") << QByteArray();
}

void TestExitModel::notTorchScriptIsRefused() {
    QFETCH(QByteArray, content);
    const QString path = m_dir.filePath(QString(QTest::currentDataTag()) + ".pt");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(content), content.size());
    file.close();
    const QString message = errorOf<FormatError>([&] { loadExitModel(path.toStdString()); });
    QVERIFY2(message.startsWith(path + ": /: not a TorchScript archive"), qPrintable(message));
}

void TestExitModel::modelWithoutTheInterfaceIsRefused_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no stage") << "no_stage.pt"
                              << ": stage: missing method; a multi-exit model has num_exits() -> int, "
                                 "stage(k: int, x: Tensor) -> Tensor and head(k: int, h: Tensor) -> Tensor";
    QTest::newRow("stage without k") << "stage_without_k.pt"
                                     << ": stage: has the signature stage(";
}

void TestExitModel::modelWithoutTheInterfaceIsRefused() {
    QFETCH(QString, file);
    QFETCH(QString, expected);
    const QString path = m_dir.filePath(file);
    const QString message = errorOf<FormatError>([&] { loadExitModel(path.toStdString()); });
    QVERIFY2(message.startsWith(path + expected), qPrintable(message));
    QVERIFY2(message.contains("a multi-exit model has num_exits() -> int"), qPrintable(message));
}

// A method that raises is reported against the model file, with the method and torch's own words.
void TestExitModel::failingStageNamesTheModel() {
    const ExitActivations images = ExitActivations::fromInputs(*m_predictions->test->inputs, 0, 3);
    const QString message = errorOf<FormatError>([&] { m_model->stage(1, images); });
    QVERIFY2(message.startsWith(kModelPath + ": stage: failed for k = 1 on [3, 28, 28] Byte: "),
             qPrintable(message));
    const QString outOfRange = errorOf<ArgumentError>([&] { m_model->stage(4, images); });
    QCOMPARE(outOfRange,
             kModelPath + ": stage(4, ...): k is outside [0, 4), the model's exits numbered from 0");
}

// The shipped model against a copy of the sample whose probabilities were changed at one place.
void TestExitModel::otherPredictionsAreRefused() {
    Predictions changed = *m_predictions;
    // Exit 3 (0-based 2), test sample 1234: 0.01 moves from its likeliest class to the next class, so the
    // row stays a distribution and the first class to differ is the lower of the two.
    float* row = changed.test->probs.data() + (2 * static_cast<size_t>(changed.test->numSamples) + 1234) * 10;
    const int top = static_cast<int>(std::max_element(row, row + 10) - row);
    const int next = (top + 1) % 10;
    row[top] -= 0.01f;
    row[next] += 0.01f;
    const int first = std::min(top, next);
    const QString path = m_dir.filePath(QStringLiteral("changed.h5"));
    writePredictions(path.toStdString(), changed);
    const auto reread = readPredictions(path.toStdString());
    try {
        QVERIFY(checkModelAgainst(*m_model, *reread, Split::Test, 1234).maxDifference <= 1e-5);
    } catch (const std::exception& error) {
        QFAIL(error.what());
    }
    const QString message = errorOf<Error>([&] { checkModelAgainst(*m_model, *reread, Split::Test, 2000); });
    const QString where =
        QStringLiteral(" (/test/probs): exit 3, sample 1234, class %1 (%2): the model gives ")
            .arg(first)
            .arg(QString::fromStdString(changed.classNames[static_cast<size_t>(first)]));
    QVERIFY2(message.startsWith(kModelPath + " does not reproduce " + path + where), qPrintable(message));
    QVERIFY2(message.endsWith(", tolerance 1e-05)"), qPrintable(message));
}

void TestExitModel::otherExitCountIsRefused() {
    const QString path = m_dir.filePath(QStringLiteral("three_exits.pt"));
    const ExitModel threeExits = loadExitModel(path.toStdString());
    QCOMPARE(threeExits.numExits(), 3);
    const QString message =
        errorOf<Error>([&] { checkModelAgainst(threeExits, *m_predictions, Split::Val, 10); });
    QCOMPARE(message, path + ": num_exits() is 3 but " + kPredictionsPath + " has 4 exits");
}

void TestExitModel::splitWithoutInputsIsRefused() {
    Predictions withoutInputs = *m_predictions;
    withoutInputs.val.inputs = nullptr;
    const QString message =
        errorOf<ArgumentError>([&] { checkModelAgainst(*m_model, withoutInputs, Split::Val, 10); });
    QCOMPARE(message,
             kPredictionsPath + ": /val/inputs: missing; the model needs the stored inputs to run on");
}

// The wrapper users are told to write loads and reproduces the predictions written from it, on RGB images.
void TestExitModel::wrapperFromTheDocsChecksOut() {
    const QString wrapper = wrapperFromTheDocs();
    QVERIFY2(!wrapper.isEmpty(), "docs/deploy.md has no python block defining MultiExitWrapper");
    const QByteArray written =
        runPython(m_dir.filePath(QStringLiteral("wrap.py")), wrapper + kPythonWrapDriver, {m_dir.path()});
    QVERIFY2(written.isEmpty(), written.constData());
    try {
        const auto predictions = readPredictions(m_dir.filePath(QStringLiteral("wrapped.h5")).toStdString());
        QCOMPARE(predictions->val.inputs->shape(), (std::vector<int>{40, 12, 12, 3}));
        const ExitModel model = loadExitModel(m_dir.filePath(QStringLiteral("wrapped.pt")).toStdString());
        QCOMPARE(model.numExits(), 2);
        const ModelCheck check = checkModelAgainst(model, *predictions, Split::Val, 40);
        QCOMPARE(check.samples, 40);
        QVERIFY2(check.maxDifference <= 1e-5, qPrintable(QString::number(check.maxDifference)));
    } catch (const std::exception& error) {
        QFAIL(error.what());
    }
}

QTEST_GUILESS_MAIN(TestExitModel)
#include "tst_exitmodel.moc"
