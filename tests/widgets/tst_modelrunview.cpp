#include "MeasuredSimulatedChart.h"
#include "ModelRunView.h"
#include "SessionFixture.h"
#include "ShowWidget.h"
#include "io/PredictionsReader.h"

#include <QComboBox>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace eenet;

namespace {

/// Exits and latencies of 8 test samples as a run would give them; costs of the chart file are 1, 2, 3, 4 ms.
const std::vector<int> kExits{0, 0, 1, 3, 2, 0, 3, 3};

EarlyExitRun runOf(const SplitPredictions& split, double earlyExitMs, double fullModelMs) {
    EarlyExitRun run;
    run.exits = kExits;
    for (size_t i = 0; i < kExits.size(); ++i) {
        // Samples 0 to 5 answered right, 6 and 7 wrong.
        const int label = split.labels[i];
        run.predictions.push_back(i < 6 ? label : (label + 1) % 10);
        run.latencyMs.push_back(0.5 * (kExits[i] + 1) + 0.01 * static_cast<double>(i));
    }
    run.earlyExitMs = earlyExitMs;
    run.fullModelMs = fullModelMs;
    run.schedulerMs = 0.004;
    run.schedulerCalls = 8;
    return run;
}

} // namespace

/// The "Run on model" view shows what a run measured against what the file's costs simulate: a speed-up
/// per serving mode, the latency of each exit for the mode chosen in the table, the table itself and
/// captions that say where and how it was measured, and that the policy changed since. Its figures come from
/// core's summariseRun, whose simulated per-exit latencies are checked here by hand.
class TestModelRunView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void summariseRunSimulatesTheSameBatches();
    void showsTheRunInTheChartsAndTheTable();
    void theCaptionsSayWhatWasMeasuredAndWhenItIsStale();
    void runAsksForTheChosenModes();
    void offersTheModelBesideTheFile();

private:
    ModelRun makeRun() const;
    test::SessionFixture m_data;
};

void TestModelRunView::initTestCase() {
    m_data.session->setSnapshot(m_data.snapshot("maxprob"));
    QCOMPARE(m_data.predictions->costs, (std::vector<double>{1, 2, 3, 4}));
}

ModelRun TestModelRunView::makeRun() const {
    const SplitPredictions& test = *m_data.predictions->test;
    const ServingCostModel costs(*m_data.predictions);
    ModelRun run{
        "/models/tiny.pt", m_data.session->snapshot(), "ms", m_data.predictions, Split::Test, {16, 1e-7}, {}};
    // The simulation takes sample 7 elsewhere: 7 of 8 decisions as simulated.
    std::vector<int> simulated = kExits;
    simulated[7] = 1;
    run.modes.push_back(
        summariseRun(runOf(test, 8 * 0.2, 8 * 0.4), {RunMode::Sample, 1}, test, simulated, costs));
    run.modes.push_back(
        summariseRun(runOf(test, 8 * 0.15, 8 * 0.3), {RunMode::Compact, 4}, test, simulated, costs));
    run.modes.push_back(
        summariseRun(runOf(test, 8 * 0.3, 8 * 0.25), {RunMode::Sync, 4}, test, simulated, costs));
    return run;
}

