#include "InputsFixture.h"
#include "OverthinkingChart.h"
#include "OverthinkingView.h"
#include "SessionFixture.h"
#include "ShowWidget.h"
#include "ThumbnailStrip.h"

#include <QLabel>
#include <QScrollBar>
#include <QTest>

#include <algorithm>
#include <cstdlib>

using namespace eenet;

/// The overthinking view's bars, pictures and policy sentence match Overthinking's counts, on the shown split
/// and for the shown policy; its clicks select the samples they show.
class TestOverthinkingView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void barsCountEverySample();
    void policyCountsFollowTheSnapshot();
    void stripsShowTheChosenExit();
    void aNewPolicyKeepsThePictures();
    void followsTheSplit();
    void clickingABarSelectsItsSamples();
    void clickingAPictureSelectsIt();
    void withoutInputsTheCountsStay();
    void withoutAFileAMessageShows();

private:
    static QVector<double> barValues(const QCPBars& bars);
    static QVector<double> sizes(const std::vector<ExitVsLast>& perExit, bool helps);

    test::SessionFixture m_data{test::withInputs(*test::chartPredictions(), InputKind::Image)};
};

void TestOverthinkingView::init() {
    m_data.resetSession();
    m_data.session->setSplit(Split::Test);
    m_data.session->setSnapshot(m_data.snapshot("maxprob"));
}

QVector<double> TestOverthinkingView::barValues(const QCPBars& bars) {
    QVector<double> values;
    for (auto it = bars.data()->constBegin(); it != bars.data()->constEnd(); ++it)
        values.push_back(it->value);
    return values;
}

QVector<double> TestOverthinkingView::sizes(const std::vector<ExitVsLast>& perExit, bool helps) {
    QVector<double> values;
    for (size_t k = 0; k + 1 < perExit.size(); ++k)
        values.push_back(double((helps ? perExit[k].helps : perExit[k].hurts).size()));
    return values;
}

void TestOverthinkingView::barsCountEverySample() {
    OverthinkingView view(m_data.session.get());
    const auto expected = compareExitsWithLast(makeExitData(*m_data.predictions, *m_data.predictions->test));
    QCOMPARE(view.comparison().size(), expected.size());
    for (size_t k = 0; k < expected.size(); ++k) {
        QCOMPARE(view.comparison()[k].helps, expected[k].helps);
        QCOMPARE(view.comparison()[k].hurts, expected[k].hurts);
    }
    // One pair of bars per exit but the last, which is the reference.
    QCOMPARE(barValues(*view.chart()->helpsBars()), sizes(expected, true));
    QCOMPARE(barValues(*view.chart()->hurtsBars()), sizes(expected, false));
    QVERIFY(totalsOf(expected).helps > 0);
    QVERIFY(!view.chart()->message()->visible());
    QCOMPARE(view.chart()->tableData().rows.size(), 3);
}

void TestOverthinkingView::policyCountsFollowTheSnapshot() {
    OverthinkingView view(m_data.session.get());
    for (double share : {0.2, 0.7}) {
        m_data.session->setBudget(test::budgetAt(*m_data.predictions, share));
        m_data.session->setSnapshot(m_data.snapshot("maxprob"));
        const SplitPolicy& shown = *m_data.session->snapshot()->split(Split::Test);
        const auto expected = compareExitsWithLast(*shown.data, shown.outcome.exitOf);
        for (size_t k = 0; k < expected.size(); ++k) {
            QCOMPARE(view.policyComparison()[k].helps, expected[k].helps);
            QCOMPARE(view.policyComparison()[k].hurts, expected[k].hurts);
        }
        const ExitVsLastTotals totals = totalsOf(expected);
        const QString summary = view.policySummary();
        QVERIFY2(summary.contains(QStringLiteral("wrong at the last exit: %1;").arg(totals.helps)),
                 qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("right at the last exit: %1.").arg(totals.hurts)),
                 qPrintable(summary));
        const int net = totals.helps - totals.hurts;
        QVERIFY2(summary.contains(
                     QStringLiteral("Net: %1 %2 right").arg(std::abs(net)).arg(net >= 0 ? "more" : "fewer")),
                 qPrintable(summary));
    }
}

