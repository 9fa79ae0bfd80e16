#include "BudgetControl.h"
#include "TestData.h"
#include "session/Session.h"

#include <QDoubleSpinBox>
#include <QLabel>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>

using namespace eenet;

class TestBudgetControl : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void disabledUntilLoaded();
    void sliderDrivesTheSession();
    void arrowKeysStepTheBudget();
    void exactValueBoxDrivesTheSession();
    void followsTheSession();

private:
    std::unique_ptr<Session> m_session;
};

void TestBudgetControl::init() {
    m_session = std::make_unique<Session>();
}

void TestBudgetControl::disabledUntilLoaded() {
    BudgetControl control(m_session.get());
    QVERIFY(!control.isEnabled());
    // No unitless 0.0000 before a file: the box says there is none.
    QCOMPARE(control.valueBox()->text(), QStringLiteral("no file"));
    QVERIFY(control.shareLabel()->text().isEmpty());
    m_session->setPredictions(test::sharedSynthetic({4, 5, 100, 0, 1}));
    QVERIFY(control.isEnabled());
    QVERIFY(control.valueBox()->text().startsWith(QStringLiteral("2.5")));
    QCOMPARE(control.valueBox()->minimum(), 1.0);
    QCOMPARE(control.valueBox()->maximum(), 4.0);
    QCOMPARE(m_session->budget(), 2.5); // the middle of [c_1, c_K] on load
    QCOMPARE(control.slider()->value(), BudgetControl::kSliderSteps / 2);
}

void TestBudgetControl::sliderDrivesTheSession() {
    BudgetControl control(m_session.get());
    m_session->setPredictions(test::sharedSynthetic({4, 5, 100, 0, 1}));
    QSignalSpy spy(m_session.get(), &Session::budgetChanged);
    control.slider()->setValue(BudgetControl::kSliderSteps);
    QCOMPARE(m_session->budget(), 4.0);
    control.slider()->setValue(0);
    QCOMPARE(m_session->budget(), 1.0);
    QCOMPARE(spy.count(), 2);
    QCOMPARE(control.valueBox()->value(), 1.0);
    QCOMPARE(control.shareLabel()->text(), QString("25.0 % of full cost"));
}

void TestBudgetControl::arrowKeysStepTheBudget() {
    BudgetControl control(m_session.get());
    m_session->setPredictions(test::sharedSynthetic({4, 5, 100, 0, 1}));
    const double before = m_session->budget();
    QTest::keyClick(control.slider(), Qt::Key_Right);
    QVERIFY(std::abs(m_session->budget() - (before + 3.0 / BudgetControl::kSliderSteps)) < 1e-12);
    QTest::keyClick(control.slider(), Qt::Key_Left);
    QTest::keyClick(control.slider(), Qt::Key_Left);
    QVERIFY(std::abs(m_session->budget() - (before - 3.0 / BudgetControl::kSliderSteps)) < 1e-12);
}

void TestBudgetControl::exactValueBoxDrivesTheSession() {
    BudgetControl control(m_session.get());
    m_session->setPredictions(test::sharedSynthetic({4, 5, 100, 0, 1}));
    control.valueBox()->setValue(3.25);
    QCOMPARE(m_session->budget(), 3.25);
    QCOMPARE(control.slider()->value(), 750);
    // It refuses values outside [c_1, c_K]; its tooltip says the range.
    QVERIFY2(control.valueBox()->toolTip().contains(QStringLiteral("from 1 to 4")),
             qPrintable(control.valueBox()->toolTip()));
}

void TestBudgetControl::followsTheSession() {
    BudgetControl control(m_session.get());
    m_session->setPredictions(test::sharedSynthetic({4, 5, 100, 0, 1}));
    m_session->setBudget(10.0); // clamped to c_K
    QCOMPARE(m_session->budget(), 4.0);
    QCOMPARE(control.slider()->value(), BudgetControl::kSliderSteps);
    QCOMPARE(control.shareLabel()->text(), QString("100.0 % of full cost"));
}

QTEST_MAIN(TestBudgetControl)
#include "tst_budgetcontrol.moc"