void TestModelRunView::summariseRunSimulatesTheSameBatches() {
    const ModelRun run = makeRun();
    const ModelRunFigures& sample = run.modes[0];
    const ModelRunFigures& compact = run.modes[1];
    const ModelRunFigures& sync = run.modes[2];
    QCOMPARE(sample.exitCounts, (std::vector<long long>{3, 1, 1, 3}));
    QCOMPARE(sample.accuracyPercent, 75.0);
    QCOMPARE(sample.agreeing, 7);
    QCOMPARE(sample.measuredMs, 0.2);
    QCOMPARE(sample.speedup(), 2.0);
    // One at a time, a sample leaving at exit k costs c_k; sum_k f_k c_k = 20 / 8.
    QCOMPARE(sample.simulatedExitCost, (std::vector<double>{1, 2, 3, 4}));
    QCOMPARE(sample.simulatedCost, 2.5);
    QCOMPARE(sample.simulatedFullCost, 4.0);
    // Compact batches of 4 (no batch costs: b samples cost b c_k): batch {0,0,1,3} reaches its exits at
    // 4, 6, 7, 8; batch {2,0,3,3} at 4, 7, 10, 12.
    const std::vector<double> compactExpected{4, 6, 10, 32.0 / 3};
    for (size_t k = 0; k < 4; ++k)
        QVERIFY2(std::abs(compact.simulatedExitCost[k] - compactExpected[k]) < 1e-12,
                 qPrintable(QString::number(k)));
    QCOMPARE(compact.simulatedCost, 2.5);
    // Sync: the whole batch runs to each exit, 4 c_k.
    QCOMPARE(sync.simulatedExitCost, (std::vector<double>{4, 8, 12, 16}));
    QVERIFY(sync.simulatedCost > 2.5); // every batch pays for its deepest sample
    // Measured latency per exit: the mean over the samples that left there.
    QCOMPARE(sample.measuredExitMs[1], 1.0 + 0.02);
    QCOMPARE(sample.p50Ms, 1.02);
    QCOMPARE(sample.p99Ms, 2.07);
}

void TestModelRunView::showsTheRunInTheChartsAndTheTable() {
    ModelRunView view(m_data.session.get());
    QVERIFY(test::showExposed(view, QSize(900, 560)));
    QCOMPARE(view.table()->rowCount(), 0);
    QCOMPARE(view.speedupChart()->messageText(), QStringLiteral("No run yet"));
    view.showRun(makeRun());
    QCOMPARE(view.table()->rowCount(), 3);
    QCOMPARE(view.table()->item(0, 0)->text(), QStringLiteral("sample"));
    QCOMPARE(view.table()->item(1, 0)->text(), QStringLiteral("compact:4"));
    QCOMPARE(view.table()->item(0, 1)->text(), QStringLiteral("0.200 / 0.400"));
    QCOMPARE(view.table()->item(0, 2)->text(), QStringLiteral("2.50 / 4.00"));
    QCOMPARE(view.table()->horizontalHeaderItem(2)->text(), QStringLiteral("Simulated ms"));
    QCOMPARE(view.table()->item(0, 3)->text(), QStringLiteral("2.00× / 1.60×"));
    QCOMPARE(view.table()->item(0, 5)->text(), QStringLiteral("75.00 %"));
    QCOMPARE(view.table()->item(0, 6)->text(), QStringLiteral("7/8"));
    // Speed-ups: measured then simulated, per mode; sync measured slower than the full model.
    const auto& groups = view.speedupChart()->groups();
    QCOMPARE(groups.size(), size_t(3));
    QCOMPARE(groups[0].measured, 2.0);
    QCOMPARE(groups[0].simulated, 1.6);
    QVERIFY(groups[2].measured < 1.0);
    QVERIFY(view.speedupChart()->valueLabels().contains(QStringLiteral("2.00×")));
    QVERIFY(groups[1].tooltip.contains("0.150 ms per sample with early exit"));
    // The per-exit chart follows the row chosen in the table.
    QVERIFY(view.exitChart()->titleText().contains("by exit, sample"));
    QCOMPARE(view.exitChart()->groups()[3].simulated, 4.0);
    view.table()->selectRow(1);
    QCOMPARE(view.shownMode(), 1);
    QVERIFY(view.exitChart()->titleText().contains("compact:4"));
    QCOMPARE(view.exitChart()->groups()[2].simulated, 10.0);
    QVERIFY(view.exitChart()->groups()[0].tooltip.contains("3 samples left here"));
    QCOMPARE(view.exitChart()->tableData().rows.size(), size_t(4));
    // Nothing to show again: no rows, the charts say so.
    view.showRun(std::nullopt);
    QCOMPARE(view.table()->rowCount(), 0);
    QVERIFY(view.exitChart()->groups().empty());
}

