#include "ServingPlot.h"
#include "ServingView.h"
#include "SessionFixture.h"
#include "ShowWidget.h"
#include "data/CostModels.h"

#include <QCheckBox>
#include <QComboBox>
#include <QSpinBox>
#include <QTest>

#include <cmath>

using namespace eenet;

namespace {

/// Batch sizes whose batch costs the measured file holds: one batch of b reaches exit k in
/// c_k * kBatchFactor[j] ms (1, 3 and 12 times a sample's cost), so batching saves time.
const std::vector<int> kBatchSizes{1, 8, 64};
const std::vector<double> kBatchFactor{1, 3, 12};

/// The chart file (costs 1, 2, 3, 4 ms) with flops, a named extra cost vector and, when `measured`, batch
/// costs.
std::shared_ptr<const Predictions> servingPredictions(bool measured) {
    Predictions p = makeSyntheticPredictions({4, 10, 1500, 700, 3});
    p.flops = {0.5, 3, 4, 10};
    p.extraCosts = {{"energy", "mJ", {2, 3, 5, 9}}};
    if (measured) {
        p.batchCosts.batchSizes = kBatchSizes;
        for (int k = 0; k < p.numExits; ++k)
            for (double factor : kBatchFactor)
                p.batchCosts.values.push_back(p.costs[size_t(k)] * factor);
    }
    return std::make_shared<const Predictions>(std::move(p));
}

/// Per-sample cost of a batch of b reaching the last exit, from kBatchFactor by hand: linear in log b
/// between measured sizes, the per-sample cost of the largest size beyond it.
double fullModelPerSample(const Predictions& p, int b, bool measured) {
    const double last = p.costs.back();
    if (!measured)
        return last;
    if (b >= kBatchSizes.back())
        return last * kBatchFactor.back() / kBatchSizes.back();
    size_t j = 1;
    while (kBatchSizes[j] < b)
        ++j;
    const double w = (std::log(double(b)) - std::log(double(kBatchSizes[j - 1]))) /
                     (std::log(double(kBatchSizes[j])) - std::log(double(kBatchSizes[j - 1])));
    return last * (kBatchFactor[j - 1] + w * (kBatchFactor[j] - kBatchFactor[j - 1])) / b;
}

/// The level's label is drawn inside the chart where no curve passes (segments sampled in pixels).
void verifyLabelClearOfCurves(ServingPlot& plot) {
    plot.replot();
    const QCPItemText* label = plot.sampleLabel();
    QVERIFY(label->visible());
    const QRectF rect(label->topLeft->pixelPosition(), label->bottomRight->pixelPosition());
    QVERIFY(plot.axisRect()->rect().contains(rect.toAlignedRect()));
    for (QCPGraph* graph : {plot.syncGraph(), plot.compactGraph(), plot.fullModelGraph()}) {
        if (!graph)
            continue;
        for (int i = 1; i < graph->dataCount(); ++i) {
            const auto from = graph->data()->at(i - 1);
            const auto to = graph->data()->at(i);
            const QPointF a = graph->coordsToPixels(from->key, from->value);
            const QPointF b = graph->coordsToPixels(to->key, to->value);
            for (int step = 0; step <= 10; ++step)
                QVERIFY2(!rect.contains(a + (b - a) * step / 10.0),
                         qPrintable(QStringLiteral("%1 crosses the label between batch sizes %2 and %3")
                                        .arg(graph->name())
                                        .arg(from->key)
                                        .arg(to->key)));
        }
    }
}

} // namespace

/// The "Serving" tab with a session: the shown policy's cost per sample and speed-up against the batch size
/// (1 ... 256), a caption naming the method and whether batch costs were measured, and controls that follow
/// the session's cost model and budget rule and ask for new ones through their signals.
class TestServingView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void drawsTheProfileOfTheShownPolicy_data();
    void drawsTheProfileOfTheShownPolicy();
    void saysWhenThereIsNoPolicy();
    void controlsFollowTheSessionsRule();
    void choosingSyncBatchesAsksForThatRule();
    void costModelBoxListsTheFilesCostModels();
    void theLevelsLabelMovesOffTheCurves();
};

void TestServingView::drawsTheProfileOfTheShownPolicy_data() {
    QTest::addColumn<bool>("measured");
    QTest::newRow("assumed b c_k") << false;
    QTest::newRow("measured batch costs") << true;
}

