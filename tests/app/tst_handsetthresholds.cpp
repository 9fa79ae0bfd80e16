#include "BudgetControl.h"
#include "CrossingSamples.h"
#include "LoadController.h"
#include "PolicyController.h"
#include "PolicyControls.h"
#include "PolicyCurvesPlot.h"
#include "SampleInspector.h"
#include "SessionController.h"
#include "ShowWidget.h"
#include "TestData.h"
#include "ThresholdEditor.h"
#include "ThresholdHistograms.h"
#include "session/Session.h"

#include <QComboBox>
#include <QLabel>
#include <QMainWindow>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace eenet;

/// The What-If move end to end: a threshold line dragged or typed in the threshold view makes the policy
/// "custom", every view follows at once, Snap to budget returns to the fitted policy, and a session keeps it.
class TestHandSetThresholds : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void draggingALineMovesExactlyTheCrossingSamples();
    void aClickOnTheLineSetsNothing();
    void draggingPastTheScoresEmptiesTheLaterExits();
    void typingAThresholdSetsIt();
    void snapToBudgetReturnsToTheFittedThresholds();
    void theSliderAndTheMethodBoxReturnToFittedPolicies();
    void theCurvesMarkTheCustomPoint();
    void theInspectorSaysItsRowsWereRejudgedByAMovedThreshold();
    void aSavedSessionBringsCustomThresholdsBack_data();
    void aSavedSessionBringsCustomThresholdsBack();

private:
    /// The threshold line of panel `index`, in widget pixels, at mid height of the panel.
    static QPoint linePixel(const ThresholdHistograms& plot, int index);
    void waitUntilIdle(const PolicyController& controller) {
        QTRY_VERIFY_WITH_TIMEOUT(!controller.isBusy(), 30000);
    }

    std::unique_ptr<Session> m_session;
    std::unique_ptr<PolicyController> m_controller;
};

void TestHandSetThresholds::init() {
    m_session = std::make_unique<Session>();
    m_controller = std::make_unique<PolicyController>(m_session.get());
    m_session->setPredictions(test::chartPredictions());
    waitUntilIdle(*m_controller);
}

void TestHandSetThresholds::cleanup() {
    m_controller.reset();
    m_session.reset();
}

QPoint TestHandSetThresholds::linePixel(const ThresholdHistograms& plot, int index) {
    const auto& panel = plot.panel(index);
    const double threshold = panel.threshold->point1->coords().x();
    return {static_cast<int>(std::lround(panel.rect->axis(QCPAxis::atBottom)->coordToPixel(threshold))),
            panel.rect->rect().center().y()};
}

void TestHandSetThresholds::draggingALineMovesExactlyTheCrossingSamples() {
    ThresholdHistograms plot(m_session.get());
    QVERIFY(test::showExposed(plot, {900, 450}));
    plot.replot();
    const auto fitted = m_session->snapshot();
    const int index = 1;
    const QPoint press = linePixel(plot, index) + QPoint(2, 0); // grabbed a little beside the line
    QCOMPARE(plot.thresholdAt(press), index);
    QCPAxis* scoreAxis = plot.panel(index).rect->axis(QCPAxis::atBottom);
    const QCPRange axisBefore = scoreAxis->range();
    const QPoint target = press - QPoint(60, 0);
    // The line keeps its offset from the pointer, and the axes keep still while it moves.
    const double expected = scoreAxis->pixelToCoord(
        target.x() + scoreAxis->coordToPixel(fitted->thresholds[size_t(index)]) - press.x());

    QTest::mousePress(&plot, Qt::LeftButton, {}, press);
    QTest::mouseMove(&plot, press - QPoint(30, 0));
    QVERIFY(m_session->snapshot()->isCustom()); // the views follow during the drag, not after it
    QTest::mouseMove(&plot, target);
    QCOMPARE(scoreAxis->range(), axisBefore);
    QCOMPARE(plot.panel(index).threshold->point1->coords().x(), expected);
    QTest::mouseRelease(&plot, Qt::LeftButton, {}, target);

    const auto& custom = m_session->snapshot();
    QVERIFY(custom->isCustom());
    QCOMPARE(m_session->method().name(), std::string("custom"));
    QCOMPARE(custom->thresholds[size_t(index)], expected);
    for (size_t k = 0; k < custom->thresholds.size(); ++k)
        if (int(k) != index)
            QCOMPARE(custom->thresholds[k], fitted->thresholds[k]);
    for (Split split : {Split::Val, Split::Test}) {
        const auto moved = test::samplesMoved(fitted->split(split)->outcome, custom->split(split)->outcome);
        QVERIFY(!moved.empty());
        QCOMPARE(moved, test::samplesCrossing(*fitted, split, index, expected));
    }
    QVERIFY(!plot.thresholdEditor()->isVisible());
}

