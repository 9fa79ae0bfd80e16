#include "TestData.h"
#include "eval/TemperatureScaling.h"
#include "session/Session.h"

#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <limits>

using namespace eenet;

class TestSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void startsEmpty();
    void loadingEmitsOnceAndSummarises();
    void sameObjectOrNullChangesNothing();
    void replacingKeepsTheOldDataAliveForItsHolders();
    void budgetIsClampedAndResetOnLoad();
    void selectionIsDatedByTheBudgetShown();
    void aCancelledRunSaysSoUntilTheNextOne();
    void aThresholdSetByHandMakesACustomPolicy();
    void aNewBudgetOrMethodReturnsToTheFittedPolicy();
    void customPoliciesWithoutTheirScoresAreIgnored();
    void aRetrainedSchedulerEndsCustomThresholdsOnItsScores();
    void schedulerCurvesAreDrawnInTheCostTheRuleBounds();
    void calibratedProbabilitiesKeepWhatWasMadeOnTheOthers();
    void calibrationEndsCustomThresholdsAndRefusesOtherShapes();
    void curvesOfTheParkedProbabilitiesAreKeptAside();
};

namespace {
std::shared_ptr<const Predictions> makeData(int exits, std::uint64_t seed) {
    return test::sharedSynthetic({exits, 5, 50, 20, seed});
}
} // namespace

void TestSession::startsEmpty() {
    Session session;
    QVERIFY(!session.hasPredictions());
    QCOMPARE(session.summary().numExits, 0);
}

void TestSession::loadingEmitsOnceAndSummarises() {
    Session session;
    QSignalSpy spy(&session, &Session::predictionsLoaded);
    const auto data = makeData(3, 1);
    session.setPredictions(data);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(session.predictions(), data);
    QCOMPARE(session.summary().numExits, 3);
    QCOMPARE(session.summary().numTest, 20);
    QCOMPARE(session.summary().exits[0].valAccuracyPercent, exitAccuracyPercent(data->val, 5, 0));
}

void TestSession::sameObjectOrNullChangesNothing() {
    Session session;
    const auto data = makeData(3, 1);
    session.setPredictions(data);
    QSignalSpy spy(&session, &Session::predictionsLoaded);
    session.setPredictions(data);
    session.setPredictions(nullptr);
    QCOMPARE(spy.count(), 0);
    QCOMPARE(session.predictions(), data);
}

void TestSession::replacingKeepsTheOldDataAliveForItsHolders() {
    Session session;
    auto first = makeData(3, 1);
    session.setPredictions(first);
    const std::weak_ptr<const Predictions> watch = first;
    std::shared_ptr<const Predictions> heldByWorker = first;
    first.reset();
    session.setPredictions(makeData(4, 2));
    QCOMPARE(session.summary().numExits, 4);
    QVERIFY(!watch.expired());
    heldByWorker.reset();
    QVERIFY(watch.expired());
}

void TestSession::budgetIsClampedAndResetOnLoad() {
    Session session;
    session.setBudget(2.0); // no predictions: ignored
    QCOMPARE(session.budget(), 0.0);
    session.setPredictions(makeData(4, 1)); // costs 1..4
    QCOMPARE(session.budget(), 2.5);
    QSignalSpy spy(&session, &Session::budgetChanged);
    session.setBudget(3.0);
    session.setBudget(3.0);
    QCOMPARE(spy.count(), 1);
    session.setBudget(-5);
    QCOMPARE(session.budget(), 1.0);
    session.setBudget(std::nan(""));
    QCOMPARE(session.budget(), 1.0);
    session.setCurves({Curve{"maxprob", {}, {}}});
    QCOMPARE(session.curves().size(), size_t(1));
    session.setPredictions(makeData(3, 2)); // costs 1..3
    QCOMPARE(session.budget(), 2.0);
    QVERIFY(session.curves().empty());
}