void TestServingView::drawsTheProfileOfTheShownPolicy() {
    QFETCH(bool, measured);
    test::SessionFixture data(servingPredictions(measured));
    Session& session = *data.session;
    ServingView view(&session);
    QVERIFY(test::showExposed(view, {1000, 500}));
    session.setSnapshot(data.snapshot("entropy", test::budgetAt(*data.predictions, 0.4)));
    const SplitPolicy& shown = *session.snapshot()->split(session.split());
    QCOMPARE(shown.split, Split::Test);
    const Predictions& p = *data.predictions;

    // One point per batch size 1, 2, 4, ..., 256 in each graph.
    const QVector<double> sizes{1, 2, 4, 8, 16, 32, 64, 128, 256};
    for (ServingPlot* plot : {view.costPlot(), view.speedupPlot()}) {
        for (QCPGraph* graph : {plot->syncGraph(), plot->compactGraph()}) {
            QCOMPARE(graph->dataCount(), int(sizes.size()));
            for (int i = 0; i < sizes.size(); ++i)
                QCOMPARE(graph->data()->at(i)->key, sizes[i]);
        }
        QCOMPARE(plot->tableData().rows.size(), size_t(sizes.size()));
    }
    QVERIFY(!view.speedupPlot()->fullModelGraph());
    QCPGraph* full = view.costPlot()->fullModelGraph();
    QCOMPARE(full->dataCount(), int(sizes.size()));

    // A batch of one is one sample at a time: its cost is the policy's realised cost sum_k f_k c_k (the
    // measured file's batch of one costs c_k), and compact's speed-up there is the sample-mode speed-up.
    const double sampleCost = shown.outcome.cost;
    for (QCPGraph* graph : {view.costPlot()->syncGraph(), view.costPlot()->compactGraph()})
        QVERIFY2(std::abs(graph->data()->at(0)->value - sampleCost) < 1e-9 * sampleCost,
                 qPrintable(QString::number(graph->data()->at(0)->value)));
    const double sampleSpeedup = p.costs.back() / sampleCost;
    QVERIFY(std::abs(view.speedupPlot()->compactGraph()->data()->at(0)->value - sampleSpeedup) < 1e-9);
    QVERIFY(std::abs(view.speedupPlot()->syncGraph()->data()->at(0)->value - sampleSpeedup) < 1e-9);
    QVERIFY(sampleSpeedup > 1.2); // entropy sends many samples out early: a real speed-up

    for (int i = 0; i < sizes.size(); ++i) {
        const int b = int(sizes[i]);
        const double fullCost = fullModelPerSample(p, b, measured);
        QVERIFY2(
            std::abs(full->data()->at(i)->value - fullCost) < 1e-9 * fullCost,
            qPrintable(
                QStringLiteral("batch %1: %2 vs %3").arg(b).arg(full->data()->at(i)->value).arg(fullCost)));
        const double sync = view.costPlot()->syncGraph()->data()->at(i)->value;
        const double compact = view.costPlot()->compactGraph()->data()->at(i)->value;
        // Compact runs each stage on the samples still in the batch, sync on all of them until the deepest
        // leaves: never cheaper; neither is dearer than the full model served the same way.
        QVERIFY2(compact <= sync * (1 + 1e-12), qPrintable(QStringLiteral("batch %1").arg(b)));
        QVERIFY(sync <= fullCost * (1 + 1e-12));
        QVERIFY(std::abs(view.speedupPlot()->syncGraph()->data()->at(i)->value - fullCost / sync) < 1e-9);
        QVERIFY(std::abs(view.speedupPlot()->compactGraph()->data()->at(i)->value - fullCost / compact) <
                1e-9);
        if (!measured) // b c_k per batch: compact costs exactly the per-sample cost at every size
            QVERIFY(std::abs(compact - sampleCost) < 1e-9 * sampleCost);
    }
    // Sync batches wait for their deepest sample: the larger the batch, the less early exit saves.
    const double syncSpeedup256 = view.speedupPlot()->syncGraph()->data()->at(sizes.size() - 1)->value;
    QVERIFY(syncSpeedup256 < sampleSpeedup);

    for (ServingPlot* plot : {view.costPlot(), view.speedupPlot()})
        verifyLabelClearOfCurves(*plot);

    const QString caption = view.captionText();
    QVERIFY2(caption.contains("<b>entropy</b>") && caption.contains("test split"), qPrintable(caption));
    QVERIFY2(caption.contains(QStringLiteral("%1×").arg(sampleSpeedup, 0, 'f', 2)), qPrintable(caption));
    QVERIFY2(caption.contains("In batches of 32"), qPrintable(caption));
    QCOMPARE(caption.contains("as measured for the file (/exits/batch_costs)"), measured);
    QCOMPARE(caption.contains("no measured batch costs"), !measured);

    // The split follows the session.
    session.setSplit(Split::Val);
    const double valCost = session.snapshot()->split(Split::Val)->outcome.cost;
    QVERIFY(valCost != sampleCost);
    QTRY_VERIFY(std::abs(view.costPlot()->syncGraph()->data()->at(0)->value - valCost) < 1e-9 * valCost);
    QVERIFY(view.captionText().contains("validation split"));
}

