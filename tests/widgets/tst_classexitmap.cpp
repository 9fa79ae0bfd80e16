#include "ClassAccuracyChart.h"
#include "ClassExitMap.h"
#include "SessionFixture.h"
#include "ShowWidget.h"

#include <QTest>

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
    void emptyStatesShowANote();
    void titleFitsItsWidth_data();
    void titleFitsItsWidth();
    void accuracyChartShowsWhoPays();
    void accuracyChartShowsTheWorstOfManyClasses();

private:
    static void compareCells(const ClassExitMap& map, const SplitPolicy& shown);

    test::SessionFixture m_data;
};

void TestClassExitMap::init() {
    m_data.session->setSplit(Split::Test);
    m_data.session->setSnapshot(m_data.snapshot("maxprob"));
}

void TestClassExitMap::compareCells(const ClassExitMap& map, const SplitPolicy& shown) {
    const Eigen::MatrixXd& fractions = shown.outcome.perClassExitFractions;
    QCOMPARE(map.colorMap()->data()->keySize(), int(fractions.cols()));
    QCOMPARE(map.colorMap()->data()->valueSize(), int(fractions.rows()));
    for (int c = 0; c < fractions.rows(); ++c)
        for (int k = 0; k < fractions.cols(); ++k)
            QCOMPARE(map.colorMap()->data()->cell(k, c), fractions(c, k));
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
    QVERIFY(test::showExposed(map, {900, 450}));
    QVERIFY(map.cellTexts().empty());
    compareCells(map, *data.session->snapshot()->split(Split::Val));
    // Thinned class ticks: at most one per 12 px of the widget's height, on round class numbers.
    const auto ticks = qSharedPointerCast<QCPAxisTickerText>(map.yAxis->ticker())->ticks();
    QVERIFY2(ticks.size() >= 5 && ticks.size() <= 450 / 12, qPrintable(QString::number(ticks.size())));
    const int step = int(ticks.keys().at(1));
    QVERIFY(step == 5 || step == 10 || step == 20 || step == 50 || step == 100);
    QCOMPARE(ticks.value(step), QString::fromStdString(data.predictions->classNames[size_t(step)]));
    QVERIFY(!map.toPixmap(900, 450).isNull());
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

QTEST_MAIN(TestClassExitMap)
#include "tst_classexitmap.moc"