void TestSession::selectionIsDatedByTheBudgetShown() {
    Session session;
    session.setPredictions(makeData(4, 1));
    session.setBudget(3.0);
    // Without a snapshot: the session's budget and method.
    session.setSelection({Split::Val, {1, 2}, QStringLiteral("two")});
    QCOMPARE(session.selection().budget, 3.0);
    QCOMPARE(session.selection().method, std::string("maxprob"));
    // With one: the snapshot's, which is what the views show (the slider may have moved on).
    auto snapshot = std::make_shared<PolicySnapshot>();
    snapshot->method = "entropy";
    snapshot->budget = 2.25;
    session.setSnapshot(snapshot);
    session.setSelection({Split::Val, {1}, QStringLiteral("one")});
    QCOMPARE(session.selection().budget, 2.25);
    QCOMPARE(session.selection().method, std::string("entropy"));
    // A selection that carries its budget keeps it.
    SampleSelection dated{Split::Val, {1}, QStringLiteral("dated")};
    dated.budget = 1.5;
    dated.method = "patience";
    session.setSelection(dated);
    QCOMPARE(session.selection().budget, 1.5);
    QCOMPARE(session.selection().method, std::string("patience"));
}

void TestSession::aCancelledRunSaysSoUntilTheNextOne() {
    Session session;
    session.startTrainingRun(2.0);
    QVERIFY(session.trainingRun().running);
    QVERIFY(!session.trainingRun().cancelled);
    session.finishTrainingRun(true);
    QVERIFY(!session.trainingRun().running);
    QVERIFY(session.trainingRun().cancelled);
    session.startTrainingRun(2.5);
    QVERIFY(!session.trainingRun().cancelled);
    session.finishTrainingRun();
    QVERIFY(!session.trainingRun().running);
    QVERIFY(!session.trainingRun().cancelled);
}

void TestSession::aThresholdSetByHandMakesACustomPolicy() {
    Session session;
    const auto data = makeData(4, 1);
    session.setPredictions(data);
    Evaluator evaluator(data);
    session.setThresholdByHand(0, 0.5); // nothing shown yet: nothing to set
    QVERIFY(!session.customPolicy());
    const auto fitted = test::snapshotOf(evaluator, "entropy", session.budget());
    session.setSnapshot(fitted);
    QSignalSpy methods(&session, &Session::methodChanged);
    QSignalSpy customs(&session, &Session::customPolicyChanged);
    session.setThresholdByHand(1, 0.42);
    QVERIFY(session.customPolicy());
    QCOMPARE(session.method().name(), std::string("custom"));
    QCOMPARE(session.customPolicy()->base.name(), std::string("entropy"));
    std::vector<double> expected = fitted->thresholds;
    expected[1] = 0.42;
    QCOMPARE(session.customPolicy()->thresholds, expected);
    // A second move changes the thresholds, not the method; the same value again changes nothing.
    session.setThresholdByHand(0, 0.3);
    session.setThresholdByHand(0, 0.3);
    expected[0] = 0.3;
    QCOMPARE(session.customPolicy()->thresholds, expected);
    QCOMPARE(methods.count(), 1);
    QCOMPARE(customs.count(), 2);
    // Not the last exit (it takes everyone left), no NaN, no exit that does not exist.
    session.setThresholdByHand(3, 0.1);
    session.setThresholdByHand(7, 0.1);
    session.setThresholdByHand(-1, 0.1);
    session.setThresholdByHand(0, std::nan(""));
    QCOMPARE(session.customPolicy()->thresholds, expected);
    QCOMPARE(customs.count(), 2);
    // "custom" is not a method one can choose by name.
    session.setMethod(Method{Method::Kind::Custom});
    QCOMPARE(session.customPolicy()->thresholds, expected);
}