void TestServingView::saysWhenThereIsNoPolicy() {
    Session empty;
    ServingView blank(&empty);
    QVERIFY(!blank.isEnabled());
    QCOMPARE(blank.costPlot()->syncGraph()->dataCount(), 0);

    test::SessionFixture data(servingPredictions(false));
    ServingView view(data.session.get());
    QVERIFY(view.isEnabled());
    QCOMPARE(view.captionText(), QStringLiteral("No policy to show yet"));
    data.session->setSnapshot(data.snapshot("maxprob"));
    QCOMPARE(view.costPlot()->syncGraph()->dataCount(), 9);
    // A new rule drops the snapshot fitted under the old one: the graphs empty until the next arrives.
    data.session->setBudgetRule({ServingMode{RunMode::Sync, 8}, 0});
    QCOMPARE(view.costPlot()->syncGraph()->dataCount(), 0);
    QCOMPARE(view.captionText(), QStringLiteral("No policy to show yet"));
}

void TestServingView::controlsFollowTheSessionsRule() {
    test::SessionFixture data(servingPredictions(true));
    Session& session = *data.session;
    ServingView view(&session);
    const auto modeShown = [&] { return static_cast<RunMode>(view.modeBox()->currentData().toInt()); };
    QCOMPARE(modeShown(), RunMode::Sample);
    QVERIFY(!view.batchBox()->isEnabled());
    QVERIFY(!view.guaranteeBox()->isChecked());

    session.setBudgetRule({ServingMode{RunMode::Compact, 64}, ServingView::kGuaranteeConfidence});
    QCOMPARE(modeShown(), RunMode::Compact);
    QCOMPARE(view.modeBox()->currentText(), QStringLiteral("compact batches"));
    QCOMPARE(view.batchBox()->value(), 64);
    QVERIFY(view.batchBox()->isEnabled());
    QVERIFY(view.guaranteeBox()->isChecked());

    session.setBudgetRule({ServingMode{RunMode::Sync, 16}, 0});
    QCOMPARE(modeShown(), RunMode::Sync);
    QCOMPARE(view.batchBox()->value(), 16);
    QVERIFY(!view.guaranteeBox()->isChecked());

    session.setBudgetRule({});
    QCOMPARE(modeShown(), RunMode::Sample);
    QVERIFY(!view.batchBox()->isEnabled());
    QVERIFY(!view.guaranteeBox()->isChecked());

    // A new file starts under the default rule.
    session.setBudgetRule({ServingMode{RunMode::Sync, 16}, 0.95});
    session.setPredictions(servingPredictions(false));
    QCOMPARE(modeShown(), RunMode::Sample);
    QVERIFY(!view.guaranteeBox()->isChecked());
}