void TestHandSetThresholds::aClickOnTheLineSetsNothing() {
    ThresholdHistograms plot(m_session.get());
    QVERIFY(test::showExposed(plot, {900, 450}));
    plot.replot();
    const auto fitted = m_session->snapshot();
    QTest::mouseClick(&plot, Qt::LeftButton, {}, linePixel(plot, 0));
    QVERIFY(!m_session->customPolicy());
    QCOMPARE(m_session->snapshot(), fitted);
}

void TestHandSetThresholds::draggingPastTheScoresEmptiesTheLaterExits() {
    ThresholdHistograms plot(m_session.get());
    QVERIFY(test::showExposed(plot, {900, 450}));
    plot.replot();
    const QPoint press = linePixel(plot, 0);
    const QPoint farLeft(plot.panel(0).rect->left() - 40, press.y());
    // Kept inside the panel: the line stops at its left edge, below every score, so everyone leaves at
    // exit 1.
    const double edge = plot.panel(0).rect->axis(QCPAxis::atBottom)->pixelToCoord(plot.panel(0).rect->left());
    QTest::mousePress(&plot, Qt::LeftButton, {}, press);
    QTest::mouseMove(&plot, farLeft);
    QTest::mouseRelease(&plot, Qt::LeftButton, {}, farLeft);
    const auto& custom = m_session->snapshot();
    QCOMPARE(custom->thresholds[0], edge);
    for (const SplitPolicy& split : custom->splits)
        QCOMPARE(split.outcome.exitFractions[0], 1.0);
    QCOMPARE(plot.panelCount(), 3);
    QVERIFY(plot.panel(1).reaching.empty() && plot.panel(2).reaching.empty());
}

void TestHandSetThresholds::typingAThresholdSetsIt() {
    ThresholdHistograms plot(m_session.get());
    QVERIFY(test::showExposed(plot, {900, 450}));
    plot.replot();
    QTest::mouseDClick(&plot, Qt::LeftButton, {}, linePixel(plot, 2));
    ThresholdEditor* editor = plot.thresholdEditor();
    QVERIFY(editor->isVisible());
    QVERIFY(!plot.panel(2).thresholdLabel->visible()); // the editor takes the label's place
    QCOMPARE(editor->text(), ThresholdHistograms::thresholdText(m_session->snapshot()->thresholds[2]));
    // Enter on the value as shown changes nothing; Escape neither.
    QTest::keyClick(editor, Qt::Key_Return);
    QVERIFY(!editor->isVisible());
    QVERIFY(plot.panel(2).thresholdLabel->visible());
    QVERIFY(!m_session->customPolicy());
    plot.editThreshold(2);
    QTest::keyClicks(editor, "0.5");
    QTest::keyClick(editor, Qt::Key_Escape);
    QVERIFY(!m_session->customPolicy());
    // Not a number: the editor stays open.
    plot.editThreshold(2);
    QTest::keyClicks(editor, "high");
    QTest::keyClick(editor, Qt::Key_Return);
    QVERIFY(editor->isVisible());
    QVERIFY(!m_session->customPolicy());
    editor->selectAll();
    QTest::keyClicks(editor, "0.8125");
    QTest::keyClick(editor, Qt::Key_Enter);
    QVERIFY(m_session->snapshot()->isCustom());
    QCOMPARE(m_session->snapshot()->thresholds[2], 0.8125);
    // "inf": nobody leaves there.
    plot.editThreshold(0);
    QTest::keyClicks(editor, "inf");
    QTest::keyClick(editor, Qt::Key_Return);
    QCOMPARE(m_session->snapshot()->splits.front().outcome.exitFractions[0], 0.0);
    QCOMPARE(m_session->snapshot()->thresholds[2], 0.8125);
    QCOMPARE(ThresholdEditor::parse(QStringLiteral(" -inf ")), -std::numeric_limits<double>::infinity());
    QCOMPARE(ThresholdEditor::parse(QStringLiteral("1e-3")), 1e-3);
    QVERIFY(!ThresholdEditor::parse(QStringLiteral("nan")));
}

