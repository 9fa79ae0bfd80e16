#include "ClassAccuracyChart.h"
#include "ClassExitMap.h"
#include "ClassExitMapPanel.h"
#include "SessionFixture.h"
#include "ShowWidget.h"

#include <QApplication>
#include <QComboBox>
#include <QFontMetrics>
#include <QTest>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace eenet;

class TestClassExitMap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cellsEqualPerClassExitFractions();
    void cellSelectionHoldsTheClassSamplesLeavingThere();
    void clickOnACellSelectsIt();
    void theSelectedCellStaysOutlined();
    void splitSwitchChangesTheData();
    void learnedPolicyAndOracleAreShown();
    void manyClassesDrawWithoutText_data();
    void manyClassesDrawWithoutText();
    void thousandClassesShowTheTwentyThatExitLatest();
    void everyOrderSortsTheRows();
    void theChoiceSurvivesPolicyAndSplitButNotANewFile();
    void allThousandRowsScrollAndStillHitTheirClass();
    void panelChoosesRowsAndOrder();
    void emptyStatesShowANote();
    void titleFitsItsWidth_data();
    void titleFitsItsWidth();
    void accuracyChartShowsWhoPays();
    void accuracyChartShowsTheWorstOfManyClasses();
    void accuracyChartStaysReadableWithLongNames();

private:
    static void compareCells(const ClassExitMap& map, const SplitPolicy& shown);
    /// Every class, sorted by `key` (smaller first, ties by class index), classes without samples last.
    static std::vector<int> sortedBy(const std::vector<double>& key);
    /// Per class, the mean exit index of its samples under the shown policy; NaN without samples.
    static std::vector<double> meanExits(const SplitPolicy& shown);
    /// Class names are never drawn closer than a line of their font.
    static void checkRowLabelsApart(const ClassExitMap& map);

    test::SessionFixture m_data;
    /// 1000 classes, 3 exits, 3 validation and 3 test samples per class on average.
    test::SessionFixture m_thousand{test::sharedSynthetic({3, 1000, 3000, 3000, 7})};
};

void TestClassExitMap::init() {
    m_thousand.resetSession();
    m_data.session->setSplit(Split::Test);
    m_data.session->setSnapshot(m_data.snapshot("maxprob"));
}

