#include "ExitFlowView.h"
#include "FlowCanvas.h"
#include "InputsFixture.h"
#include "SessionFixture.h"
#include "ShowWidget.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QTest>

#include <cmath>

using namespace eenet;

Q_DECLARE_METATYPE(std::shared_ptr<const Predictions>)

namespace {

const SplitPredictions& splitOf(const Predictions& predictions, Split split) {
    return split == Split::Val ? predictions.val : *predictions.test;
}

/// The bands counted here from the policy's exits and the raw probabilities, not from ExitData.
std::vector<FlowBand> expectedBands(const Predictions& predictions, const SplitPolicy& policy) {
    const SplitPredictions& split = splitOf(predictions, policy.split);
    std::vector<FlowBand> bands(static_cast<size_t>(predictions.numExits));
    for (int i = 0; i < split.numSamples; ++i) {
        const int exit = policy.outcome.exitOf[static_cast<size_t>(i)];
        const bool correct =
            predictedClass(split, predictions.numClasses, exit, i) == split.labels[static_cast<size_t>(i)];
        ++(correct ? bands[static_cast<size_t>(exit)].leftCorrect
                   : bands[static_cast<size_t>(exit)].leftWrong);
    }
    int remaining = split.numSamples;
    for (FlowBand& band : bands) {
        remaining -= band.left();
        band.continuing = remaining;
    }
    return bands;
}

void compareBands(const std::vector<FlowBand>& actual, const std::vector<FlowBand>& expected) {
    QCOMPARE(actual.size(), expected.size());
    for (size_t k = 0; k < actual.size(); ++k) {
        QCOMPARE(actual[k].continuing, expected[k].continuing);
        QCOMPARE(actual[k].leftCorrect, expected[k].leftCorrect);
        QCOMPARE(actual[k].leftWrong, expected[k].leftWrong);
    }
}

/// A 6-exit file with the sample's long exit names and sub-millisecond costs: the hardest texts to fit.
std::shared_ptr<const Predictions> sixLongExits() {
    auto predictions = std::make_shared<Predictions>(makeSyntheticPredictions({6, 10, 1000, 500, 5}));
    predictions->costs = {0.0567, 0.1138, 0.1487, 0.2213, 0.3342, 0.4777};
    for (int k = 0; k < 6; ++k)
        predictions->exitNames[size_t(k)] =
            "exit " + std::to_string(k + 1) + " (block " + std::to_string(k + 1) + ")";
    return predictions;
}

/// A session over `predictions` showing `method` at the middle budget on the test split.
std::unique_ptr<test::SessionFixture> showing(std::shared_ptr<const Predictions> predictions,
                                              const char* method = "maxprob") {
    auto data = std::make_unique<test::SessionFixture>(std::move(predictions));
    data->session->setSplit(Split::Test);
    data->session->setSnapshot(data->snapshot(method));
    return data;
}

} // namespace

/// The flow view draws, per exit, exactly the samples the session's policy sends on and out, right and
/// wrong; says what the policy saves; follows budget and split; animates real samples to their exit with
/// play, pause and step; reads only the thumbnails it draws; and fits every text at the studio's sizes.
class TestExitFlowView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void bandsMatchTheSnapshot_data();
    void bandsMatchTheSnapshot();
    void bandsFollowTheBudget();
    void captionStatesTheSaving_data();
    void captionStatesTheSaving();
    void oracleSaysItKnowsTheRightExit();
    void splitSwitchRestartsTheStream();
    void withoutDataOrPolicyAMessageExplains();
    void stepSendsTheNextSampleToItsExit_data();
    void stepSendsTheNextSampleToItsExit();
    void buttonsPlayPauseAndStep();
    void timerRunsOnlyWhileShownAndMoving();
    void readsOnlyTheThumbnailsInFlight();
    void textInputsAndNoInputsFlyAsDots();
    void labelsFitAndNeverOverlap_data();
    void labelsFitAndNeverOverlap();
    void tooltipGivesAnExitsNumbers();

private:
    /// A paused view of `m_data`'s session (nothing in flight until a test plays or steps).
    std::unique_ptr<ExitFlowView> pausedView();

    test::SessionFixture m_data;
};

void TestExitFlowView::init() {
    m_data.resetSession();
    m_data.session->setSplit(Split::Test);
    m_data.session->setSnapshot(m_data.snapshot("maxprob"));
}

