#include "ExitDistributionPlot.h"
#include "SessionFixture.h"
#include "ShowWidget.h"

#include <QTest>
#include <QToolTip>

using namespace eenet;

namespace {

const SplitPredictions& splitOf(const Predictions& predictions, Split split) {
    return split == Split::Val ? predictions.val : *predictions.test;
}

/// Exit of sample i by the threshold rule, recomputed here from the scores; the oracle's own assignment.
int exitOf(const PolicySnapshot& snapshot, const SplitPolicy& policy, int i) {
    if (!policy.scores)
        return policy.outcome.exitOf[static_cast<size_t>(i)];
    const int last = static_cast<int>(policy.scores->rows()) - 1;
    for (int k = 0; k < last; ++k)
        if ((*policy.scores)(k, i) >= snapshot.thresholds[static_cast<size_t>(k)])
            return k;
    return last;
}

/// Correctness from the raw probabilities, not from ExitData.
bool correctAt(const Predictions& predictions, Split split, int exit, int i) {
    const SplitPredictions& s = splitOf(predictions, split);
    return predictedClass(s, predictions.numClasses, exit, i) == s.labels[static_cast<size_t>(i)];
}

std::vector<int> expectedIndices(const Predictions& predictions, const PolicySnapshot& snapshot, Split split,
                                 int exit, bool correct) {
    const SplitPolicy& policy = *snapshot.split(split);
    std::vector<int> indices;
    for (int i = 0; i < policy.data->numSamples; ++i)
        if (exitOf(snapshot, policy, i) == exit && correctAt(predictions, split, exit, i) == correct)
            indices.push_back(i);
    return indices;
}

} // namespace

class TestExitDistributionPlot : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void withoutSnapshotShowsNoData();
    void barsAreTheExitFractionsSplitByCorrectness_data();
    void barsAreTheExitFractionsSplitByCorrectness();
    void anotherBudgetChangesTheBars();
    void titleStatesTheBudgetHonesty();
    void unavailableSnapshotShowsItsNote();
    void selectingABarListsExactlyItsSamples();
    void clickingABarSelectsIt();
    void theSelectedBarStaysOutlined();
    void beforeAFileItSaysHowToOpenOne();
    void resetViewFitsTheStacks();

private:
    void checkBars(const ExitDistributionPlot& plot, const PolicySnapshot& snapshot);

    test::SessionFixture m_data;
};

void TestExitDistributionPlot::init() {
    m_data.resetSession();
}

void TestExitDistributionPlot::checkBars(const ExitDistributionPlot& plot, const PolicySnapshot& snapshot) {
    for (Split split : {Split::Val, Split::Test}) {
        const SplitPolicy& policy = *snapshot.split(split);
        const int n = policy.data->numSamples;
        for (bool correct : {true, false}) {
            QCPBars* bars = plot.bars(split, correct);
            QCOMPARE(bars->dataCount(), m_data.predictions->numExits);
            for (int k = 0; k < m_data.predictions->numExits; ++k) {
                const double expected =
                    100.0 *
                    static_cast<double>(
                        expectedIndices(*m_data.predictions, snapshot, split, k, correct).size()) /
                    n;
                QCOMPARE(bars->data()->at(k)->value, expected);
            }
        }
        // Both parts of an exit's stack together are the outcome's exit fraction.
        for (int k = 0; k < m_data.predictions->numExits; ++k)
            QVERIFY(std::abs(plot.bars(split, true)->data()->at(k)->value +
                             plot.bars(split, false)->data()->at(k)->value -
                             100.0 * policy.outcome.exitFractions[static_cast<size_t>(k)]) < 1e-9);
    }
    // Wrong stacks on correct, and the two splits stand apart at each exit.
    QCOMPARE(plot.bars(Split::Val, false)->barBelow(), plot.bars(Split::Val, true));
    QVERIFY(plot.bars(Split::Val, true)->data()->at(0)->key <
            plot.bars(Split::Test, true)->data()->at(0)->key);
    QVERIFY(plot.bars(Split::Val, true)->brush().color() != plot.bars(Split::Test, true)->brush().color());
}

void TestExitDistributionPlot::withoutSnapshotShowsNoData() {
    ExitDistributionPlot plot(m_data.session.get());
    QVERIFY(plot.message()->visible());
    QCOMPARE(plot.message()->text(), QStringLiteral("No data"));
    QCOMPARE(plot.bars(Split::Val, true)->dataCount(), 0);
}

void TestExitDistributionPlot::barsAreTheExitFractionsSplitByCorrectness_data() {
    QTest::addColumn<QString>("method");
    QTest::newRow("maxprob") << "maxprob";
    QTest::newRow("entropy-opt") << "entropy-opt";
    QTest::newRow("oracle") << "oracle";
}