void TestClassExitMap::cellsEqualPerClassExitFractions() {
    ClassExitMap map(m_data.session.get());
    const SplitPolicy& test = *m_data.session->snapshot()->split(Split::Test);
    compareCells(map, test);
    // Not a degenerate policy: some class leaves at more than one exit.
    QVERIFY((test.outcome.perClassExitFractions.array() > 0).count() > 10);

    QCOMPARE(int(map.cellTexts().size()), 10 * 4);
    QCOMPARE(map.cellTexts()[size_t(3 * 4 + 2)]->text(),
             QString::number(test.outcome.perClassExitFractions(3, 2), 'f', 2));
    QCOMPARE(map.cellTexts()[size_t(3 * 4 + 2)]->position->coords(), QPointF(2, 3));

    // Class names top to bottom in class order, exit names along x.
    QVERIFY(map.yAxis->rangeReversed());
    const auto classTicks = qSharedPointerCast<QCPAxisTickerText>(map.yAxis->ticker())->ticks();
    QCOMPARE(classTicks.size(), 10);
    for (int c = 0; c < 10; ++c)
        QCOMPARE(classTicks.value(c), QString::fromStdString(m_data.predictions->classNames[size_t(c)]));
    const auto exitTicks = qSharedPointerCast<QCPAxisTickerText>(map.xAxis->ticker())->ticks();
    QCOMPARE(exitTicks.value(3), QString::fromStdString(m_data.predictions->exitNames[3]));
    QCOMPARE(map.colorScale()->axis()->label(), QStringLiteral("share of the class leaving here"));
    QVERIFY(!map.note()->visible());
    // Ten classes: every one, in class order, and the title does not say which.
    QCOMPARE(map.order(), ClassOrder::ClassIndex);
    QCOMPARE(map.rowLimit(), 0);
    QCOMPARE(map.rowClasses(), std::vector<int>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
    QVERIFY(map.caption().isEmpty());
}

void TestClassExitMap::cellSelectionHoldsTheClassSamplesLeavingThere() {
    ClassExitMap map(m_data.session.get());
    const SplitPolicy& test = *m_data.session->snapshot()->split(Split::Test);
    int classSize = 0;
    std::vector<int> expected;
    for (int n = 0; n < test.data->numSamples; ++n) {
        classSize += test.data->labels[size_t(n)] == 3;
        if (test.data->labels[size_t(n)] == 3 && test.outcome.exitOf[size_t(n)] == 1)
            expected.push_back(n);
    }
    QVERIFY(!expected.empty());
    map.selectCell(3, 1);
    QCOMPARE(m_data.session->selection().split, Split::Test);
    QCOMPARE(m_data.session->selection().indices, expected);
    QCOMPARE(double(expected.size()) / classSize, test.outcome.perClassExitFractions(3, 1));
    QVERIFY(m_data.session->selection().description.contains(
        QString::fromStdString(m_data.predictions->classNames[3])));
    QVERIFY(m_data.session->selection().description.contains(
        QString::fromStdString(m_data.predictions->exitNames[1])));
}

void TestClassExitMap::clickOnACellSelectsIt() {
    ClassExitMap map(m_data.session.get());
    QVERIFY(test::showExposed(map, {900, 450}));
    map.replot();
    const QPoint pixel(int(map.xAxis->coordToPixel(2)), int(map.yAxis->coordToPixel(7)));
    int cls = -1, exit = -1;
    QVERIFY(map.cellAt(pixel, &cls, &exit));
    QCOMPARE(cls, 7);
    QCOMPARE(exit, 2);
    QTest::mouseClick(&map, Qt::LeftButton, {}, pixel);
    QCOMPARE(m_data.session->selection().indices, map.cellSelection(7, 2).indices);
    QVERIFY(m_data.session->selection().description.contains(
        QString::fromStdString(m_data.predictions->classNames[7])));
}

void TestClassExitMap::splitSwitchChangesTheData() {
    ClassExitMap map(m_data.session.get());
    m_data.session->setSplit(Split::Val);
    const SplitPolicy& val = *m_data.session->snapshot()->split(Split::Val);
    compareCells(map, val);
    const Eigen::MatrixXd& test =
        m_data.session->snapshot()->split(Split::Test)->outcome.perClassExitFractions;
    QVERIFY(!val.outcome.perClassExitFractions.isApprox(test));
    map.selectCell(0, 0);
    QCOMPARE(m_data.session->selection().split, Split::Val);
}

void TestClassExitMap::learnedPolicyAndOracleAreShown() {
    ClassExitMap map(m_data.session.get());
    const double budget = m_data.session->budget();
    m_data.session->addScheduler(std::make_shared<const TrainedScheduler>(
        describeFit(m_data.evaluator, budget, trainEENet(*m_data.predictions, budget))));
    m_data.session->setSnapshot(m_data.snapshot("eenet"));
    compareCells(map, *m_data.session->snapshot()->split(Split::Test));
    m_data.session->setSnapshot(m_data.snapshot("oracle"));
    const Eigen::MatrixXd& oracle =
        m_data.session->snapshot()->split(Split::Test)->outcome.perClassExitFractions;
    compareCells(map, *m_data.session->snapshot()->split(Split::Test));
    QVERIFY(!map.note()->visible());
    // The oracle sends most of each class to exit 1: its cells span light and dark colours, and the
    // printed values switch between dark and light text to stay readable.
    Eigen::Index cMax, kMax, cMin, kMin;
    QVERIFY(oracle.maxCoeff(&cMax, &kMax) > 0.6);
    QVERIFY(oracle.minCoeff(&cMin, &kMin) < 0.1);
    QCOMPARE(map.cellTexts()[size_t(cMax * 4 + kMax)]->color(), QColor(Qt::black));
    QCOMPARE(map.cellTexts()[size_t(cMin * 4 + kMin)]->color(), QColor(Qt::white));
}

void TestClassExitMap::compareCells(const ClassExitMap& map, const SplitPolicy& shown) {
    const Eigen::MatrixXd& fractions = shown.outcome.perClassExitFractions;
    const std::vector<int> rows = map.rowClasses();
    QCOMPARE(map.colorMap()->data()->keySize(), int(fractions.cols()));
    QCOMPARE(map.colorMap()->data()->valueSize(), int(rows.size()));
    for (size_t r = 0; r < rows.size(); ++r)
        for (int k = 0; k < fractions.cols(); ++k)
            QCOMPARE(map.colorMap()->data()->cell(k, int(r)), fractions(rows[r], k));
}

std::vector<int> TestClassExitMap::sortedBy(const std::vector<double>& key) {
    std::vector<int> classes(key.size());
    std::iota(classes.begin(), classes.end(), 0);
    std::sort(classes.begin(), classes.end(), [&key](int a, int b) {
        const double ka = key[size_t(a)], kb = key[size_t(b)];
        if (std::isnan(ka) || std::isnan(kb))
            return std::isnan(ka) == std::isnan(kb) ? a < b : std::isnan(kb);
        return ka != kb ? ka < kb : a < b;
    });
    return classes;
}

std::vector<double> TestClassExitMap::meanExits(const SplitPolicy& shown) {
    std::vector<double> sum(size_t(shown.data->numClasses), 0.0), samples(sum.size(), 0.0);
    for (int n = 0; n < shown.data->numSamples; ++n) {
        sum[size_t(shown.data->labels[size_t(n)])] += shown.outcome.exitOf[size_t(n)];
        samples[size_t(shown.data->labels[size_t(n)])] += 1;
    }
    for (size_t c = 0; c < sum.size(); ++c)
        sum[c] = samples[c] > 0 ? sum[c] / samples[c] : std::numeric_limits<double>::quiet_NaN();
    return sum;
}

void TestClassExitMap::checkRowLabelsApart(const ClassExitMap& map) {
    const auto ticks = qSharedPointerCast<QCPAxisTickerText>(map.yAxis->ticker())->ticks();
    QVERIFY(ticks.size() >= 2);
    const int linePx = QFontMetrics(map.yAxis->tickLabelFont()).height();
    double previous = -1e9;
    for (double row : ticks.keys()) {
        const double y = map.yAxis->coordToPixel(row);
        QVERIFY2(std::abs(y - previous) >= linePx,
                 qPrintable(QStringLiteral("%1 px apart").arg(y - previous)));
        previous = y;
    }
}

void TestClassExitMap::manyClassesDrawWithoutText_data() {
    QTest::addColumn<int>("classes");
    QTest::newRow("100 classes") << 100;
    QTest::newRow("1000 classes") << 1000;
}

void TestClassExitMap::manyClassesDrawWithoutText() {
    QFETCH(int, classes);
    test::SessionFixture data(test::sharedSynthetic({3, classes, 4000, 0, 4}));
    data.session->setSnapshot(data.snapshot("maxprob"));
    ClassExitMap map(data.session.get());
    map.setRowLimit(0);
    map.setOrder(ClassOrder::ClassIndex);
    QVERIFY(test::showExposed(map, {900, 450}));
    map.replot();
    QVERIFY(map.cellTexts().empty());
    QCOMPARE(int(map.rowClasses().size()), classes);
    compareCells(map, *data.session->snapshot()->split(Split::Val));
    // Thinned class ticks: at most one per 12 px of the widget's height, on round class numbers.
    const auto ticks = qSharedPointerCast<QCPAxisTickerText>(map.yAxis->ticker())->ticks();
    QVERIFY2(ticks.size() >= 5 && ticks.size() <= 450 / 12, qPrintable(QString::number(ticks.size())));
    const int step = int(ticks.keys().at(1));
    QVERIFY(step == 5 || step == 10 || step == 20 || step == 50 || step == 100);
    QCOMPARE(ticks.value(step), QString::fromStdString(data.predictions->classNames[size_t(step)]));
    checkRowLabelsApart(map);
    QVERIFY(!map.toPixmap(900, 450).isNull());
}

void TestClassExitMap::thousandClassesShowTheTwentyThatExitLatest() {
    m_thousand.session->setSnapshot(m_thousand.snapshot("maxprob"));
    ClassExitMap map(m_thousand.session.get());
    QVERIFY(test::showExposed(map, {900, 450}));
    map.replot();
    const SplitPolicy& shown = *m_thousand.session->snapshot()->split(Split::Test);
    QCOMPARE(map.order(), ClassOrder::ExitLatest);
    QCOMPARE(map.rowLimit(), 20);
    // The 20 classes with the largest mean exit, largest first, recounted from the samples.
    std::vector<double> latestFirst = meanExits(shown);
    for (double& mean : latestFirst)
        mean = -mean;
    std::vector<int> expected = sortedBy(latestFirst);
    expected.resize(20);
    QCOMPARE(map.rowClasses(), expected);
    // Not a trivial order: the shown classes leave later on average than the whole split does.
    const auto& exitOf = shown.outcome.exitOf;
    const double splitMean = std::accumulate(exitOf.begin(), exitOf.end(), 0.0) / double(exitOf.size());
    QVERIFY(-latestFirst[size_t(expected.back())] > splitMean);
    compareCells(map, shown);
    // 20 rows: values printed while the rows have room for them, hidden in a short dock.
    QCOMPARE(int(map.cellTexts().size()), 20 * 3);
    QVERIFY(map.cellTexts().front()->visible());
    map.resize(900, 200);
    QVERIFY(!map.cellTexts().front()->visible());
    map.resize(900, 450);
    map.replot();
    QCOMPARE(map.caption(), QStringLiteral("20 of 1000 classes that exit latest"));
    QVERIFY2(map.title()->text().contains(QStringLiteral("20 of 1000 classes that exit latest")),
             qPrintable(map.title()->text()));

    // Row labels: the class names of the rows, as many as fit without overlapping.
    const auto ticks = qSharedPointerCast<QCPAxisTickerText>(map.yAxis->ticker())->ticks();
    for (auto tick = ticks.begin(); tick != ticks.end(); ++tick)
        QCOMPARE(tick.value(), QString::fromStdString(
                                   m_thousand.predictions->classNames[size_t(expected[size_t(tick.key())])]));
    checkRowLabelsApart(map);

    // A click on row 5 selects that row's class, not class 5.
    const QPoint pixel(int(map.xAxis->coordToPixel(2)), int(map.yAxis->coordToPixel(5)));
    int cls = -1, exit = -1;
    QVERIFY(map.cellAt(pixel, &cls, &exit));
    QCOMPARE(cls, expected[5]);
    QCOMPARE(exit, 2);
    QTest::mouseClick(&map, Qt::LeftButton, {}, pixel);
    const SampleSelection& selection = m_thousand.session->selection();
    QVERIFY(!selection.indices.empty());
    QCOMPARE(selection.indices, map.cellSelection(expected[5], 2).indices);
    for (int n : selection.indices) {
        QCOMPARE(shown.data->labels[size_t(n)], expected[5]);
        QCOMPARE(shown.outcome.exitOf[size_t(n)], 2);
    }
    QVERIFY(map.selectedCell()->visible());
    QCOMPARE(map.selectedCell()->topLeft->coords(), QPointF(1.5, 4.5));
}
void TestClassExitMap::everyOrderSortsTheRows() {
    m_thousand.session->setSnapshot(m_thousand.snapshot("entropy"));
    ClassExitMap map(m_thousand.session.get());
    const SplitPolicy& shown = *m_thousand.session->snapshot()->split(Split::Test);
    map.setOrder(ClassOrder::ExitEarliest);
    std::vector<int> earliest = sortedBy(meanExits(shown));
    earliest.resize(20);
    QCOMPARE(map.rowClasses(), earliest);
    QCOMPARE(map.caption(), QStringLiteral("20 of 1000 classes that exit earliest"));

    // The largest loss first, as the "who pays" chart beside it counts it.
    map.setOrder(ClassOrder::LosesMostAccuracy);
    const auto changes = classAccuracyChanges(*shown.data, shown.outcome.exitOf);
    QVERIFY(changes.front().deltaPp() < 0);
    std::vector<int> losers;
    for (size_t row = 0; row < 20; ++row)
        losers.push_back(changes[row].cls);
    QCOMPARE(map.rowClasses(), losers);
    compareCells(map, shown);
    QCOMPARE(map.caption(), QStringLiteral("20 of 1000 classes that lose the most accuracy"));

    map.setOrder(ClassOrder::ClassIndex);
    QCOMPARE(map.rowClasses().back(), 19);
    map.setRowLimit(0);
    QCOMPARE(int(map.rowClasses().size()), 1000);
    QVERIFY(map.caption().isEmpty());
    map.setOrder(ClassOrder::ExitLatest);
    QCOMPARE(map.caption(), QStringLiteral("all 1000 classes, latest exit first"));
    // The CSV lists every class in the order shown.
    const ChartTable table = map.tableData();
    QCOMPARE(table.rows.size(), size_t(1000 * 3));
    QCOMPARE(table.rows[3][0],
             QString::fromStdString(m_thousand.predictions->classNames[size_t(map.rowClasses()[1])]));
}

void TestClassExitMap::theChoiceSurvivesPolicyAndSplitButNotANewFile() {
    m_thousand.session->setSnapshot(m_thousand.snapshot("maxprob"));
    ClassExitMap map(m_thousand.session.get());
    map.setOrder(ClassOrder::ExitEarliest);
    map.setRowLimit(50);
    const std::vector<int> before = map.rowClasses();
    // Another budget: the same choice, re-sorted under the new policy.
    m_thousand.session->setSnapshot(m_thousand.snapshot("maxprob", 0.6 * m_thousand.session->budget()));
    QCOMPARE(map.order(), ClassOrder::ExitEarliest);
    QCOMPARE(map.rowLimit(), 50);
    std::vector<int> expected = sortedBy(meanExits(*m_thousand.session->snapshot()->split(Split::Test)));
    expected.resize(50);
    QCOMPARE(map.rowClasses(), expected);
    QVERIFY(map.rowClasses() != before);
    m_thousand.session->setSplit(Split::Val);
    QCOMPARE(map.order(), ClassOrder::ExitEarliest);
    expected = sortedBy(meanExits(*m_thousand.session->snapshot()->split(Split::Val)));
    expected.resize(50);
    QCOMPARE(map.rowClasses(), expected);
    compareCells(map, *m_thousand.session->snapshot()->split(Split::Val));

    // Another file starts from what suits it: ten classes, every one in class order.
    m_thousand.session->setPredictions(m_data.predictions);
    m_thousand.session->setSnapshot(m_data.snapshot("maxprob"));
    QCOMPARE(map.order(), ClassOrder::ClassIndex);
    QCOMPARE(map.rowLimit(), 0);
    QCOMPARE(int(map.rowClasses().size()), 10);
}

void TestClassExitMap::allThousandRowsScrollAndStillHitTheirClass() {
    m_thousand.session->setSnapshot(m_thousand.snapshot("maxprob"));
    ClassExitMap map(m_thousand.session.get());
    map.setRowLimit(0);
    QVERIFY(test::showExposed(map, {900, 450}));
    map.replot();
    QCOMPARE(map.yAxis->range().size(), 1000.0);
    const auto ticksOf = [&map] {
        return qSharedPointerCast<QCPAxisTickerText>(map.yAxis->ticker())->ticks();
    };
    const int overviewStep = int(ticksOf().keys().at(1) - ticksOf().keys().at(0));

    // The wheel zooms into the rows only; more of them get their name.
    const QPointF centre = map.axisRect()->center();
    for (int notch = 0; notch < 20; ++notch) {
        QWheelEvent wheel(centre, map.mapToGlobal(centre), {}, {0, 120}, Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(&map, &wheel);
    }
    map.replot();
    QVERIFY2(map.yAxis->range().size() < 100, qPrintable(QString::number(map.yAxis->range().size())));
    QCOMPARE(map.xAxis->range(), QCPRange(-0.5, 2.5));
    const auto zoomed = ticksOf();
    QVERIFY(zoomed.size() >= 2);
    QVERIFY(int(zoomed.keys().at(1) - zoomed.keys().at(0)) < overviewStep);
    checkRowLabelsApart(map);

    // Scrolled past the end, the rows stop at the last class.
    map.yAxis->setRange(980, 1100);
    QCOMPARE(map.yAxis->range().upper, 999.5);
    QCOMPARE(map.yAxis->range().size(), 120.0);
    map.replot();
    const std::vector<int> rows = map.rowClasses();
    const QPoint pixel(int(map.xAxis->coordToPixel(1)), int(map.yAxis->coordToPixel(990)));
    int cls = -1, exit = -1;
    QVERIFY(map.cellAt(pixel, &cls, &exit));
    QCOMPARE(cls, rows[990]);
    QCOMPARE(exit, 1);
}

void TestClassExitMap::panelChoosesRowsAndOrder() {
    m_thousand.session->setSnapshot(m_thousand.snapshot("maxprob"));
    auto* map = new ClassExitMap(m_thousand.session.get());
    ClassExitMapPanel panel(map);
    QVERIFY(test::showExposed(panel, {900, 450}));
    QCOMPARE(map->parentWidget(), &panel);
    QCOMPARE(panel.rowsBox()->currentText(), QStringLiteral("20 classes"));
    QCOMPARE(panel.orderBox()->currentText(), QStringLiteral("that exit latest"));
    QCOMPARE(panel.rowsBox()->count(), 3);

    // Keys as a user would press them: the next row limit, then the next order.
    panel.rowsBox()->setFocus();
    QTest::keyClick(panel.rowsBox(), Qt::Key_Down);
    QCOMPARE(map->rowLimit(), 50);
    QTest::keyClick(panel.orderBox(), Qt::Key_Down);
    QCOMPARE(map->order(), ClassOrder::ExitEarliest);
    QCOMPARE(map->caption(), QStringLiteral("50 of 1000 classes that exit earliest"));
    // A new policy keeps the boxes as they are.
    m_thousand.session->setSnapshot(m_thousand.snapshot("entropy"));
    QCOMPARE(panel.rowsBox()->currentText(), QStringLiteral("50 classes"));
    QCOMPARE(panel.orderBox()->currentText(), QStringLiteral("that exit earliest"));

    // Ten classes: nothing to limit, class order.
    m_thousand.session->setPredictions(m_data.predictions);
    m_thousand.session->setSnapshot(m_data.snapshot("maxprob"));
    QCOMPARE(panel.rowsBox()->count(), 1);
    QCOMPARE(panel.rowsBox()->currentText(), QStringLiteral("all classes"));
    QVERIFY(!panel.rowsBox()->isEnabled());
    QCOMPARE(panel.orderBox()->currentText(), QStringLiteral("in class order"));
}

void TestClassExitMap::emptyStatesShowANote() {
    Session empty;
    ClassExitMap nothing(&empty);
    QVERIFY(nothing.note()->visible());
    QVERIFY(nothing.note()->text().contains("Open a predictions file"));
    QVERIFY(!nothing.colorMap()->visible());
    QVERIFY(!nothing.xAxis->visible());
    QVERIFY(!nothing.colorScale()->visible());

    test::SessionFixture fresh(m_data.predictions);
    fresh.session->setSnapshot(fresh.snapshot("eenet"));
    ClassExitMap unavailable(fresh.session.get());
    QVERIFY(unavailable.note()->visible());
    QCOMPARE(unavailable.note()->text(), QString::fromStdString(fresh.session->snapshot()->note));
    QVERIFY(unavailable.cellTexts().empty());

    fresh.session->setSnapshot(fresh.snapshot("maxprob"));
    QVERIFY(!unavailable.note()->visible());
    QVERIFY(unavailable.colorMap()->visible());
    QVERIFY(unavailable.yAxis->visible());
    QCOMPARE(int(unavailable.cellTexts().size()), 40);
}

void TestClassExitMap::titleFitsItsWidth_data() {
    QTest::addColumn<int>("width");
    QTest::addColumn<bool>("whole");
    // The dock's minimum, a narrow dock, and a wide one where nothing needs shortening.
    QTest::newRow("280 px") << 280 << false;
    QTest::newRow("360 px") << 360 << false;
    QTest::newRow("900 px") << 900 << true;
}

void TestClassExitMap::titleFitsItsWidth() {
    QFETCH(int, width);
    QFETCH(bool, whole);
    ClassExitMap map(m_data.session.get());
    QVERIFY(test::showExposed(map, QSize(width, 400)));
    map.replot();
    const QCPTextElement* title = map.title();
    const QRect text =
        QFontMetrics(title->font()).boundingRect(QRect(), Qt::TextDontClip | Qt::AlignCenter, title->text());
    QVERIFY2(text.width() <= title->rect().width(), qPrintable(QStringLiteral("\"%1\" is %2 px wide in %3 px")
                                                                   .arg(title->text())
                                                                   .arg(text.width())
                                                                   .arg(title->rect().width())));
    // The title stays inside the widget.
    QVERIFY(title->rect().left() >= 0 && title->rect().right() < map.width());
    if (width >= 360)
        QVERIFY2(title->text().startsWith(QStringLiteral("Where each class leaves\nmaxprob")),
                 qPrintable(title->text()));
    if (whole)
        QVERIFY(title->text().endsWith(QStringLiteral("(test split)")));
}

void TestClassExitMap::theSelectedCellStaysOutlined() {
    ClassExitMap map(m_data.session.get());
    SampleSelection elsewhere;
    elsewhere.indices = {0};
    m_data.session->setSelection(elsewhere);
    QVERIFY(!map.selectedCell()->visible());
    map.selectCell(3, 1);
    QVERIFY(map.selectedCell()->visible());
    QCOMPARE(map.selectedCell()->topLeft->coords(), QPointF(0.5, 2.5));
    QCOMPARE(map.selectedCell()->bottomRight->coords(), QPointF(1.5, 3.5));
    m_data.session->setSnapshot(m_data.snapshot("maxprob", 0.8 * m_data.session->budget()));
    QVERIFY(map.selectedCell()->visible());
    m_data.session->setSelection(elsewhere);
    QVERIFY(!map.selectedCell()->visible());
}

void TestClassExitMap::accuracyChartShowsWhoPays() {
    ClassAccuracyChart chart(m_data.session.get());
    QVERIFY(test::showExposed(chart, {600, 400}));
    const SplitPolicy& shown = *m_data.session->snapshot()->split(Split::Test);
    const auto& changes = chart.changes();
    QCOMPARE(changes.size(), size_t(10));
    // Each class's figures recounted from the samples; largest loss first.
    const ExitData& data = *shown.data;
    for (size_t row = 0; row < changes.size(); ++row) {
        int samples = 0, policy = 0, last = 0;
        for (int i = 0; i < data.numSamples; ++i)
            if (data.labels[size_t(i)] == changes[row].cls) {
                ++samples;
                policy += data.correct(shown.outcome.exitOf[size_t(i)], i);
                last += data.correct(data.numExits - 1, i);
            }
        QCOMPARE(changes[row].samples, samples);
        QCOMPARE(changes[row].rightUnderPolicy, policy);
        QCOMPARE(changes[row].rightAtLastExit, last);
        if (row > 0)
            QVERIFY(changes[row - 1].deltaPp() <= changes[row].deltaPp());
    }
    // Every class drawn, as a loss or a gain bar at its row, with its name as the row's label.
    QCOMPARE(chart.losses()->dataCount() + chart.gains()->dataCount(), 10);
    QVERIFY(chart.losses()->dataCount() > 0); // an early exit costs some class accuracy at this budget
    QCOMPARE(chart.losses()->data()->at(0)->key, 0.0);
    QCOMPARE(chart.losses()->data()->at(0)->value, changes[0].deltaPp());
    const auto ticks = qSharedPointerCast<QCPAxisTickerText>(chart.yAxis->ticker())->ticks();
    QCOMPARE(ticks.value(0), QString::fromStdString(m_data.predictions->classNames[size_t(changes[0].cls)]));
    QVERIFY(chart.title()->text().contains("every class"));
    QCOMPARE(chart.tableData().rows.size(), size_t(10));

    // It follows the budget: at the largest budget nobody leaves early, and nobody pays.
    m_data.session->setSnapshot(m_data.snapshot("maxprob", m_data.predictions->costs.back()));
    for (const ClassAccuracyChange& change : chart.changes())
        QCOMPARE(change.deltaPp(), 0.0);

    Session empty;
    ClassAccuracyChart nothing(&empty);
    QVERIFY(nothing.note()->visible());
    QVERIFY(nothing.note()->text().contains("Open a predictions file"));
    QVERIFY(!nothing.xAxis->visible());
}

void TestClassExitMap::accuracyChartShowsTheWorstOfManyClasses() {
    test::SessionFixture data(test::sharedSynthetic({3, 200, 4000, 0, 4}));
    data.session->setSnapshot(data.snapshot("maxprob"));
    ClassAccuracyChart chart(data.session.get());
    QCOMPARE(chart.losses()->dataCount() + chart.gains()->dataCount(), ClassAccuracyChart::kMaxRows);
    QVERIFY(chart.title()->text().contains(QStringLiteral("the %1 of %2 classes that lose most")
                                               .arg(ClassAccuracyChart::kMaxRows)
                                               .arg(chart.changes().size())));
    QCOMPARE(chart.tableData().rows.size(), chart.changes().size());
}

void TestClassExitMap::accuracyChartStaysReadableWithLongNames() {
    // 1000 classes named as ImageNet names them: the bars keep their room and no label runs into another.
    Predictions named = makeSyntheticPredictions({3, 1000, 5000, 0, 5});
    for (size_t c = 0; c < named.classNames.size(); ++c)
        named.classNames[c] = "African chameleon, Chamaeleo chamaeleon, number " + std::to_string(c);
    test::SessionFixture data(std::make_shared<const Predictions>(std::move(named)));
    data.session->setSnapshot(data.snapshot("maxprob"));
    ClassAccuracyChart chart(data.session.get());
    chart.resize(360, 260);
    chart.replot();
    const auto classTicker = qSharedPointerCast<QCPAxisTickerText>(chart.yAxis->ticker());
    const QFontMetrics classMetrics(chart.yAxis->tickLabelFont());
    QCOMPARE(classTicker->ticks().size(), ClassAccuracyChart::kMaxRows);
    for (const QString& label : classTicker->ticks()) {
        QVERIFY2(classMetrics.horizontalAdvance(label) <= 130, qPrintable(label));
        QVERIFY2(label.endsWith(QChar(0x2026)), qPrintable(label));
    }
    QVERIFY2(chart.axisRect()->width() >= 120, qPrintable(QString::number(chart.axisRect()->width())));
    // The accuracy axis: each tick label clear of the next.
    const QFontMetrics valueMetrics(chart.xAxis->tickLabelFont());
    const QVector<double> ticks = chart.xAxis->tickVector();
    const QVector<QString> labels = chart.xAxis->tickVectorLabels();
    QVERIFY(ticks.size() >= 2);
    for (int i = 1; i < ticks.size(); ++i) {
        const double gapPx =
            std::abs(chart.xAxis->coordToPixel(ticks[i]) - chart.xAxis->coordToPixel(ticks[i - 1]));
        const double neededPx =
            0.5 * (valueMetrics.horizontalAdvance(labels[i]) + valueMetrics.horizontalAdvance(labels[i - 1]));
        QVERIFY2(gapPx > neededPx, qPrintable(QStringLiteral("%1 and %2: %3 px apart, %4 px wide")
                                                  .arg(labels[i - 1], labels[i])
                                                  .arg(gapPx)
                                                  .arg(neededPx)));
    }
}

QTEST_MAIN(TestClassExitMap)
#include "tst_classexitmap.moc"