void TestServingView::choosingSyncBatchesAsksForThatRule() {
    test::SessionFixture data(servingPredictions(true));
    Session& session = *data.session;
    ServingView view(&session);
    QVERIFY(test::showExposed(view, {1000, 500}));
    std::vector<BudgetRule> requested;
    connect(&view, &ServingView::budgetRuleRequested, &view, [&](const BudgetRule& rule) {
        requested.push_back(rule);
        session.setBudgetRule(rule); // as the window does once nothing needs asking
    });
    std::vector<QString> costModels;
    connect(&view, &ServingView::costModelRequested, &view,
            [&](const QString& name) { costModels.push_back(name); });

    // "per sample" -> "sync batches" by keyboard, as a user picks it.
    view.modeBox()->setFocus();
    QTest::keyClick(view.modeBox(), Qt::Key_Down);
    QCOMPARE(requested.size(), size_t(1));
    QVERIFY(requested.back().serving);
    QCOMPARE(requested.back().serving->mode, RunMode::Sync);
    QCOMPARE(requested.back().serving->batchSize, 32);
    QCOMPARE(requested.back().guarantee, 0.0);
    QVERIFY(view.batchBox()->isEnabled());

    // Then batch 8, typed and confirmed.
    view.batchBox()->setFocus();
    QTest::keyClick(view.batchBox(), Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(view.batchBox(), QStringLiteral("8"));
    QTest::keyClick(view.batchBox(), Qt::Key_Return);
    QCOMPARE(requested.size(), size_t(2));
    QCOMPARE(*requested.back().serving, (ServingMode{RunMode::Sync, 8}));
    QCOMPARE(*session.budgetRule().serving, (ServingMode{RunMode::Sync, 8}));
    // Confirming the same size again asks for nothing.
    QTest::keyClick(view.batchBox(), Qt::Key_Return);
    QCOMPARE(requested.size(), size_t(2));

    // The guarantee keeps the serving mode.
    view.guaranteeBox()->click();
    QCOMPARE(requested.size(), size_t(3));
    QCOMPARE(*requested.back().serving, (ServingMode{RunMode::Sync, 8}));
    QCOMPARE(requested.back().guarantee, ServingView::kGuaranteeConfidence);

    // Back to per sample: no serving mode, the guarantee stays.
    view.modeBox()->setFocus();
    QTest::keyClick(view.modeBox(), Qt::Key_Up);
    QCOMPARE(requested.size(), size_t(4));
    QVERIFY(!requested.back().serving);
    QCOMPARE(requested.back().guarantee, ServingView::kGuaranteeConfidence);
    QVERIFY(costModels.empty());
}

void TestServingView::costModelBoxListsTheFilesCostModels() {
    test::SessionFixture data(servingPredictions(false));
    Session& session = *data.session;
    ServingView view(&session);
    QVERIFY(test::showExposed(view, {1000, 500}));
    const std::vector<CostVector> models = costModels(*data.predictions);
    QCOMPARE(models.size(), size_t(3));
    QComboBox* box = view.costModelBox();
    QCOMPARE(box->count(), int(models.size()));
    for (int i = 0; i < box->count(); ++i) {
        QCOMPARE(box->itemData(i).toString(), QString::fromStdString(models[size_t(i)].name));
        QVERIFY(box->itemText(i).contains(QString::fromStdString(models[size_t(i)].unit)));
    }
    QCOMPARE(box->currentData().toString(), QStringLiteral("costs"));

    std::vector<QString> requested;
    connect(&view, &ServingView::costModelRequested, &view,
            [&](const QString& name) { requested.push_back(name); });
    box->setFocus();
    QTest::keyClick(box, Qt::Key_Down);
    QCOMPARE(requested, std::vector<QString>{QStringLiteral("flops")});
    // Asking changes nothing by itself: the window decides, the view shows the session's model again.
    QCOMPARE(session.predictions()->costModel, std::string("costs"));
    view.showSessionState();
    QCOMPARE(box->currentData().toString(), QStringLiteral("costs"));

    // The session switches: the box follows, still listing every model; the profile is in the new unit.
    auto energy = std::make_shared<Predictions>(*data.predictions);
    selectCostModel(*energy, "energy");
    session.setCostModelPredictions(energy, nullptr);
    QCOMPARE(box->count(), int(models.size()));
    QCOMPARE(box->currentData().toString(), QStringLiteral("energy"));
    Evaluator evaluator(session.predictions());
    session.setSnapshot(test::snapshotOf(evaluator, "maxprob", session.budget()));
    QCOMPARE(view.costPlot()->tableData().header.at(1), QStringLiteral("sync cost (mJ)"));
    QCOMPARE(view.costPlot()->fullModelGraph()->data()->at(0)->value, 9.0);
}

void TestServingView::theLevelsLabelMovesOffTheCurves() {
    // The sample's profile under eenet at 23 % of its range (docs/screenshots/tab-serving.png): compact
    // batches run just above the one-at-a-time level from 16 on, where the label used to sit over them.
    ServingProfile profile;
    profile.unit = "ms";
    profile.measured = true;
    profile.sample = 0.113;
    profile.fullModelSample = 0.412;
    const std::vector<double> sync{0.113, 0.15, 0.185, 0.2, 0.295, 0.33, 0.343, 0.34, 0.327};
    const std::vector<double> compact{0.113, 0.125, 0.122, 0.11, 0.142, 0.14, 0.135, 0.15, 0.167};
    const std::vector<double> full{0.412, 0.35, 0.33, 0.285, 0.337, 0.34, 0.343, 0.34, 0.327};
    for (size_t i = 0; i < sync.size(); ++i)
        profile.points.push_back({1 << i, sync[i], compact[i], full[i]});
    for (const QSize size : {QSize(420, 210), QSize(330, 180), QSize(600, 300)}) {
        ServingPlot plot(ServingPlot::Quantity::CostPerSample);
        QVERIFY(test::showExposed(plot, size));
        plot.setProfile(profile, 32);
        verifyLabelClearOfCurves(plot);
        ServingPlot speedups(ServingPlot::Quantity::Speedup);
        QVERIFY(test::showExposed(speedups, size));
        speedups.setProfile(profile, 32);
        verifyLabelClearOfCurves(speedups);
    }
}

QTEST_MAIN(TestServingView)
#include "tst_servingview.moc"
