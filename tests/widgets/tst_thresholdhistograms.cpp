#include "SessionFixture.h"
#include "ShowWidget.h"
#include "ThresholdEditor.h"
#include "ThresholdHistograms.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace eenet;

class TestThresholdHistograms : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void onePanelPerExitButTheLast();
    void countsMatchAnIndependentRecount();
    void thresholdLineSeparatesLeavingSamples();
    void infiniteThresholdHasNoLine();
    void labelsStayInsideTheirPanel_data();
    void labelsStayInsideTheirPanel();
    void thresholdsPrintEnoughDigits_data();
    void thresholdsPrintEnoughDigits();
    void binSelectionReturnsExactlyTheBin();
    void clickOnABarSelectsIt();
    void theSelectedBinStaysOutlined();
    void aDraggedLineSetsTheThresholdByHand();
    void splitSwitchChangesTheData();
    void learnedScoresAreShown();
    void oracleAndUnavailableShowANote();

private:
    /// Bin of `score` found by scanning the panel's edges (last bin closed).
    static int scanBin(const ThresholdHistograms::Panel& panel, double score);
    /// The session's snapshot with exit 1's threshold replaced and the outcomes re-evaluated.
    void setFirstThreshold(double threshold);

    test::SessionFixture m_data;
};

void TestThresholdHistograms::init() {
    m_data.session->setSplit(Split::Test);
    m_data.session->setSnapshot(m_data.snapshot("maxprob"));
}

int TestThresholdHistograms::scanBin(const ThresholdHistograms::Panel& panel, double score) {
    for (int b = 0; b < panel.binCount - 1; ++b)
        if (score < panel.binLower(b + 1))
            return b;
    return panel.binCount - 1;
}

