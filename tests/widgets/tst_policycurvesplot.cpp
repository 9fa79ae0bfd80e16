#include "PolicyCurvesPlot.h"
#include "TestData.h"
#include "session/Session.h"

#include <QTest>

using namespace eenet;

class TestPolicyCurvesPlot : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void drawsEveryCurveOfTheSession();
    void budgetLineFollowsTheSession();
    void splitSwitchesTheData();

private:
    Session m_session;
};

void TestPolicyCurvesPlot::initTestCase() {
    auto predictions = test::chartPredictions();
    m_session.setPredictions(predictions);
    m_session.setCurves(sweepCurves(predictions, heuristicMethods(), 6));
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
    QVERIFY(plot.xAxis->label().contains("validation"));
}

QTEST_MAIN(TestPolicyCurvesPlot)
#include "tst_policycurvesplot.moc"