void TestSession::aNewBudgetOrMethodReturnsToTheFittedPolicy() {
    Session session;
    const auto data = makeData(4, 1);
    session.setPredictions(data);
    Evaluator evaluator(data);
    session.setMethod(*Method::parse("maxprob-opt"));
    const auto setByHand = [&] {
        session.setSnapshot(test::snapshotOf(evaluator, "maxprob-opt", session.budget()));
        session.setThresholdByHand(0, 0.77);
        QVERIFY(session.customPolicy());
    };
    setByHand();
    session.setBudget(3.0);
    QVERIFY(!session.customPolicy());
    QCOMPARE(session.method().name(), std::string("maxprob-opt"));
    setByHand();
    QSignalSpy methods(&session, &Session::methodChanged);
    session.snapToBudget();
    QVERIFY(!session.customPolicy());
    QCOMPARE(session.method().name(), std::string("maxprob-opt"));
    QCOMPARE(methods.count(), 1);
    session.snapToBudget(); // nothing to snap
    QCOMPARE(methods.count(), 1);
    setByHand();
    session.setMethod(*Method::parse("patience"));
    QVERIFY(!session.customPolicy());
    QCOMPARE(session.method().name(), std::string("patience"));
    session.setMethod(*Method::parse("maxprob-opt"));
    setByHand();
    session.setPredictions(makeData(4, 2));
    QVERIFY(!session.customPolicy());
    QCOMPARE(session.method().name(), std::string("maxprob-opt"));
}

void TestSession::customPoliciesWithoutTheirScoresAreIgnored() {
    Session session;
    const auto data = makeData(4, 1);
    session.setPredictions(data);
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<double> thresholds{0.5, 0.5, 0.5, -inf};
    // No scores to set thresholds on: the oracle, an untrained EENet, wrong counts.
    session.setCustomPolicy({*Method::parse("oracle"), nullptr, thresholds});
    session.setCustomPolicy({*Method::parse("eenet"), nullptr, thresholds});
    session.setCustomPolicy({*Method::parse("maxprob"), nullptr, {0.5, -inf}});
    QVERIFY(!session.customPolicy());
    Evaluator evaluator(data);
    session.setSnapshot(test::snapshotOf(evaluator, "oracle", session.budget()));
    session.setThresholdByHand(0, 0.5);
    QVERIFY(!session.customPolicy());
    session.setCustomPolicy({*Method::parse("maxprob"), nullptr, thresholds});
    QVERIFY(session.customPolicy());
}

void TestSession::aRetrainedSchedulerEndsCustomThresholdsOnItsScores() {
    Session session;
    const auto data = makeData(4, 1);
    session.setPredictions(data);
    Evaluator evaluator(data);
    const double budget = session.budget();
    const auto fit = trainEENet(*data, budget);
    const auto trained = std::make_shared<const TrainedScheduler>(describeFit(evaluator, budget, fit));
    session.addScheduler(trained);
    session.setMethod(*Method::parse("eenet"));
    session.setSnapshot(test::snapshotOf(evaluator, "eenet", budget, {trained}));
    session.setThresholdByHand(0, 0.6);
    QVERIFY(session.customPolicy());
    QCOMPARE(session.customPolicy()->scheduler, trained);
    // Another budget's scheduler leaves the scores in place.
    session.addScheduler(std::make_shared<const TrainedScheduler>(describeFit(evaluator, 3.5, fit)));
    QVERIFY(session.customPolicy());
    // A new fit at the same budget replaces the scores: back to the fitted policy.
    session.addScheduler(std::make_shared<const TrainedScheduler>(describeFit(evaluator, budget, fit)));
    QVERIFY(!session.customPolicy());
    QCOMPARE(session.method().name(), std::string("eenet"));
}

