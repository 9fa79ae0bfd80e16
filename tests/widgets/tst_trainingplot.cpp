#include "ShowWidget.h"
#include "TestData.h"
#include "TrainingPlot.h"
#include "session/Session.h"

#include <QTest>

using namespace eenet;

class TestTrainingPlot : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void emptyRunShowsText();
    void followsARealRunStepByStep();
    void phasesAreShadedWhereTheyFlip();
    void newRunStartsOver();
    void cancelledRunSaysSo();
    void axisTitlesAndTicksDoNotCollide();

private:
    std::shared_ptr<const Predictions> m_predictions;
    Session m_session;
    /// History of one real run, recorded from trainEENet's progress callback.
    std::vector<TrainingProgress> m_history;
};

void TestTrainingPlot::initTestCase() {
    m_predictions = test::chartPredictions();
    m_session.setPredictions(m_predictions);
}

void TestTrainingPlot::emptyRunShowsText() {
    TrainingPlot plot(&m_session);
    QVERIFY(plot.note()->visible());
    QCOMPARE(plot.note()->text(), QStringLiteral("No training yet: choose EENet and press Train"));
    QVERIFY(!plot.lossRect()->axis(QCPAxis::atLeft)->visible());
    QVERIFY(!plot.costRect()->axis(QCPAxis::atBottom)->visible());
    QVERIFY(!plot.budgetLine()->visible());
    QCOMPARE(plot.bceGraph()->dataCount(), 0);
}