std::unique_ptr<ExitFlowView> TestExitFlowView::pausedView() {
    auto view = std::make_unique<ExitFlowView>(m_data.session.get());
    view->setPlaying(false);
    return view;
}

void TestExitFlowView::bandsMatchTheSnapshot_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<Split>("split");
    QTest::addColumn<double>("share");
    QTest::newRow("maxprob test") << "maxprob" << Split::Test << 0.4;
    QTest::newRow("entropy-opt val") << "entropy-opt" << Split::Val << 0.2;
    QTest::newRow("patience test, high budget") << "patience" << Split::Test << 0.9;
    QTest::newRow("oracle test") << "oracle" << Split::Test << 0.3;
}

void TestExitFlowView::bandsMatchTheSnapshot() {
    QFETCH(QString, method);
    QFETCH(Split, split);
    QFETCH(double, share);
    m_data.session->setSplit(split);
    ExitFlowView view(m_data.session.get());
    auto snapshot = m_data.snapshot(method.toUtf8().constData(), test::budgetAt(*m_data.predictions, share));
    m_data.session->setSnapshot(snapshot);
    const SplitPolicy& policy = *snapshot->split(split);
    const std::vector<FlowBand> bands = view.bands();
    compareBands(bands, expectedBands(*m_data.predictions, policy));

    // Everyone enters the first stage; each gate takes its leavers off the band; the last takes the rest.
    const int n = policy.data->numSamples;
    QCOMPARE(bands.front().entering(), n);
    for (size_t k = 1; k < bands.size(); ++k)
        QCOMPARE(bands[k].continuing, bands[k - 1].continuing - bands[k].left());
    QCOMPARE(bands.back().continuing, 0);
    for (size_t k = 0; k < bands.size(); ++k)
        QVERIFY(std::abs(double(bands[k].left()) / n - policy.outcome.exitFractions[k]) < 1e-12);
    QVERIFY(view.message().isEmpty());

    // The drawing is to scale: the slice leaving at each exit is its share of the band.
    const FlowGeometry& geometry = view.canvas()->flowGeometry();
    for (size_t k = 0; k < bands.size(); ++k) {
        const double px = geometry.stages()[k].correctPx + geometry.stages()[k].wrongPx;
        QVERIFY(std::abs(px - geometry.bandHeight() * bands[k].left() / n) < 1e-9);
    }
}

void TestExitFlowView::bandsFollowTheBudget() {
    ExitFlowView view(m_data.session.get());
    m_data.session->setSnapshot(m_data.snapshot("maxprob", test::budgetAt(*m_data.predictions, 0.25)));
    const std::vector<FlowBand> low = view.bands();
    const QString lowCaption = view.caption();
    auto high = m_data.snapshot("maxprob", test::budgetAt(*m_data.predictions, 0.75));
    m_data.session->setSnapshot(high);
    compareBands(view.bands(), expectedBands(*m_data.predictions, *high->split(Split::Test)));
    // More budget: fewer leave at the first exit, more go all the way, less is saved.
    QVERIFY(view.bands().front().left() < low.front().left());
    QVERIFY(view.bands().back().left() > low.back().left());
    QVERIFY(view.caption() != lowCaption);
    QVERIFY(view.title().contains(QString::number(high->budget, 'g', 4)));
}

void TestExitFlowView::captionStatesTheSaving_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<double>("share");
    QTest::newRow("maxprob low") << "maxprob" << 0.1;
    QTest::newRow("maxprob high") << "maxprob" << 0.8;
    QTest::newRow("oracle") << "oracle" << 0.5;
}

void TestExitFlowView::captionStatesTheSaving() {
    QFETCH(QString, method);
    QFETCH(double, share);
    ExitFlowView view(m_data.session.get());
    QVERIFY(test::showExposed(view, QSize(900, 450)));
    m_data.session->setSnapshot(
        m_data.snapshot(method.toUtf8().constData(), test::budgetAt(*m_data.predictions, share)));
    // The realised cost from the drawn bands: each leaver pays the cumulative cost of its exit.
    const std::vector<double>& costs = m_data.predictions->costs;
    double total = 0;
    int n = 0;
    for (size_t k = 0; k < costs.size(); ++k) {
        total += view.bands()[k].left() * costs[k];
        n += view.bands()[k].left();
    }
    const double cost = total / n;
    QVERIFY(std::abs(cost - m_data.session->snapshot()->split(Split::Test)->outcome.cost) < 1e-12);
    const QString expected =
        QStringLiteral(
            "compute saved vs running every sample to the last exit: %1 % (realised cost %2 ms of %3 ms)")
            .arg(100.0 * (1.0 - cost / costs.back()), 0, 'f', 1)
            .arg(QString::number(cost, 'g', 3), QString::number(costs.back(), 'g', 3));
    QCOMPARE(view.caption(), expected);
    const auto& labels = view.canvas()->labels();
    QCOMPARE(labels.back().text.lines.join(QLatin1Char(' ')), expected);
}

