#include "ComparePlot.h"
#include "CompareView.h"
#include "SessionFixture.h"

#include <QComboBox>
#include <QTest>

using namespace eenet;

/// The compare view shows core's paired comparison of the two chosen curves on the shown split, with its
/// verdict, and says why when there is nothing to compare.
class TestCompareView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void comparesTheChosenCurvesAsCoreDoes();
    void followsTheSplit();
    void saysWhyThereIsNothingToCompare();

private:
    static const Curve& curveOf(const Session& session, const std::string& method);
    test::SessionFixture m_data;
};

void TestCompareView::initTestCase() {
    m_data.session->setCurves(sweepCurves(m_data.predictions, heuristicMethods(), 8));
    m_data.session->setSplit(Split::Test);
}

const Curve& TestCompareView::curveOf(const Session& session, const std::string& method) {
    for (const Curve& curve : session.curves())
        if (curve.method == method)
            return curve;
    throw std::logic_error("no curve " + method);
}

void TestCompareView::comparesTheChosenCurvesAsCoreDoes() {
    CompareView view(m_data.session.get());
    // The method shown is maxprob: A defaults to the first curve, B to max score.
    QCOMPARE(view.methodB()->currentText(), QStringLiteral("maxprob"));
    QVERIFY(view.methodA()->findText("static") < 0 && view.methodA()->findText("exit-1") < 0);
    view.methodA()->setCurrentText("entropy");
    QVERIFY(view.comparison());
    const ExitData data = makeExitData(*m_data.predictions, *m_data.predictions->test);
    const PairedComparison expected = comparePaired(curveOf(*m_data.session, "entropy").test,
                                                    curveOf(*m_data.session, "maxprob").test, data);
    QCOMPARE(view.comparison()->meanDeltaPp, expected.meanDeltaPp);
    QCOMPARE(view.comparison()->sePp, expected.sePp);
    QVERIFY(view.verdictText().startsWith(QString::fromStdString(expected.verdict)));
    QVERIFY(view.verdictText().contains("test split"));
    // One dot per compared budget, its bar two standard errors.
    QCOMPARE(view.plot()->deltas()->dataCount(), int(expected.perBudget.size()));
    QCOMPARE(view.plot()->deltas()->data()->at(0)->value, expected.perBudget.front().deltaPp);
    QCOMPARE(view.plot()->errors()->data()->at(0).errorPlus, 2 * expected.perBudget.front().sePp);
    QCOMPARE(view.plot()->tableData().rows.size(), expected.perBudget.size());
}

void TestCompareView::followsTheSplit() {
    CompareView view(m_data.session.get());
    view.methodA()->setCurrentText("entropy");
    m_data.session->setSplit(Split::Val);
    QCOMPARE(view.methodA()->currentText(), QStringLiteral("entropy")); // the choice survives
    const ExitData data = makeExitData(*m_data.predictions, m_data.predictions->val);
    const PairedComparison expected =
        comparePaired(curveOf(*m_data.session, "entropy").val, curveOf(*m_data.session, "maxprob").val, data);
    QCOMPARE(view.comparison()->meanDeltaPp, expected.meanDeltaPp);
    QVERIFY(view.verdictText().contains("validation split"));
    m_data.session->setSplit(Split::Test);
}

void TestCompareView::saysWhyThereIsNothingToCompare() {
    CompareView view(m_data.session.get());
    view.methodA()->setCurrentText("maxprob");
    QVERIFY(!view.comparison());
    QVERIFY(view.plot()->message()->visible());
    QCOMPARE(view.plot()->message()->text(), QStringLiteral("Choose two different methods"));
    QVERIFY(view.verdictText().isEmpty());

    Session empty;
    CompareView nothing(&empty);
    QVERIFY(nothing.plot()->message()->text().contains("Open a predictions file"));
    QCOMPARE(nothing.methodA()->count(), 0);
}

QTEST_MAIN(TestCompareView)
#include "tst_compareview.moc"
