#include "ChartPalette.h"
#include "PolicyCurvesPlot.h"
#include "TestData.h"
#include "session/Session.h"

#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace eenet;

class TestPolicyCurvesPlot : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void drawsEveryCurveOfTheSession();
    void budgetLineFollowsTheSession();
    void splitSwitchesTheData();
    void legendSitsOutsideTheData_data();
    void legendSitsOutsideTheData();
    void clickingALegendEntryTogglesItsCurve();
    void hiddenCurvesSurviveUpdatesAndTheChosenMethodShows();
    void chosenMethodIsOnTopAndThickest();
    void coincidingCurvesStayDistinguishable();
    void oracleCeilingRunsFlatToTheEndOfTheCostAxis();
    void titleFollowsTheSplit();
    void beforeAFileItSaysHowToOpenOne();

private:
    const Curve& sessionCurve(const std::string& method) const;
    /// A plot the size of the studio's central area, laid out.
    static void layOut(PolicyCurvesPlot& plot, const QSize& size);
    static void clickLegendEntry(PolicyCurvesPlot& plot, QCPAbstractPlottable* plottable);

    Session m_session;
};

const Curve& TestPolicyCurvesPlot::sessionCurve(const std::string& method) const {
    return *std::find_if(m_session.curves().begin(), m_session.curves().end(),
                         [&](const Curve& c) { return c.method == method; });
}

void TestPolicyCurvesPlot::layOut(PolicyCurvesPlot& plot, const QSize& size) {
    plot.resize(size);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.replot();
}

void TestPolicyCurvesPlot::clickLegendEntry(PolicyCurvesPlot& plot, QCPAbstractPlottable* plottable) {
    QCPPlottableLegendItem* item = plot.legend->itemWithPlottable(plottable);
    QVERIFY(item);
    QTest::mouseClick(&plot, Qt::LeftButton, Qt::NoModifier, item->rect().center());
}

void TestPolicyCurvesPlot::initTestCase() {
    auto predictions = test::chartPredictions();
    m_session.setPredictions(predictions);
    m_session.setCurves(sweepCurves(predictions, heuristicMethods(), 6));
}

void TestPolicyCurvesPlot::init() {
    m_session.setSplit(Split::Test);
    m_session.setMethod(*Method::parse("maxprob"));
}

void TestPolicyCurvesPlot::drawsEveryCurveOfTheSession() {
    PolicyCurvesPlot plot(&m_session);
    for (const char* method :
         {"maxprob", "entropy", "patience", "agreement", "maxprob-opt", "entropy-opt", "oracle"}) {
        QVERIFY2(plot.curve(method), method);
        QCOMPARE(plot.curve(method)->dataCount(), 6);
    }
    QCOMPARE(plot.curve("static")->dataCount(), 4);
    // Test split by default: the plotted points are the test results.
    const Curve& maxprob = *std::find_if(m_session.curves().begin(), m_session.curves().end(),
                                         [](const Curve& c) { return c.method == "maxprob"; });
    QCOMPARE(plot.curve("maxprob")->data()->at(2)->key, maxprob.test[2].outcome.cost);
    QCOMPARE(plot.curve("maxprob")->data()->at(2)->value, maxprob.test[2].outcome.accuracyPercent);
}

void TestPolicyCurvesPlot::budgetLineFollowsTheSession() {
    PolicyCurvesPlot plot(&m_session);
    m_session.setBudget(1.75);
    QVERIFY(plot.budgetLine()->visible());
    QCOMPARE(plot.budgetLine()->point1->coords().x(), 1.75);
    QCOMPARE(plot.budgetLine()->point2->coords().x(), 1.75);
}

void TestPolicyCurvesPlot::splitSwitchesTheData() {
    PolicyCurvesPlot plot(&m_session);
    m_session.setSplit(Split::Val);
    const Curve& oracle = *std::find_if(m_session.curves().begin(), m_session.curves().end(),
                                        [](const Curve& c) { return c.method == "oracle"; });
    QCOMPARE(plot.curve("oracle")->data()->at(4)->value, oracle.val[4].outcome.accuracyPercent);
    QVERIFY(plot.title()->text().contains("validation"));
}

void TestPolicyCurvesPlot::legendSitsOutsideTheData_data() {
    QTest::addColumn<QSize>("size");
    // The studio's central area at 1280x720 and 1280x800 with the default docks.
    QTest::newRow("1280x720") << QSize(510, 350);
    QTest::newRow("1280x800") << QSize(735, 355);
    QTest::newRow("wide") << QSize(1000, 600);
}