void TestExitFlowView::oracleSaysItKnowsTheRightExit() {
    ExitFlowView view(m_data.session.get());
    QVERIFY(test::showExposed(view, QSize(900, 450)));
    m_data.session->setSnapshot(m_data.snapshot("oracle"));
    QVERIFY(view.title().startsWith(QStringLiteral("oracle: knows the right exit")));
    // No rule at its gates: nothing is written there.
    const FlowGeometry& geometry = view.canvas()->flowGeometry();
    for (const FlowLabel& label : view.canvas()->labels())
        for (const FlowGeometry::Stage& stage : geometry.stages())
            if (label.rect == stage.gateText)
                QVERIFY(label.text.lines.isEmpty());
    m_data.session->setSnapshot(m_data.snapshot("maxprob"));
    const QStringList firstGate = view.canvas()->labels()[2].text.lines;
    QCOMPARE(firstGate.value(0), QStringLiteral("leave if"));
    QVERIFY(firstGate.value(1).contains(QString::number(m_data.session->snapshot()->thresholds[0], 'g', 3)));
}

void TestExitFlowView::splitSwitchRestartsTheStream() {
    auto view = pausedView();
    view->step();
    QCOMPARE(int(view->animation().flights().size()), 1);
    m_data.session->setSplit(Split::Val);
    compareBands(view->bands(),
                 expectedBands(*m_data.predictions, *m_data.session->snapshot()->split(Split::Val)));
    QVERIFY(view->title().contains(QStringLiteral("validation split")));
    // The sample in flight was a test sample: gone with its split.
    QVERIFY(view->animation().flights().empty());
}

void TestExitFlowView::withoutDataOrPolicyAMessageExplains() {
    Session empty;
    ExitFlowView nothing(&empty);
    QCOMPARE(nothing.message(), QStringLiteral("No data"));
    QVERIFY(nothing.bands().empty());
    QVERIFY(nothing.caption().isEmpty());
    nothing.step();
    QVERIFY(nothing.animation().flights().empty());
    QVERIFY(!nothing.stepButton()->isEnabled());

    ExitFlowView view(m_data.session.get());
    auto untrained = m_data.snapshot("eenet");
    QVERIFY(!untrained->available);
    m_data.session->setSnapshot(untrained);
    QCOMPARE(view.message(), QString::fromStdString(untrained->note));
    QVERIFY(view.bands().empty());
    m_data.session->setSnapshot(m_data.snapshot("maxprob"));
    QVERIFY(view.message().isEmpty());
    QCOMPARE(int(view.bands().size()), 4);
}

void TestExitFlowView::stepSendsTheNextSampleToItsExit_data() {
    QTest::addColumn<QString>("method");
    QTest::newRow("maxprob") << "maxprob";
    QTest::newRow("oracle") << "oracle";
}

void TestExitFlowView::stepSendsTheNextSampleToItsExit() {
    QFETCH(QString, method);
    m_data.session->setSnapshot(m_data.snapshot(method.toUtf8().constData()));
    auto view = pausedView();
    view->setSpeedFactor(4);
    QVERIFY(test::showExposed(*view, QSize(900, 450)));
    QVERIFY(view->animation().flights().empty());
    QVERIFY(!view->animating());

    view->step();
    const int sample = view->animation().order().front();
    QCOMPARE(view->animation().lastStepped(), sample);
    const SplitPolicy& policy = *m_data.session->snapshot()->split(Split::Test);
    const int exit = policy.outcome.exitOf[size_t(sample)];
    const Flight* flight = view->animation().flightOf(sample);
    QVERIFY(flight);
    QCOMPARE(flight->exit, exit);
    QVERIFY(view->animating());
    QVERIFY(view->story().contains(QStringLiteral("on its way")));

    // Time runs until it lands in its exit's tray, then stands still with the sample resting there.
    QTRY_VERIFY(!view->animating());
    flight = view->animation().flightOf(sample);
    QVERIFY(flight && flight->landed());
    const bool correct = policy.data->correct(exit, sample) != 0;
    const FlowGeometry& geometry = view->canvas()->flowGeometry();
    const QPointF at = geometry.pointOf(*flight, correct, 0.5);
    QCOMPARE(geometry.exitAt(at), exit);
    QVERIFY(at.y() > geometry.bandTop() + geometry.bandHeight());
    QVERIFY(view->story().contains(QStringLiteral("sample %1").arg(sample)));
    QVERIFY(view->story().contains(QString::fromStdString(m_data.predictions->exitNames[size_t(exit)])));
    QVERIFY(view->story().contains(correct ? QStringLiteral("right") : QStringLiteral("wrong")));

    // The next step sends the next sample of the order.
    view->step();
    QCOMPARE(view->animation().lastStepped(), view->animation().order()[1]);
}