void TestOverthinkingView::stripsShowTheChosenExit() {
    OverthinkingView view(m_data.session.get());
    // It opens on the exit that overthinks the most samples.
    const auto& all = view.comparison();
    int most = 0;
    for (int k = 1; k + 1 < int(all.size()); ++k)
        if (all[size_t(k)].helps.size() > all[size_t(most)].helps.size())
            most = k;
    QCOMPARE(view.shownExit(), most);
    for (int k = 0; k < 3; ++k) {
        view.showExit(k);
        QCOMPARE(view.shownExit(), k);
        const QVector<int> helps(all[size_t(k)].helps.begin(), all[size_t(k)].helps.end());
        const QVector<int> hurts(all[size_t(k)].hurts.begin(), all[size_t(k)].hurts.end());
        QCOMPARE(view.helpsStrip()->samples(), helps);
        QCOMPARE(view.hurtsStrip()->samples(), hurts);
    }
    // The last exit is the reference, not a choice.
    view.showExit(3);
    QCOMPARE(view.shownExit(), 2);
    const QString tip = view.helpsStrip()->toolTipAt(0);
    QVERIFY2(tip.contains(QStringLiteral("✓ right")) && tip.contains(QStringLiteral("✗ wrong")),
             qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("stops it at")), qPrintable(tip));
}

void TestOverthinkingView::aNewPolicyKeepsThePictures() {
    OverthinkingView view(m_data.session.get());
    QVERIFY(test::showExposed(view, {900, 700}));
    ThumbnailStrip* strip = view.hurtsStrip();
    strip->verticalScrollBar()->setValue(strip->verticalScrollBar()->maximum());
    const int scrolled = strip->verticalScrollBar()->value();
    QVERIFY(scrolled > 0);
    m_data.session->setBudget(test::budgetAt(*m_data.predictions, 0.8));
    m_data.session->setSnapshot(m_data.snapshot("maxprob"));
    QCOMPARE(strip->verticalScrollBar()->value(), scrolled);
}

void TestOverthinkingView::followsTheSplit() {
    OverthinkingView view(m_data.session.get());
    m_data.session->setSplit(Split::Val);
    const auto expected = compareExitsWithLast(makeExitData(*m_data.predictions, m_data.predictions->val));
    QCOMPARE(barValues(*view.chart()->helpsBars()), sizes(expected, true));
    QCOMPARE(barValues(*view.chart()->hurtsBars()), sizes(expected, false));
    QVERIFY(view.policySummary().contains(QStringLiteral("validation split")));
}

void TestOverthinkingView::clickingABarSelectsItsSamples() {
    OverthinkingView view(m_data.session.get());
    QVERIFY(test::showExposed(view, {900, 700}));
    view.chart()->replot();
    OverthinkingChart& chart = *view.chart();
    const QPoint pixel(int(chart.xAxis->coordToPixel(chart.hurtsBars()->data()->at(1)->key)),
                       int(chart.yAxis->coordToPixel(0.5 * chart.hurtsBars()->data()->at(1)->value)));
    QTest::mouseClick(&chart, Qt::LeftButton, {}, pixel);
    QCOMPARE(m_data.session->selection().indices, view.comparison()[1].hurts);
    QCOMPARE(m_data.session->selection().split, Split::Test);
    QCOMPARE(view.shownExit(), 1);
    QVERIFY(chart.hurtsBars()->selection().contains(QCPDataSelection(QCPDataRange(1, 2))));
    QVERIFY(chart.helpsBars()->selection().isEmpty());
    // The outlined bar marks its samples; the strip below does not repeat it tile by tile.
    QVERIFY(!view.hurtsStrip()->isHighlighted(0));
}

void TestOverthinkingView::clickingAPictureSelectsIt() {
    OverthinkingView view(m_data.session.get());
    QVERIFY(test::showExposed(view, {900, 700}));
    ThumbnailStrip* strip = view.helpsStrip();
    QVERIFY(strip->samples().size() > 1);
    QTest::mouseClick(strip->viewport(), Qt::LeftButton, {}, strip->tileRect(1).center());
    QCOMPARE(m_data.session->selection().indices, std::vector<int>{strip->samples()[1]});
    QVERIFY(strip->isHighlighted(1));
}

void TestOverthinkingView::withoutInputsTheCountsStay() {
    test::SessionFixture bare;
    bare.session->setSnapshot(bare.snapshot("maxprob"));
    OverthinkingView view(bare.session.get());
    QVERIFY(view.showsPicturesPlaceholder());
    QVERIFY(!barValues(*view.chart()->helpsBars()).isEmpty());
    const QList<QLabel*> labels = view.findChildren<QLabel*>();
    QVERIFY(std::any_of(labels.begin(), labels.end(), [](const QLabel* label) {
        return label->text().contains(QStringLiteral("docs/format.md"));
    }));
    QVERIFY(!view.policySummary().isEmpty());
}

void TestOverthinkingView::withoutAFileAMessageShows() {
    Session empty;
    OverthinkingView view(&empty);
    QVERIFY(view.chart()->message()->visible());
    QVERIFY(view.showsPicturesPlaceholder());
    QCOMPARE(view.shownExit(), -1);
    QVERIFY(view.policySummary().isEmpty());
}

QTEST_MAIN(TestOverthinkingView)
#include "tst_overthinkingview.moc"