void TestThresholdHistograms::onePanelPerExitButTheLast() {
    ThresholdHistograms plot(m_data.session.get());
    QCOMPARE(plot.panelCount(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(plot.panel(i).exit, i);
        QVERIFY(plot.panel(i).binCount >= 25 && plot.panel(i).binCount <= 32);
    }
    QVERIFY(!plot.note()->visible());
    QVERIFY(plot.title()->text().contains("max softmax probability"));
}

void TestThresholdHistograms::countsMatchAnIndependentRecount() {
    ThresholdHistograms plot(m_data.session.get());
    const SplitPolicy& test = *m_data.session->snapshot()->split(Split::Test);
    for (int i = 0; i < plot.panelCount(); ++i) {
        const auto& panel = plot.panel(i);
        std::vector<double> correct(size_t(panel.binCount), 0), wrong(size_t(panel.binCount), 0);
        int reaching = 0;
        for (int n = 0; n < test.data->numSamples; ++n) {
            if (test.outcome.exitOf[size_t(n)] < i)
                continue;
            ++reaching;
            const int bin = scanBin(panel, (*test.scores)(i, n));
            (test.data->correct(i, n) ? correct : wrong)[size_t(bin)] += 1;
        }
        QCOMPARE(int(panel.reaching.size()), reaching);
        QCOMPARE(panel.correct->dataCount(), panel.binCount);
        double total = 0;
        int nonEmpty = 0;
        for (int b = 0; b < panel.binCount; ++b) {
            QCOMPARE(panel.correct->data()->at(b)->value, correct[size_t(b)]);
            QCOMPARE(panel.wrong->data()->at(b)->value, wrong[size_t(b)]);
            total += correct[size_t(b)] + wrong[size_t(b)];
            nonEmpty += correct[size_t(b)] + wrong[size_t(b)] > 0;
        }
        QCOMPARE(int(total), reaching);
        QVERIFY2(nonEmpty >= 5, "the scores spread over several bins");
        QVERIFY(
            panel.rect->axis(QCPAxis::atBottom)
                ->label()
                .contains(
                    QStringLiteral("%1 samples reach it").arg(QLocale(QLocale::English).toString(reaching))));
    }
    // Everyone reaches the first exit.
    QCOMPARE(int(plot.panel(0).reaching.size()), 700);
}

void TestThresholdHistograms::thresholdLineSeparatesLeavingSamples() {
    ThresholdHistograms plot(m_data.session.get());
    const PolicySnapshot& snapshot = *m_data.session->snapshot();
    const SplitPolicy& test = *snapshot.split(Split::Test);
    for (int i = 0; i < plot.panelCount(); ++i) {
        const auto& panel = plot.panel(i);
        const double threshold = snapshot.thresholds[size_t(i)];
        QVERIFY(std::isfinite(threshold));
        QVERIFY(panel.threshold->visible());
        QCOMPARE(panel.threshold->point1->coords().x(), threshold);
        QCOMPARE(panel.threshold->point2->coords().x(), threshold);
        const auto leaving = std::count(test.outcome.exitOf.begin(), test.outcome.exitOf.end(), i);
        QCOMPARE(panel.thresholdLabel->text(), QStringLiteral("T = %1\n%2 leave →")
                                                   .arg(ThresholdHistograms::thresholdText(threshold))
                                                   .arg(leaving));
        // Bins are aligned on T: a bin right of the line holds only samples leaving here, a bin left of
        // it only samples going on.
        int leavingSeen = 0;
        for (int n : panel.reaching) {
            const bool leaves = test.outcome.exitOf[size_t(n)] == i;
            const bool rightOfLine = panel.binLower(plot.binOf(i, (*test.scores)(i, n))) >= threshold;
            QCOMPARE(rightOfLine, leaves);
            leavingSeen += leaves;
        }
        QVERIFY(leavingSeen > 0);
    }
}

void TestThresholdHistograms::infiniteThresholdHasNoLine() {
    PolicySnapshot changed = *m_data.session->snapshot();
    changed.thresholds[1] = std::numeric_limits<double>::infinity();
    for (SplitPolicy& split : changed.splits)
        split.outcome = evaluatePolicy(*split.scores, changed.thresholds, *split.data);
    m_data.session->setSnapshot(std::make_shared<const PolicySnapshot>(changed));
    ThresholdHistograms plot(m_data.session.get());
    QVERIFY(!plot.panel(1).threshold->visible());
    QCOMPARE(plot.panel(1).thresholdLabel->text(), QStringLiteral("nobody leaves here"));
    QVERIFY(plot.panel(0).threshold->visible());
}

void TestThresholdHistograms::setFirstThreshold(double threshold) {
    PolicySnapshot changed = *m_data.session->snapshot();
    changed.thresholds[0] = threshold;
    for (SplitPolicy& split : changed.splits)
        split.outcome = evaluatePolicy(*split.scores, changed.thresholds, *split.data);
    m_data.session->setSnapshot(std::make_shared<const PolicySnapshot>(changed));
}

void TestThresholdHistograms::labelsStayInsideTheirPanel_data() {
    QTest::addColumn<double>("where");
    QTest::addColumn<QSize>("size");
    // Where exit 1's threshold lies between its lowest and highest score, in a narrow and a wide dock.
    for (const QSize size : {QSize(400, 260), QSize(1280, 300)}) {
        const QByteArray at = QByteArray::number(size.width()) + " px";
        QTest::newRow("near the left edge, " + at) << 0.01 << size;
        QTest::newRow("just right of the middle, " + at) << 0.55 << size;
        QTest::newRow("near the right edge, " + at) << 0.99 << size;
    }
}

void TestThresholdHistograms::labelsStayInsideTheirPanel() {
    QFETCH(double, where);
    QFETCH(QSize, size);
    const SplitPolicy& test = *m_data.session->snapshot()->split(Split::Test);
    const auto scores = test.scores->row(0);
    setFirstThreshold(scores.minCoeff() + where * (scores.maxCoeff() - scores.minCoeff()));
    ThresholdHistograms plot(m_data.session.get());
    QVERIFY(test::showExposed(plot, size));
    plot.replot();
    for (int i = 0; i < plot.panelCount(); ++i) {
        const auto& panel = plot.panel(i);
        const QRectF label(panel.thresholdLabel->topLeft->pixelPosition(),
                           panel.thresholdLabel->bottomRight->pixelPosition());
        QVERIFY2(QRectF(panel.rect->rect()).contains(label),
                 qPrintable(QStringLiteral("panel %1: label %2,%3 %4x%5 outside the axis rect %6..%7")
                                .arg(i)
                                .arg(label.left())
                                .arg(label.top())
                                .arg(label.width())
                                .arg(label.height())
                                .arg(panel.rect->rect().left())
                                .arg(panel.rect->rect().right())));
    }
}

void TestThresholdHistograms::thresholdsPrintEnoughDigits_data() {
    QTest::addColumn<double>("threshold");
    QTest::addColumn<QString>("text");
    QTest::newRow("near 1") << 0.99963 << "0.99963";
    QTest::newRow("three digits suffice") << 0.7791234 << "0.779";
    QTest::newRow("round") << 0.5 << "0.5";
    QTest::newRow("one") << 1.0 << "1";
    QTest::newRow("near 0") << 0.0012345 << "0.00123";
    QTest::newRow("above 1") << 12.3456 << "12.3";
}

void TestThresholdHistograms::thresholdsPrintEnoughDigits() {
    QFETCH(double, threshold);
    QFETCH(QString, text);
    QCOMPARE(ThresholdHistograms::thresholdText(threshold), text);
    setFirstThreshold(threshold);
    ThresholdHistograms plot(m_data.session.get());
    QVERIFY(plot.panel(0).thresholdLabel->text().startsWith(QStringLiteral("T = %1\n").arg(text)));
}

void TestThresholdHistograms::binSelectionReturnsExactlyTheBin() {
    ThresholdHistograms plot(m_data.session.get());
    const SplitPolicy& test = *m_data.session->snapshot()->split(Split::Test);
    const auto& panel = plot.panel(1);
    int bin = -1;
    for (int b = 0; b < panel.binCount && bin < 0; ++b)
        if (panel.wrong->data()->at(b)->value > 0 && panel.correct->data()->at(b)->value > 0)
            bin = b;
    QVERIFY(bin >= 0);
    for (const bool correct : {false, true}) {
        plot.selectBin(1, bin, correct);
        const SampleSelection& selection = m_data.session->selection();
        std::vector<int> expected;
        for (int n = 0; n < test.data->numSamples; ++n)
            if (test.outcome.exitOf[size_t(n)] >= 1 && scanBin(panel, (*test.scores)(1, n)) == bin &&
                bool(test.data->correct(1, n)) == correct)
                expected.push_back(n);
        QCOMPARE(selection.split, Split::Test);
        QCOMPARE(selection.indices, expected);
        QCOMPARE(double(expected.size()), (correct ? panel.correct : panel.wrong)->data()->at(bin)->value);
        QVERIFY(selection.description.startsWith("exit 2 · score "));
        QVERIFY(selection.description.endsWith(correct ? "correct · test split" : "wrong · test split"));
    }
}

void TestThresholdHistograms::clickOnABarSelectsIt() {
    ThresholdHistograms plot(m_data.session.get());
    QVERIFY(test::showExposed(plot, {900, 450}));
    plot.replot();
    const auto& panel = plot.panel(0);
    int tallest = 0;
    for (int b = 0; b < panel.binCount; ++b)
        if (panel.correct->data()->at(b)->value > panel.correct->data()->at(tallest)->value)
            tallest = b;
    const double key = panel.correct->data()->at(tallest)->key;
    const double height = panel.correct->data()->at(tallest)->value;
    const QPoint pixel(int(panel.rect->axis(QCPAxis::atBottom)->coordToPixel(key)),
                       int(panel.rect->axis(QCPAxis::atLeft)->coordToPixel(height / 2)));
    QTest::mouseClick(&plot, Qt::LeftButton, {}, pixel);
    QCOMPARE(m_data.session->selection().indices, plot.binSelection(0, tallest, true).indices);
    QCOMPARE(int(m_data.session->selection().indices.size()), int(height));
}

void TestThresholdHistograms::splitSwitchChangesTheData() {
    ThresholdHistograms plot(m_data.session.get());
    QCOMPARE(int(plot.panel(0).reaching.size()), 700);
    m_data.session->setSplit(Split::Val);
    QCOMPARE(int(plot.panel(0).reaching.size()), 1500);
    double total = 0;
    for (int b = 0; b < plot.panel(0).binCount; ++b)
        total += plot.panel(0).correct->data()->at(b)->value + plot.panel(0).wrong->data()->at(b)->value;
    QCOMPARE(total, 1500.0);
    QVERIFY(plot.panel(0).rect->axis(QCPAxis::atBottom)->label().contains("1,500 samples reach it"));
    QVERIFY(plot.title()->text().contains("validation split"));
    plot.selectBin(0, plot.binOf(0, plot.panel(0).origin), true);
    QCOMPARE(m_data.session->selection().split, Split::Val);
}

void TestThresholdHistograms::learnedScoresAreShown() {
    const double budget = m_data.session->budget();
    m_data.session->addScheduler(std::make_shared<const TrainedScheduler>(
        describeFit(m_data.evaluator, budget, trainEENet(*m_data.predictions, budget))));
    m_data.session->setSnapshot(m_data.snapshot("eenet"));
    ThresholdHistograms plot(m_data.session.get());
    QVERIFY(plot.title()->text().contains("learned exit score"));
    QCOMPARE(plot.panelCount(), 3);
    const SplitPolicy& test = *m_data.session->snapshot()->split(Split::Test);
    for (int i = 0; i < 3; ++i) {
        const auto& panel = plot.panel(i);
        double total = 0;
        for (int b = 0; b < panel.binCount; ++b)
            total += panel.correct->data()->at(b)->value + panel.wrong->data()->at(b)->value;
        const auto reaching = std::count_if(test.outcome.exitOf.begin(), test.outcome.exitOf.end(),
                                            [&](int e) { return e >= i; });
        QCOMPARE(total, double(reaching));
        // The bins cover the learned scores of the samples reaching the exit, whatever their range.
        for (int n : panel.reaching) {
            QVERIFY(panel.binLower(0) <= (*test.scores)(i, n));
            QVERIFY(panel.binLower(panel.binCount) >= (*test.scores)(i, n));
        }
    }
}

void TestThresholdHistograms::oracleAndUnavailableShowANote() {
    ThresholdHistograms plot(m_data.session.get());
    m_data.session->setSnapshot(m_data.snapshot("oracle"));
    QCOMPARE(plot.panelCount(), 0);
    QVERIFY(plot.note()->visible());
    QVERIFY(plot.note()->text().contains("the oracle uses labels, not scores", Qt::CaseInsensitive));

    test::SessionFixture fresh(m_data.predictions);
    fresh.session->setSnapshot(fresh.snapshot("eenet"));
    QVERIFY(!fresh.session->snapshot()->available);
    ThresholdHistograms unavailable(fresh.session.get());
    QCOMPARE(unavailable.panelCount(), 0);
    QVERIFY(unavailable.note()->visible());
    QCOMPARE(unavailable.note()->text(), QString::fromStdString(fresh.session->snapshot()->note));

    m_data.session->setSnapshot(m_data.snapshot("maxprob"));
    QCOMPARE(plot.panelCount(), 3);
    QVERIFY(!plot.note()->visible());
}

void TestThresholdHistograms::theSelectedBinStaysOutlined() {
    ThresholdHistograms plot(m_data.session.get());
    const int bin = plot.binOf(1, plot.panel(1).origin);
    plot.selectBin(1, bin, true);
    QCOMPARE(plot.panel(1).correct->selection(), QCPDataSelection(QCPDataRange(bin, bin + 1)));
    QVERIFY(plot.panel(1).wrong->selection().isEmpty());
    QVERIFY(plot.panel(0).correct->selection().isEmpty());
    // The bin holding the same scores stays outlined under another budget's bin edges.
    const double centre = m_data.session->selection().origin.score;
    m_data.session->setSnapshot(m_data.snapshot("maxprob", 0.8 * m_data.session->budget()));
    const int moved = plot.binOf(1, centre);
    QCOMPARE(plot.panel(1).correct->selection(), QCPDataSelection(QCPDataRange(moved, moved + 1)));
    QVERIFY(plot.panel(1).binLower(moved) <= centre && centre < plot.panel(1).binLower(moved + 1));
    // Another split's histograms do not show the other split's selection.
    m_data.session->setSplit(m_data.session->split() == Split::Test ? Split::Val : Split::Test);
    QVERIFY(plot.panel(1).correct->selection().isEmpty());
}

void TestThresholdHistograms::aDraggedLineSetsTheThresholdByHand() {
    ThresholdHistograms plot(m_data.session.get());
    QVERIFY(test::showExposed(plot, {900, 450}));
    plot.replot();
    const auto& panel = plot.panel(2);
    QCPAxis* scores = panel.rect->axis(QCPAxis::atBottom);
    const double threshold = m_data.session->snapshot()->thresholds[2];
    const QPoint line(int(std::lround(scores->coordToPixel(threshold))), panel.rect->rect().center().y());
    QCOMPARE(plot.thresholdAt(line), 2);
    QCOMPARE(plot.thresholdAt(line + QPoint(20, 0)), -1);
    // Hovering the line offers to drag it.
    QTest::mouseMove(&plot, line);
    QCOMPARE(plot.cursor().shape(), Qt::SplitHCursor);
    const QPoint target = line + QPoint(25, 0);
    const double expected = scores->pixelToCoord(target.x() + scores->coordToPixel(threshold) - line.x());
    QTest::mousePress(&plot, Qt::LeftButton, {}, line);
    QTest::mouseMove(&plot, target);
    QTest::mouseRelease(&plot, Qt::LeftButton, {}, target);
    // The session holds the dragged value on the scores shown; the other thresholds are those shown.
    const auto& custom = m_data.session->customPolicy();
    QVERIFY(custom);
    QCOMPARE(custom->base.name(), std::string("maxprob"));
    QCOMPARE(custom->thresholds[2], expected);
    QCOMPARE(custom->thresholds[0], m_data.session->snapshot()->thresholds[0]);
    m_data.session->snapToBudget(); // the next test starts from the fitted policy
    // Closing the view with its editor open is safe.
    plot.editThreshold(0);
    QVERIFY(plot.thresholdEditor()->isVisible());
}

QTEST_MAIN(TestThresholdHistograms)
#include "tst_thresholdhistograms.moc"