void TestPolicyCurvesPlot::legendSitsOutsideTheData() {
    QFETCH(QSize, size);
    PolicyCurvesPlot plot(&m_session);
    layOut(plot, size);
    QVERIFY(plot.legend->visible());
    const QRect legend = plot.legend->outerRect();
    QVERIFY2(!legend.intersects(plot.axisRect()->rect()), "the legend covers the data");
    // Whole: no entry cut off at the top or bottom.
    QVERIFY(plot.rect().contains(legend));
    for (int i = 0; i < plot.legend->itemCount(); ++i)
        QVERIFY(legend.contains(plot.legend->item(i)->outerRect()));
    // The data keeps most of the width.
    QVERIFY2(plot.axisRect()->width() > size.width() / 2,
             qPrintable(QString::number(plot.axisRect()->width())));
}

void TestPolicyCurvesPlot::clickingALegendEntryTogglesItsCurve() {
    PolicyCurvesPlot plot(&m_session);
    layOut(plot, QSize(735, 355));
    QSignalSpy clicks(&plot, &QCustomPlot::legendClick);
    QCPCurve* entropy = plot.curve("entropy");
    QVERIFY(entropy->visible());
    clickLegendEntry(plot, entropy);
    QCOMPARE(clicks.count(), 1);
    QVERIFY(!entropy->visible());
    QVERIFY(plot.isMethodHidden("entropy"));
    // Greyed entry.
    const QColor muted = ChartPalette::mutedText(plot.palette());
    QCOMPARE(plot.legend->itemWithPlottable(entropy)->textColor(), muted);
    plot.replot();
    clickLegendEntry(plot, entropy);
    QVERIFY(entropy->visible());
    QVERIFY(plot.legend->itemWithPlottable(entropy)->textColor() != muted);
    // Each exit alone toggles too; the oracle and its ceiling go together.
    clickLegendEntry(plot, plot.curve("static"));
    QVERIFY(!plot.curve("static")->visible());
    clickLegendEntry(plot, plot.curve("oracle"));
    QVERIFY(!plot.curve("oracle")->visible());
    QVERIFY(!plot.oracleCeiling()->visible());
    // The chosen method cannot be hidden.
    clickLegendEntry(plot, plot.curve("maxprob"));
    QVERIFY(plot.curve("maxprob")->visible());
    QVERIFY(!plot.isMethodHidden("maxprob"));
}

void TestPolicyCurvesPlot::hiddenCurvesSurviveUpdatesAndTheChosenMethodShows() {
    PolicyCurvesPlot plot(&m_session);
    layOut(plot, QSize(735, 355));
    clickLegendEntry(plot, plot.curve("patience"));
    QVERIFY(!plot.curve("patience")->visible());
    // New curves (recreated graphs), a slider move and a split switch keep it hidden.
    m_session.setCurves(std::vector<Curve>(m_session.curves()));
    m_session.setBudget(m_session.budget() * 1.1);
    m_session.setSplit(Split::Val);
    QVERIFY(!plot.curve("patience")->visible());
    QCOMPARE(plot.legend->itemWithPlottable(plot.curve("patience"))->textColor(),
             ChartPalette::mutedText(plot.palette()));
    // Choosing it shows it again.
    m_session.setMethod(*Method::parse("patience"));
    QVERIFY(plot.curve("patience")->visible());
    QVERIFY(!plot.isMethodHidden("patience"));
}

void TestPolicyCurvesPlot::chosenMethodIsOnTopAndThickest() {
    PolicyCurvesPlot plot(&m_session);
    for (const char* chosen : {"maxprob", "agreement", "entropy-opt", "oracle"}) {
        m_session.setMethod(*Method::parse(chosen));
        QCPCurve* top = plot.curve(chosen);
        for (const char* other : {"maxprob", "entropy", "patience", "agreement", "maxprob-opt", "entropy-opt",
                                  "oracle", "static"}) {
            if (QString::fromLatin1(other) == QString::fromLatin1(chosen))
                continue;
            QCPCurve* below = plot.curve(other);
            const bool above =
                top->layer()->index() > below->layer()->index() ||
                (top->layer() == below->layer() &&
                 top->layer()->children().indexOf(top) > top->layer()->children().indexOf(below));
            QVERIFY2(above, qPrintable(QStringLiteral("%1 under %2").arg(chosen, other)));
            QVERIFY2(top->pen().widthF() > below->pen().widthF(), qPrintable(QString::fromLatin1(other)));
        }
        // Bold legend entry.
        QVERIFY(plot.legend->itemWithPlottable(top)->font().bold());
    }
    QVERIFY(!plot.legend->itemWithPlottable(plot.curve("maxprob"))->font().bold());
}