void TestTrainingPlot::followsARealRunStepByStep() {
    TrainingPlot plot(&m_session);
    const double budget = 2.2;
    m_session.startTrainingRun(budget);
    QVERIFY(plot.title()->text().contains("running"));
    int calls = 0;
    const EENetFit fit = trainEENet(*m_predictions, budget, {}, [&](const TrainingProgress& progress) {
        m_session.appendTrainingProgress(progress);
        ++calls;
        // The plot keeps up with every step while the run goes on.
        QCOMPARE(plot.expectedCostGraph()->dataCount(), calls);
        if (calls == 37) {
            QVERIFY(plot.title()->text().contains("running… step 37 of 100"));
            // The step axis already spans the whole run.
            QCOMPARE(plot.costRect()->axis(QCPAxis::atBottom)->range().upper, 100.5);
            QCOMPARE(plot.lossRect()->axis(QCPAxis::atBottom)->range().upper, 100.5);
        }
    });
    m_session.finishTrainingRun();
    m_history = m_session.trainingRun().history;
    QCOMPARE(int(m_history.size()), 100);
    QCOMPARE(int(fit.history.size()), 100);

    for (QCPGraph* graph : {plot.bceGraph(), plot.klGraph(), plot.costLossGraph(), plot.expectedCostGraph()})
        QCOMPARE(graph->dataCount(), 100);
    for (int i = 0; i < 100; ++i) {
        const TrainingProgress& h = m_history[size_t(i)];
        QCOMPARE(plot.bceGraph()->data()->at(i)->key, double(h.step));
        QCOMPARE(plot.bceGraph()->data()->at(i)->value, h.bceLoss);
        QCOMPARE(plot.klGraph()->data()->at(i)->value, h.klLoss);
        QCOMPARE(plot.costLossGraph()->data()->at(i)->value, h.costLoss);
        QCOMPARE(plot.expectedCostGraph()->data()->at(i)->value, h.expectedCost);
    }
    QVERIFY(plot.budgetLine()->visible());
    QCOMPARE(plot.budgetLine()->point1->coords().y(), budget);
    QCOMPARE(plot.budgetLine()->point2->coords().y(), budget);
    QVERIFY(plot.title()->text().startsWith("EENet training at budget 2.2 ms"));
    QVERIFY(plot.title()->text().contains("finished"));
    QVERIFY(!plot.note()->visible());
    // Log scale only when every loss term is positive.
    const bool positive = std::all_of(m_history.begin(), m_history.end(), [](const TrainingProgress& h) {
        return h.bceLoss > 0 && h.klLoss > 0 && h.costLoss > 0;
    });
    QCOMPARE(plot.lossRect()->axis(QCPAxis::atLeft)->scaleType(),
             positive ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    // The budget, every expected cost and every loss value are in view.
    const QCPRange costs = plot.costRect()->axis(QCPAxis::atLeft)->range();
    const QCPRange losses = plot.lossRect()->axis(QCPAxis::atLeft)->range();
    QVERIFY(costs.contains(budget));
    for (const TrainingProgress& h : m_history) {
        QVERIFY(costs.contains(h.expectedCost));
        for (double loss : {h.bceLoss, h.klLoss, h.costLoss})
            QVERIFY2(losses.contains(loss), qPrintable(QString::number(loss)));
    }
}

void TestTrainingPlot::phasesAreShadedWhereTheyFlip() {
    QVERIFY(!m_history.empty());
    TrainingPlot plot(&m_session);
    // Independent recount of the phase runs in the real history.
    std::vector<std::pair<int, int>> runs;
    for (size_t i = 0; i < m_history.size(); ++i)
        if (i == 0 || m_history[i].scorePhase != m_history[i - 1].scorePhase)
            runs.push_back({int(i), int(i)});
        else
            runs.back().second = int(i);
    QCOMPARE(int(runs.size()), 10);
    QCOMPARE(plot.phaseBands().size(), runs.size());
    for (size_t r = 0; r < runs.size(); ++r) {
        const auto& band = plot.phaseBands()[r];
        const TrainingProgress& first = m_history[size_t(runs[r].first)];
        const TrainingProgress& last = m_history[size_t(runs[r].second)];
        QCOMPARE(band.firstStep, first.step);
        QCOMPARE(band.lastStep, last.step);
        QCOMPARE(band.scorePhase, first.scorePhase);
        QCOMPARE(band.scorePhase, r % 2 == 0);
        for (QCPItemRect* rect : {band.lossRect, band.costRect}) {
            QCOMPARE(rect->topLeft->coords().x(), first.step - 0.5);
            QCOMPARE(rect->bottomRight->coords().x(), last.step + 0.5);
        }
        QCOMPARE(band.lossRect->clipAxisRect(), plot.lossRect());
        QCOMPARE(band.costRect->clipAxisRect(), plot.costRect());
        if (r > 0)
            QVERIFY(band.lossRect->brush().color() != plot.phaseBands()[r - 1].lossRect->brush().color());
    }
    // The legend names both phases.
    QStringList names;
    for (int i = 0; i < plot.legend->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(plot.legend->item(i)))
            names << item->plottable()->name();
    QVERIFY(names.contains("score phase"));
    QVERIFY(names.contains("assignment phase"));
}

void TestTrainingPlot::newRunStartsOver() {
    QVERIFY(!m_history.empty());
    TrainingPlot plot(&m_session);
    QCOMPARE(plot.bceGraph()->dataCount(), 100);
    m_session.startTrainingRun(3.1);
    QCOMPARE(plot.bceGraph()->dataCount(), 0);
    QVERIFY(plot.phaseBands().empty());
    QVERIFY(plot.note()->visible());
    QVERIFY(plot.note()->text().contains("waiting for the first step"));
    for (size_t i = 0; i < 12; ++i)
        m_session.appendTrainingProgress(m_history[i]);
    QCOMPARE(plot.bceGraph()->dataCount(), 12);
    QCOMPARE(int(plot.phaseBands().size()), 2);
    QCOMPARE(plot.phaseBands()[1].firstStep, 11);
    QCOMPARE(plot.budgetLine()->point1->coords().y(), 3.1);
    QVERIFY(!plot.note()->visible());
}

void TestTrainingPlot::cancelledRunSaysSo() {
    QVERIFY(!m_history.empty());
    TrainingPlot plot(&m_session);
    m_session.startTrainingRun(2.5);
    for (size_t i = 0; i < 12; ++i)
        m_session.appendTrainingProgress(m_history[i]);
    m_session.finishTrainingRun(true);
    QVERIFY2(plot.title()->text().endsWith("(cancelled)"), qPrintable(plot.title()->text()));
    QVERIFY(!plot.title()->text().contains("finished"));
    // The next run that ends on its own says finished again.
    m_session.startTrainingRun(2.6);
    for (size_t i = 0; i < 12; ++i)
        m_session.appendTrainingProgress(m_history[i]);
    m_session.finishTrainingRun();
    QVERIFY2(plot.title()->text().endsWith("(finished)"), qPrintable(plot.title()->text()));
}

void TestTrainingPlot::axisTitlesAndTicksDoNotCollide() {
    QVERIFY(!m_history.empty());
    m_session.setTrainingRun({2.2, m_history, false, false});
    TrainingPlot plot(&m_session);
    // The dock's size in the first-use review at 1600x1000, where the titles ran into each other.
    QVERIFY(test::showExposed(plot, QSize(600, 330)));
    plot.replot();
    for (QCPAxisRect* rect : {plot.lossRect(), plot.costRect()}) {
        const QCPAxis* axis = rect->axis(QCPAxis::atLeft);
        // A left axis title is drawn vertically, centred on its panel: it stays beside its own panel.
        const int length = QFontMetrics(axis->labelFont()).horizontalAdvance(axis->label());
        QVERIFY2(length <= rect->height(),
                 qPrintable(QStringLiteral("\"%1\" is %2 px long beside a %3 px panel")
                                .arg(axis->label())
                                .arg(length)
                                .arg(rect->height())));
    }
    const QCPAxis* costs = plot.costRect()->axis(QCPAxis::atLeft);
    const int labelHeight = QFontMetrics(costs->tickLabelFont()).height();
    QVector<double> ticks;
    for (double tick : costs->tickVector())
        if (costs->range().contains(tick))
            ticks << costs->coordToPixel(tick);
    QVERIFY(ticks.size() >= 2);
    for (int i = 1; i < ticks.size(); ++i)
        QVERIFY2(std::abs(ticks[i] - ticks[i - 1]) >= labelHeight,
                 qPrintable(QStringLiteral("cost ticks %1 px apart, labels %2 px high")
                                .arg(std::abs(ticks[i] - ticks[i - 1]))
                                .arg(labelHeight)));
}

QTEST_MAIN(TestTrainingPlot)
#include "tst_trainingplot.moc"