void TestSession::schedulerCurvesAreDrawnInTheCostTheRuleBounds() {
    Session session;
    const auto data = makeData(4, 1);
    session.setPredictions(data);
    Evaluator evaluator(data);
    for (double budget : {2.0, 3.0})
        session.addScheduler(std::make_shared<const TrainedScheduler>(
            describeFit(evaluator, budget, trainEENet(*data, budget))));
    auto eenetCosts = [&session](Split split) {
        std::vector<double> costs;
        for (const MethodResult& r : *session.curveResults("eenet", split))
            costs.push_back(r.outcome.cost);
        return costs;
    };
    QVERIFY(session.curveResults("eenet", Split::Test) != nullptr);
    const std::vector<double> perSample = eenetCosts(Split::Test);

    // In sync batches a batch runs until its deepest sample leaves: without measured batch costs (this
    // file has none) that costs more per sample than each sample alone.
    BudgetRule sync;
    sync.serving = parseServingMode("sync:8");
    session.setBudgetRule(sync);
    // Each point moves to the serving cost of the scheduler's own decisions on that split.
    const ServingCostModel model(*data);
    const auto& schedulers = session.schedulers();
    const std::vector<double> served = eenetCosts(Split::Test);
    QCOMPARE(served.size(), perSample.size());
    for (size_t i = 0; i < schedulers.size(); ++i) {
        const MethodResult& test = schedulers[i]->eenet[1];
        QCOMPARE(test.split, Split::Test);
        const double expected =
            model.costPerSample(exitCounts(test.outcome.exitOf, data->numExits), *sync.serving);
        QCOMPARE(served[i], expected);
        QVERIFY(served[i] > perSample[i]);
    }
    // A guarantee alone moves where policies are fitted, not what decisions cost.
    BudgetRule guarantee;
    guarantee.guarantee = 0.95;
    session.setBudgetRule(guarantee);
    QCOMPARE(eenetCosts(Split::Test), perSample);
    session.setBudgetRule({});
    QCOMPARE(eenetCosts(Split::Test), perSample);
}

namespace {
std::shared_ptr<const Predictions> scaled(const Predictions& model, double temperature) {
    return std::make_shared<const Predictions>(
        temperatureScaled(model, std::vector<double>(static_cast<size_t>(model.numExits), temperature)));
}

std::vector<Curve> oneCurve(const std::string& method, double accuracy) {
    Curve curve{method, {}, {}};
    for (double cost : {1.0, 2.0}) {
        MethodResult r;
        r.method = method;
        r.outcome.cost = cost;
        r.outcome.accuracyPercent = accuracy;
        curve.val.push_back(r);
    }
    return {curve};
}
} // namespace

void TestSession::calibratedProbabilitiesKeepWhatWasMadeOnTheOthers() {
    Session session;
    const auto model = makeData(3, 1);
    session.setPredictions(model);
    session.setBudget(2.2);
    session.setSplit(Split::Val);
    Evaluator evaluator(model);
    const auto modelFit =
        std::make_shared<const TrainedScheduler>(describeFit(evaluator, 2.2, trainEENet(*model, 2.2)));
    session.addScheduler(modelFit);
    session.setCurves(oneCurve("maxprob", 80));
    QVERIFY(!session.calibrated());
    QVERIFY(!session.calibratedPredictions());

    const auto calibrated = scaled(*model, 2.0);
    QSignalSpy switched(&session, &Session::probabilitiesChanged);
    QSignalSpy loaded(&session, &Session::predictionsLoaded);
    session.setCalibratedPredictions(calibrated);
    QCOMPARE(switched.count(), 1);
    QCOMPARE(loaded.count(), 0);
    QVERIFY(session.calibrated());
    QCOMPARE(session.predictions(), calibrated);
    QCOMPARE(session.modelPredictions(), model);
    QCOMPARE(session.calibratedPredictions(), calibrated);
    // Budget and split stay; what was computed on the model's probabilities is parked, not shown.
    QCOMPARE(session.budget(), 2.2);
    QCOMPARE(session.split(), Split::Val);
    QVERIFY(session.schedulers().empty());
    QVERIFY(session.curves().empty());
    QVERIFY(!session.snapshot());
    QCOMPARE(session.parkedSchedulers().size(), size_t(1));
    QVERIFY(session.parkedCurveResults("maxprob", Split::Val));
    QCOMPARE(session.parkedCurveResults("maxprob", Split::Val)->front().outcome.accuracyPercent, 80.0);

    Evaluator calibratedEvaluator(calibrated);
    session.addScheduler(std::make_shared<const TrainedScheduler>(
        describeFit(calibratedEvaluator, 3.0, trainEENet(*calibrated, 3.0))));
    session.setCalibratedPredictions(calibrated); // the one shown: nothing happens
    QCOMPARE(switched.count(), 1);

    // Back: the model's schedulers and curves return, the calibrated ones are parked.
    session.setCalibratedPredictions(nullptr);
    QCOMPARE(switched.count(), 2);
    QVERIFY(!session.calibrated());
    QCOMPARE(session.predictions(), model);
    QCOMPARE(session.schedulers().size(), size_t(1));
    QCOMPARE(session.schedulers().front(), modelFit);
    QCOMPARE(session.curveResults("maxprob", Split::Val)->front().outcome.accuracyPercent, 80.0);
    QCOMPARE(session.parkedSchedulers().size(), size_t(1));
    QCOMPARE(session.parkedSchedulers().front()->budget, 3.0);
    QCOMPARE(session.calibratedPredictions(), calibrated);

    // And forth again, without retraining.
    session.setCalibratedPredictions(calibrated);
    QCOMPARE(session.schedulers().size(), size_t(1));
    QCOMPARE(session.schedulers().front()->budget, 3.0);

    // Another copy (other temperatures) starts empty; a new file forgets both.
    session.setCalibratedPredictions(scaled(*model, 0.5));
    QVERIFY(session.schedulers().empty());
    session.setPredictions(makeData(3, 2));
    QVERIFY(!session.calibrated());
    QVERIFY(!session.calibratedPredictions());
    QVERIFY(session.parkedSchedulers().empty());
}