void TestExitDistributionPlot::barsAreTheExitFractionsSplitByCorrectness() {
    QFETCH(QString, method);
    ExitDistributionPlot plot(m_data.session.get());
    auto snapshot = m_data.snapshot(method.toUtf8().constData(), m_data.session->budget());
    m_data.session->setSnapshot(snapshot);
    QVERIFY(!plot.message()->visible());
    checkBars(plot, *snapshot);
    auto* ticker = dynamic_cast<QCPAxisTickerText*>(plot.xAxis->ticker().data());
    QVERIFY(ticker);
    QCOMPARE(ticker->ticks().value(2.0).replace(QLatin1Char('\n'), QLatin1Char(' ')),
             QString::fromStdString(m_data.predictions->exitNames[1]));
}

void TestExitDistributionPlot::anotherBudgetChangesTheBars() {
    ExitDistributionPlot plot(m_data.session.get());
    const double low = test::budgetAt(*m_data.predictions, 0.25);
    const double high = test::budgetAt(*m_data.predictions, 0.75);
    m_data.session->setSnapshot(m_data.snapshot("maxprob", low));
    const double firstExitAtLow = plot.bars(Split::Val, true)->data()->at(0)->value;
    auto later = m_data.snapshot("maxprob", high);
    m_data.session->setSnapshot(later);
    checkBars(plot, *later);
    // More budget lets fewer samples leave at the first exit.
    QVERIFY(plot.bars(Split::Val, true)->data()->at(0)->value < firstExitAtLow);
    QVERIFY(plot.title().contains(QString::number(high, 'g', 4)));
}

void TestExitDistributionPlot::titleStatesTheBudgetHonesty() {
    ExitDistributionPlot plot(m_data.session.get());
    auto snapshot = m_data.snapshot("maxprob", m_data.session->budget());
    m_data.session->setSnapshot(snapshot);
    QVERIFY(plot.title().contains(QStringLiteral("maxprob")));
    QVERIFY(plot.title().contains(QString::number(snapshot->budget, 'g', 4) + " ms"));
    for (Split split : {Split::Val, Split::Test}) {
        const double cost = snapshot->split(split)->outcome.cost;
        QVERIFY2(plot.subtitle().contains(QString::fromStdString(splitName(split)) + " " +
                                          QString::number(cost, 'g', 4)),
                 qPrintable(plot.subtitle()));
    }
    const double testDifference = snapshot->split(Split::Test)->outcome.cost - snapshot->budget;
    QVERIFY(plot.subtitle().contains(testDifference >= 0 ? "(+" : "(−"));
}

void TestExitDistributionPlot::unavailableSnapshotShowsItsNote() {
    ExitDistributionPlot plot(m_data.session.get());
    m_data.session->setSnapshot(m_data.snapshot("maxprob", m_data.session->budget()));
    QVERIFY(plot.bars(Split::Test, false)->dataCount() > 0);
    auto eenet = m_data.snapshot("eenet", m_data.session->budget());
    QVERIFY(!eenet->available);
    QVERIFY(!eenet->note.empty());
    m_data.session->setSnapshot(eenet);
    QVERIFY(plot.message()->visible());
    QCOMPARE(plot.message()->text(), QString::fromStdString(eenet->note));
    for (Split split : {Split::Val, Split::Test})
        for (bool correct : {true, false})
            QCOMPARE(plot.bars(split, correct)->dataCount(), 0);
    // Selecting nothing that is not there.
    plot.selectBar(Split::Val, 0, true);
    QVERIFY(m_data.session->selection().indices.empty());
}

void TestExitDistributionPlot::selectingABarListsExactlyItsSamples() {
    ExitDistributionPlot plot(m_data.session.get());
    auto snapshot = m_data.snapshot("maxprob", m_data.session->budget());
    m_data.session->setSnapshot(snapshot);
    size_t total = 0;
    for (Split split : {Split::Val, Split::Test}) {
        for (int k = 0; k < m_data.predictions->numExits; ++k) {
            for (bool correct : {true, false}) {
                plot.selectBar(split, k, correct);
                const SampleSelection& selection = m_data.session->selection();
                QCOMPARE(selection.split, split);
                QCOMPARE(selection.indices,
                         expectedIndices(*m_data.predictions, *snapshot, split, k, correct));
                QVERIFY(selection.description.startsWith(QStringLiteral("exit %1 · ").arg(k + 1)));
                QVERIFY(selection.description.contains(correct ? "· correct ·" : "· wrong ·"));
                QVERIFY(selection.description.contains(QString::fromStdString(splitName(split)) + " split"));
                QVERIFY(selection.description.contains("maxprob @ "));
                total += selection.indices.size();
            }
        }
    }
    // Every sample of both splits is in exactly one bar.
    QCOMPARE(total,
             static_cast<size_t>(m_data.predictions->val.numSamples + m_data.predictions->test->numSamples));
}