void TestExitFlowView::buttonsPlayPauseAndStep() {
    ExitFlowView view(m_data.session.get());
    QVERIFY(test::showExposed(view, QSize(900, 450)));
    // It plays from the start: the story runs without a click.
    QVERIFY(view.playing());
    QCOMPARE(view.playButton()->text(), QStringLiteral("Pause"));
    QTRY_VERIFY(!view.animation().flights().empty());

    QTest::mouseClick(view.playButton(), Qt::LeftButton);
    QVERIFY(!view.playing());
    QCOMPARE(view.playButton()->text(), QStringLiteral("Play"));
    QVERIFY(!view.animating());

    QTest::mouseClick(view.stepButton(), Qt::LeftButton);
    QVERIFY(!view.playing());
    QVERIFY(view.animation().lastStepped() >= 0);
    QVERIFY(view.animating());

    QTest::mouseClick(view.playButton(), Qt::LeftButton);
    QVERIFY(view.playing());
    QCOMPARE(view.playButton()->text(), QStringLiteral("Pause"));

    view.speedBox()->setCurrentIndex(view.speedBox()->findData(2.0));
    QCOMPARE(view.speedFactor(), 2.0);
    QCOMPARE(view.animation().speed(), 2.0 * ExitFlowView::kStagesPerSecond);
}

void TestExitFlowView::timerRunsOnlyWhileShownAndMoving() {
    ExitFlowView view(m_data.session.get());
    QVERIFY(!view.animating());
    QVERIFY(test::showExposed(view, QSize(900, 450)));
    QVERIFY(view.animating());
    view.hide();
    QVERIFY(!view.animating());
    view.show();
    QVERIFY(view.animating());
    view.setPlaying(false);
    QVERIFY(!view.animating());
}

void TestExitFlowView::readsOnlyTheThumbnailsInFlight() {
    const auto data = showing(test::withInputs(*m_data.predictions, InputKind::Image));
    const auto* inputs = dynamic_cast<const test::CountingInputs*>(data->predictions->test->inputs.get());
    QVERIFY(inputs);
    ExitFlowView view(data->session.get());
    view.setSpeedFactor(4);
    QVERIFY(test::showExposed(view, QSize(900, 450)));
    QTRY_VERIFY(view.animation().flights().size() >= 5);
    view.setPlaying(false);
    view.canvas()->grab();
    // Read once per sample drawn so far: a handful of the 700.
    QVERIFY(inputs->reads() >= int(view.animation().flights().size()));
    QVERIFY(inputs->reads() < 100);
    const int reads = inputs->reads();
    view.canvas()->grab();
    QCOMPARE(inputs->reads(), reads);
}

void TestExitFlowView::textInputsAndNoInputsFlyAsDots() {
    const auto data = showing(test::withInputs(*m_data.predictions, InputKind::Text));
    const auto* inputs = dynamic_cast<const test::CountingInputs*>(data->predictions->test->inputs.get());
    QVERIFY(inputs);
    ExitFlowView view(data->session.get());
    QVERIFY(test::showExposed(view, QSize(700, 400)));
    QTRY_VERIFY(view.animation().flights().size() >= 3);
    view.canvas()->grab();
    QCOMPARE(inputs->reads(), 0);

    // The fixture's file has no inputs at all.
    QVERIFY(!m_data.predictions->test->inputs);
    ExitFlowView plain(m_data.session.get());
    QVERIFY(test::showExposed(plain, QSize(700, 400)));
    QTRY_VERIFY(plain.animation().flights().size() >= 3);
    QVERIFY(!plain.canvas()->grab().isNull());
}