void TestSession::calibrationEndsCustomThresholdsAndRefusesOtherShapes() {
    Session session;
    const auto model = makeData(4, 1);
    session.setPredictions(model);
    Evaluator evaluator(model);
    session.setSnapshot(test::snapshotOf(evaluator, "maxprob", session.budget()));
    session.setThresholdByHand(0, 0.9);
    QVERIFY(session.customPolicy());
    QSignalSpy ended(&session, &Session::customPolicyChanged);
    session.setCalibratedPredictions(scaled(*model, 1.5));
    QVERIFY(!session.customPolicy());
    QCOMPARE(session.method().name(), std::string("maxprob"));
    QCOMPARE(ended.count(), 1);

    // Probabilities of another file are not a calibrated copy of this one.
    session.setCalibratedPredictions(nullptr);
    session.setCalibratedPredictions(makeData(3, 1));
    QVERIFY(!session.calibrated());
    Session empty;
    empty.setCalibratedPredictions(scaled(*model, 1.5));
    QVERIFY(!empty.hasPredictions());
}

void TestSession::curvesOfTheParkedProbabilitiesAreKeptAside() {
    Session session;
    const auto model = makeData(3, 1);
    session.setPredictions(model);
    const auto calibrated = scaled(*model, 2.0);
    session.setCalibratedPredictions(calibrated);
    // The model's curves arrive after the switch: they are kept aside for the overlay.
    QSignalSpy curves(&session, &Session::curvesChanged);
    QVERIFY(session.setCurvesOf(model, oneCurve("maxprob", 70)));
    QCOMPARE(curves.count(), 1);
    QVERIFY(session.curves().empty());
    QCOMPARE(session.parkedCurveResults("maxprob", Split::Test)->front().outcome.accuracyPercent, 70.0);
    QVERIFY(session.setCurvesOf(calibrated, oneCurve("maxprob", 75)));
    QCOMPARE(session.curveResults("maxprob", Split::Val)->front().outcome.accuracyPercent, 75.0);
    // Another file's curves go nowhere.
    QVERIFY(!session.setCurvesOf(makeData(3, 2), oneCurve("maxprob", 10)));
    QCOMPARE(curves.count(), 2);
}

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