void TestExitDistributionPlot::clickingABarSelectsIt() {
    ExitDistributionPlot plot(m_data.session.get());
    auto snapshot = m_data.snapshot("maxprob", m_data.session->budget());
    m_data.session->setSnapshot(snapshot);
    QVERIFY(test::showExposed(plot, {700, 450}));
    plot.replot(QCustomPlot::rpImmediateRefresh);

    // The test split's tallest wrong part: big enough to hit in the middle.
    QCPBars* wrong = plot.bars(Split::Test, false);
    int exit = 0;
    for (int k = 1; k < wrong->dataCount(); ++k)
        if (wrong->data()->at(k)->value > wrong->data()->at(exit)->value)
            exit = k;
    const double base = plot.bars(Split::Test, true)->data()->at(exit)->value;
    const QPoint centre(qRound(plot.xAxis->coordToPixel(wrong->data()->at(exit)->key)),
                        qRound(plot.yAxis->coordToPixel(base + 0.5 * wrong->data()->at(exit)->value)));
    QTest::mouseClick(&plot, Qt::LeftButton, Qt::NoModifier, centre);
    QCOMPARE(m_data.session->selection().split, Split::Test);
    const auto expected = expectedIndices(*m_data.predictions, *snapshot, Split::Test, exit, false);
    QCOMPARE(m_data.session->selection().indices, expected);

    // Hovering the same bar tells its counts.
    QTest::mouseMove(&plot, centre);
    QTRY_VERIFY(QToolTip::isVisible());
    QVERIFY2(QToolTip::text().contains(QStringLiteral("wrong: %1 ").arg(expected.size())),
             qPrintable(QToolTip::text()));
    const double accuracy =
        snapshot->split(Split::Test)->outcome.perExitAccuracyPercent[static_cast<size_t>(exit)];
    QVERIFY(QToolTip::text().contains(QString::number(accuracy, 'f', 2) + " %"));
}

void TestExitDistributionPlot::resetViewFitsTheStacks() {
    ExitDistributionPlot plot(m_data.session.get());
    m_data.session->setSnapshot(m_data.snapshot("maxprob", m_data.session->budget()));
    plot.xAxis->setRange(10, 20);
    plot.resetView();
    QVERIFY(plot.xAxis->range().contains(1 - 0.4) &&
            plot.xAxis->range().contains(m_data.predictions->numExits + 0.4));
    QCOMPARE(plot.yAxis->range().lower, 0.0);
    for (Split split : {Split::Val, Split::Test})
        for (int k = 0; k < m_data.predictions->numExits; ++k)
            QVERIFY(plot.bars(split, true)->data()->at(k)->value +
                        plot.bars(split, false)->data()->at(k)->value <
                    plot.yAxis->range().upper);
}

void TestExitDistributionPlot::theSelectedBarStaysOutlined() {
    ExitDistributionPlot plot(m_data.session.get());
    const auto outlined = [&plot](Split split, bool correct) {
        return plot.bars(split, correct)->selection();
    };
    m_data.session->setSnapshot(m_data.snapshot("maxprob", m_data.session->budget()));
    plot.selectBar(Split::Test, 1, false);
    const QCPDataSelection exit2(QCPDataRange(1, 2));
    QCOMPARE(outlined(Split::Test, false), exit2);
    QVERIFY(outlined(Split::Test, true).isEmpty());
    QVERIFY(outlined(Split::Val, false).isEmpty());
    // Another budget re-judges the selection: the same bar stays outlined.
    m_data.session->setSnapshot(m_data.snapshot("maxprob", 0.8 * m_data.session->budget()));
    QCOMPARE(outlined(Split::Test, false), exit2);
    // A selection made elsewhere takes the outline away.
    SampleSelection elsewhere;
    elsewhere.indices = {0};
    m_data.session->setSelection(elsewhere);
    for (Split split : {Split::Val, Split::Test})
        for (bool correct : {true, false})
            QVERIFY(outlined(split, correct).isEmpty());
}

void TestExitDistributionPlot::beforeAFileItSaysHowToOpenOne() {
    Session empty;
    ExitDistributionPlot plot(&empty);
    QVERIFY(plot.message()->visible());
    QVERIFY(plot.message()->text().contains(QStringLiteral("Open a predictions file")));
    QVERIFY(!plot.xAxis->visible());
    QVERIFY(!plot.yAxis->visible());
    empty.setPredictions(m_data.predictions);
    QVERIFY(plot.xAxis->visible() && plot.yAxis->visible());
}

QTEST_MAIN(TestExitDistributionPlot)
#include "tst_exitdistributionplot.moc"