void TestModelRunView::theCaptionsSayWhatWasMeasuredAndWhenItIsStale() {
    ModelRunView view(m_data.session.get());
    QVERIFY(view.captionText().contains("Attach the TorchScript model"));
    view.showRun(makeRun());
    const QString caption = view.captionText();
    QVERIFY2(caption.contains("measured on this machine, 1 thread, wall clock"), qPrintable(caption));
    QVERIFY2(caption.contains("no batch costs"), qPrintable(caption));
    QVERIFY2(caption.contains("on 8 test samples with tiny.pt: 7 of 8 decisions as simulated"),
             qPrintable(caption));
    QVERIFY(!caption.contains("changed since"));
    // Another policy shown: the figures are those of the old one, and the caption says so.
    m_data.session->setSnapshot(m_data.snapshot("entropy"));
    QVERIFY2(view.captionText().contains("changed since this run (now entropy"),
             qPrintable(view.captionText()));
    m_data.session->setSnapshot(view.run()->snapshot);
    QVERIFY(!view.captionText().contains("changed since"));
}

void TestModelRunView::runAsksForTheChosenModes() {
    ModelRunView view(m_data.session.get());
    QVERIFY(test::showExposed(view, QSize(900, 560)));
    QVERIFY(!view.runButton()->isEnabled()); // no model attached
    QVERIFY(view.modelText().contains("none attached"));
    m_data.session->setModelPath(QStringLiteral("/models/tiny.pt"));
    QVERIFY(view.runButton()->isEnabled());
    QVERIFY(view.modelText().contains("tiny.pt (checked against the file when it runs)"));
    view.setModelCheck(QStringLiteral("outputs match"));
    QCOMPARE(view.modelText(), QStringLiteral("tiny.pt, matches the file"));
    QSignalSpy asked(&view, &ModelRunView::runRequested);
    view.batchBox()->setValue(16);
    view.samplesBox()->setCurrentIndex(1);
    view.runButton()->click();
    QCOMPARE(asked.size(), 1);
    const auto modes = asked.front().at(0).value<std::vector<ServingMode>>();
    QCOMPARE(modes.size(), size_t(3));
    QCOMPARE(servingModeName(modes[0]), std::string("sample"));
    QCOMPARE(servingModeName(modes[1]), std::string("compact:16"));
    QCOMPARE(servingModeName(modes[2]), std::string("sync:16"));
    QCOMPARE(asked.front().at(1).toInt(), 1000);
    // While it runs: no second Run, a Cancel that asks to stop.
    view.setRunning(true);
    QVERIFY(!view.runButton()->isEnabled());
    QVERIFY(view.cancelButton()->isVisible());
    QSignalSpy stop(&view, &ModelRunView::cancelRequested);
    view.cancelButton()->click();
    QCOMPARE(stop.size(), 1);
    view.setRunning(false);
    QVERIFY(view.runButton()->isEnabled() && !view.cancelButton()->isVisible());
    m_data.session->setModelPath(QString());
}

void TestModelRunView::offersTheModelBesideTheFile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString input = test::writeSynthetic(dir.filePath("net.h5"), {3, 5, 40, 20, 1});
    Session session;
    session.setPredictions(readPredictions(input.toStdString()));
    ModelRunView view(&session);
    QCOMPARE(view.attachButton()->text(), QStringLiteral("Attach Model…"));
    QFile model(dir.filePath("net.pt"));
    QVERIFY(model.open(QIODevice::WriteOnly));
    model.close();
    session.setPredictions(readPredictions(input.toStdString()));
    QCOMPARE(view.attachButton()->text(), QStringLiteral("Attach net.pt"));
    QSignalSpy attach(&view, &ModelRunView::attachRequested);
    view.attachButton()->click();
    QCOMPARE(attach.front().front().toString(), dir.filePath("net.pt"));
}

QTEST_MAIN(TestModelRunView)
#include "tst_modelrunview.moc"