void TestHandSetThresholds::snapToBudgetReturnsToTheFittedThresholds() {
    PolicyControls controls(m_session.get());
    m_session->setMethod(*Method::parse("entropy-opt"));
    waitUntilIdle(*m_controller);
    const auto fitted = m_session->snapshot();
    QVERIFY(!controls.snapButton()->isEnabled());
    QVERIFY(controls.customCostLabel()->isHidden());
    m_session->setThresholdByHand(0, 0.2);
    QCOMPARE(controls.methodBox()->currentText(), QStringLiteral("custom"));
    QVERIFY(controls.snapButton()->isEnabled());
    QVERIFY(!controls.customCostLabel()->isHidden());
    const double cost = m_session->snapshot()->splits.front().outcome.cost;
    QVERIFY2(
        controls.customCostLabel()->text().startsWith(QStringLiteral("val cost %1").arg(cost, 0, 'g', 4)),
        qPrintable(controls.customCostLabel()->text()));
    // The slider stays at the budget it snaps back to.
    const int step = controls.budgetControl()->slider()->value();

    QTest::mouseClick(controls.snapButton(), Qt::LeftButton);
    waitUntilIdle(*m_controller);
    QVERIFY(!m_session->customPolicy());
    QCOMPARE(m_session->snapshot()->method, std::string("entropy-opt"));
    QCOMPARE(m_session->snapshot()->thresholds, fitted->thresholds);
    QCOMPARE(controls.methodBox()->currentText(), QStringLiteral("entropy-opt"));
    QCOMPARE(controls.budgetControl()->slider()->value(), step);
    QVERIFY(!controls.snapButton()->isEnabled());
    QVERIFY(controls.customCostLabel()->isHidden());
}

void TestHandSetThresholds::theSliderAndTheMethodBoxReturnToFittedPolicies() {
    PolicyControls controls(m_session.get());
    m_session->setThresholdByHand(0, 0.9);
    QVERIFY(m_session->customPolicy());
    // "custom" is listed, but only a threshold set by hand chooses it.
    const int custom = controls.methodBox()->findText(QStringLiteral("custom"));
    QVERIFY(custom >= 0);
    controls.budgetControl()->slider()->setValue(controls.budgetControl()->slider()->value() + 50);
    waitUntilIdle(*m_controller);
    QVERIFY(!m_session->customPolicy());
    QCOMPARE(m_session->snapshot()->method, std::string("maxprob"));
    QCOMPARE(m_session->snapshot()->budget, m_session->budget());

    m_session->setThresholdByHand(0, 0.9);
    controls.methodBox()->setCurrentText(QStringLiteral("patience"));
    waitUntilIdle(*m_controller);
    QVERIFY(!m_session->customPolicy());
    QCOMPARE(m_session->snapshot()->method, std::string("patience"));
    // Setting the box to "custom" from code cannot make a policy without thresholds.
    controls.methodBox()->setCurrentIndex(custom);
    QCOMPARE(controls.methodBox()->currentText(), QStringLiteral("patience"));
    QCOMPARE(m_session->method().name(), std::string("patience"));
}