void TestExitFlowView::labelsFitAndNeverOverlap_data() {
    QTest::addColumn<std::shared_ptr<const Predictions>>("predictions");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QSize>("size");
    for (QSize size : {QSize(900, 450), QSize(700, 400)}) {
        const QString at = QStringLiteral(" %1x%2").arg(size.width()).arg(size.height());
        QTest::newRow(qPrintable("4 exits" + at)) << test::chartPredictions() << "maxprob" << size;
        QTest::newRow(qPrintable("6 long exits" + at)) << sixLongExits() << "entropy" << size;
        QTest::newRow(qPrintable("oracle" + at)) << sixLongExits() << "oracle" << size;
    }
    // The view's minimum size still fits a 4-exit model's texts.
    QTest::newRow("4 exits at the minimum size") << test::chartPredictions() << "maxprob" << QSize(560, 340);
}

void TestExitFlowView::labelsFitAndNeverOverlap() {
    QFETCH(std::shared_ptr<const Predictions>, predictions);
    QFETCH(QString, method);
    QFETCH(QSize, size);
    const auto data = showing(predictions, method.toUtf8().constData());
    ExitFlowView view(data->session.get());
    QVERIFY(test::showExposed(view, size));
    const QRectF canvas = view.canvas()->rect();
    const auto& labels = view.canvas()->labels();
    QCOMPARE(int(labels.size()), 2 + 3 * predictions->numExits);
    std::vector<QRectF> inked;
    for (const FlowLabel& label : labels) {
        if (label.text.lines.isEmpty())
            continue;
        const QFontMetricsF metrics(label.font);
        QVERIFY2(canvas.contains(label.rect), qPrintable(label.text.lines.join('|')));
        QVERIFY(label.text.lines.size() * metrics.lineSpacing() <= label.rect.height() + 0.5);
        for (int n = 0; n < label.text.lines.size(); ++n) {
            const QString& line = label.text.lines[n];
            const bool swatch =
                size_t(n) < label.text.swatches.size() && label.text.swatches[size_t(n)].isValid();
            QVERIFY2(!line.contains(QChar(0x2026)), qPrintable(line)); // nothing elided
            QVERIFY2((swatch ? swatchIndent(label.font) : 0) + metrics.horizontalAdvance(line) <=
                         label.rect.width() + 0.5,
                     qPrintable(line));
        }
        inked.push_back(label.rect);
    }
    for (size_t a = 0; a < inked.size(); ++a)
        for (size_t b = a + 1; b < inked.size(); ++b)
            QVERIFY(!inked[a].intersects(inked[b]));
    // The texts stay clear of the drawing: above the band, or below the trays.
    const FlowGeometry& geometry = view.canvas()->flowGeometry();
    for (const FlowGeometry::Stage& stage : geometry.stages()) {
        QVERIFY(stage.gateText.bottom() < geometry.bandTop());
        QVERIFY(stage.stageText.bottom() < geometry.bandTop());
        QVERIFY(stage.trayText.top() > geometry.trayY());
        QVERIFY(stage.box.right() < stage.gateText.left());
    }
    QVERIFY(geometry.bandHeight() >= 30);
}

void TestExitFlowView::tooltipGivesAnExitsNumbers() {
    ExitFlowView view(m_data.session.get());
    QVERIFY(test::showExposed(view, QSize(900, 450)));
    const FlowGeometry& geometry = view.canvas()->flowGeometry();
    const FlowBand band = view.bands()[1];
    const QString tip = view.canvas()->toolTipAt(geometry.stages()[1].trayText.center());
    QVERIFY(tip.contains(QString::fromStdString(m_data.predictions->exitNames[1])));
    QVERIFY(tip.contains(QStringLiteral("%1 correct, %2 wrong").arg(band.leftCorrect).arg(band.leftWrong)));
    QVERIFY(tip.contains(QStringLiteral("reach this exit: %1").arg(band.entering())));
    QVERIFY(tip.contains(QString::number(m_data.session->snapshot()->thresholds[1], 'g', 6)));
    QVERIFY(view.canvas()->toolTipAt(QPointF(1, geometry.trayY() + 1)).isEmpty());
}

QTEST_MAIN(TestExitFlowView)
#include "tst_exitflowview.moc"