void TestPolicyCurvesPlot::coincidingCurvesStayDistinguishable() {
    PolicyCurvesPlot plot(&m_session);
    const auto dashes = [&](const char* method) { return plot.curve(method)->pen().dashPattern(); };
    const auto shape = [&](const char* method) { return plot.curve(method)->scatterStyle().shape(); };
    const auto solid = [&](const char* method) { return plot.curve(method)->pen().style() == Qt::SolidLine; };
    // Patience and agreement often coincide: other markers, and agreement's line has gaps.
    QVERIFY(shape("patience") != shape("agreement"));
    QVERIFY(solid("patience") != solid("agreement"));
    // A searched variant is dashed differently from its method and has hollow markers.
    for (const char* base : {"maxprob", "entropy"}) {
        const std::string opt = std::string(base) + "-opt";
        QVERIFY(solid(base));
        QVERIFY(!solid(opt.c_str()));
        QVERIFY(dashes(opt.c_str()) != dashes("agreement"));
        QVERIFY(plot.curve(opt)->scatterStyle().brush().color() !=
                plot.curve(base)->scatterStyle().brush().color());
    }
    // Every family its own marker.
    const std::vector<const char*> families{"maxprob", "entropy", "patience", "agreement", "oracle"};
    for (size_t i = 0; i < families.size(); ++i)
        for (size_t j = i + 1; j < families.size(); ++j)
            QVERIFY2(shape(families[i]) != shape(families[j]), families[j]);
}

void TestPolicyCurvesPlot::oracleCeilingRunsFlatToTheEndOfTheCostAxis() {
    PolicyCurvesPlot plot(&m_session);
    layOut(plot, QSize(735, 355));
    const Curve& oracle = sessionCurve("oracle");
    double best = 0, lastCost = 0;
    for (const MethodResult& r : oracle.test) {
        best = std::max(best, r.outcome.accuracyPercent);
        lastCost = std::max(lastCost, r.outcome.cost);
    }
    const double fittedUpper = plot.xAxis->range().upper;
    QCPItemLine* ceiling = plot.oracleCeiling();
    QVERIFY(ceiling->visible());
    QCOMPARE(ceiling->start->coords(), QPointF(lastCost, best));
    const auto checkFlatToTheEnd = [&] {
        const QPointF start = ceiling->start->pixelPosition();
        const QPointF end = ceiling->end->pixelPosition();
        QCOMPARE(end.y(), start.y());
        QCOMPARE(plot.yAxis->pixelToCoord(end.y()), best);
        QCOMPARE(plot.xAxis->pixelToCoord(end.x()), plot.xAxis->range().upper);
        QVERIFY(end.x() > start.x());
    };
    checkFlatToTheEnd();
    // Wherever the view goes.
    plot.xAxis->setRange(plot.xAxis->range().lower, plot.xAxis->range().upper * 3);
    plot.replot();
    checkFlatToTheEnd();
    QVERIFY(plot.xAxis->range().upper > lastCost * 2);
    // Labelled in the legend, dashed like a reference line.
    bool labelled = false;
    for (int i = 0; i < plot.legend->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(plot.legend->item(i)))
            labelled = labelled || item->plottable()->name() == "oracle ceiling";
    QVERIFY(labelled);
    QCOMPARE(ceiling->pen().style(), Qt::DashLine);
    // The view still fits the data, not the ceiling.
    plot.resetView();
    QCOMPARE(plot.xAxis->range().upper, fittedUpper);
}

void TestPolicyCurvesPlot::titleFollowsTheSplit() {
    PolicyCurvesPlot plot(&m_session);
    QCOMPARE(plot.title()->text(), QStringLiteral("Accuracy against realised cost (test split)"));
    m_session.setSplit(Split::Val);
    QCOMPARE(plot.title()->text(), QStringLiteral("Accuracy against realised cost (validation split)"));
    // Above the data, as in the other charts.
    layOut(plot, QSize(735, 355));
    QVERIFY(plot.title()->outerRect().bottom() <= plot.axisRect()->outerRect().top());
}

void TestPolicyCurvesPlot::beforeAFileItSaysHowToOpenOne() {
    Session empty;
    PolicyCurvesPlot plot(&empty);
    QVERIFY(plot.emptyHint()->visible());
    QVERIFY(plot.emptyHint()->text().contains(QStringLiteral("Open a predictions file")));
    QVERIFY(!plot.xAxis->visible());
    QVERIFY(!plot.yAxis->visible());
    QVERIFY(!plot.legend->visible());
    empty.setPredictions(test::chartPredictions());
    QVERIFY(!plot.emptyHint()->visible());
    QVERIFY(plot.xAxis->visible() && plot.yAxis->visible() && plot.legend->visible());
}

QTEST_MAIN(TestPolicyCurvesPlot)
#include "tst_policycurvesplot.moc"