void TestHandSetThresholds::theCurvesMarkTheCustomPoint() {
    m_session->setCurves(sweepCurves(m_session->predictions(), {*Method::parse("maxprob")}, 5));
    PolicyCurvesPlot plot(m_session.get());
    QVERIFY(test::showExposed(plot, {800, 450}));
    QCOMPARE(plot.currentPoint()->name(), QStringLiteral("maxprob at budget"));
    m_session->setThresholdByHand(1, 0.55);
    const SplitPolicy& shown = *m_session->snapshot()->split(m_session->split());
    QCPGraph* point = plot.currentPoint();
    QCOMPARE(point->name(), QStringLiteral("custom"));
    QCOMPARE(point->dataCount(), 1);
    QCOMPARE(point->data()->at(0)->key, shown.outcome.cost);
    QCOMPARE(point->data()->at(0)->value, shown.outcome.accuracyPercent);
    // A marker of its own, with its own legend entry; the base's curve stays the emphasised one.
    QCOMPARE(point->scatterStyle().shape(), QCPScatterStyle::ssCustom);
    QCPPlottableLegendItem* entry = plot.legend->itemWithPlottable(point);
    QVERIFY(entry && entry->visible());
    QVERIFY(plot.legend->hasItemWithPlottable(point));
    QVERIFY(plot.curve("maxprob"));
    QCOMPARE(plot.curve("maxprob")->pen().widthF(), 3.0);
    m_session->snapToBudget();
    waitUntilIdle(*m_controller);
    QCOMPARE(plot.currentPoint()->name(), QStringLiteral("maxprob at budget"));
    QCOMPARE(plot.currentPoint()->scatterStyle().shape(), QCPScatterStyle::ssCircle);
}

void TestHandSetThresholds::theInspectorSaysItsRowsWereRejudgedByAMovedThreshold() {
    SampleInspector inspector(m_session.get());
    m_session->setThresholdByHand(0, 0.9);
    SampleSelection selection;
    selection.split = m_session->split();
    selection.indices = {0, 1, 2};
    m_session->setSelection(selection);
    QVERIFY2(inspector.headerText().contains(QStringLiteral("exit taken under custom")),
             qPrintable(inspector.headerText()));
    // Same budget, same method ("custom"): only a threshold moves, and the rows are judged again.
    m_session->setThresholdByHand(0, 0.95);
    QVERIFY2(inspector.headerText().contains(QStringLiteral("rows re-judged under custom")),
             qPrintable(inspector.headerText()));
}

void TestHandSetThresholds::aSavedSessionBringsCustomThresholdsBack_data() {
    QTest::addColumn<QString>("base");
    QTest::newRow("heuristic") << "agreement";
    QTest::newRow("learned") << "eenet-opt";
}

void TestHandSetThresholds::aSavedSessionBringsCustomThresholdsBack() {
    QFETCH(QString, base);
    QTemporaryDir dir;
    const QString input = test::writeSynthetic(dir.filePath("input.h5"), {4, 10, 1200, 600, 5});
    const QString path = dir.filePath("saved.eenet-session");
    std::shared_ptr<const PolicySnapshot> saved;
    for (bool reopen : {false, true}) {
        Session session;
        PolicyController controller(&session);
        LoadController loader;
        QMainWindow window;
        SessionController sessions(&session, &loader, &window);
        connect(&loader, &LoadController::loaded, &session,
                [&session](const QString&, auto predictions) { session.setPredictions(predictions); });
        if (reopen) {
            QSignalSpy restored(&sessions, &SessionController::restored);
            sessions.open(path);
            QVERIFY(restored.wait(30000));
            waitUntilIdle(controller);
            QVERIFY(session.customPolicy());
            QCOMPARE(session.customPolicy()->base.name(), base.toStdString());
            const auto& back = session.snapshot();
            QVERIFY(back->isCustom());
            QCOMPARE(back->thresholds, saved->thresholds);
            for (Split split : {Split::Val, Split::Test})
                QCOMPARE(back->split(split)->outcome.exitOf, saved->split(split)->outcome.exitOf);
            continue;
        }
        QSignalSpy loaded(&loader, &LoadController::loaded);
        loader.load(input);
        QVERIFY(loaded.wait(30000));
        Evaluator evaluator(session.predictions());
        session.addScheduler(std::make_shared<const TrainedScheduler>(
            describeFit(evaluator, session.budget(), trainEENet(*session.predictions(), session.budget()))));
        session.setMethod(*Method::parse(base.toStdString()));
        waitUntilIdle(controller);
        session.setThresholdByHand(0, 0.6);
        session.setThresholdByHand(2, 0.45);
        saved = session.snapshot();
        QVERIFY(saved->isCustom());
        QSignalSpy written(&sessions, &SessionController::saved);
        sessions.save(path);
        QVERIFY(written.wait(30000));
    }
}

QTEST_MAIN(TestHandSetThresholds)
#include "tst_handsetthresholds.moc"
