#include "ClassExitMap.h"
#include "ExitDistributionPlot.h"
#include "SampleInspector.h"
#include "SampleTableModel.h"
#include "SessionFixture.h"

#include <QLocale>
#include <QSortFilterProxyModel>
#include <QTest>

#include <algorithm>
#include <set>

using namespace eenet;

namespace {

/// The threshold rule recomputed here: the first exit whose score reaches its threshold, else the last.
int firstPassingExit(const PolicySnapshot& snapshot, Split split, int i) {
    const ScoreMatrix& scores = *snapshot.split(split)->scores;
    const int last = static_cast<int>(scores.rows()) - 1;
    for (int k = 0; k < last; ++k)
        if (scores(k, i) >= snapshot.thresholds[static_cast<size_t>(k)])
            return k;
    return last;
}

QString cell(const SampleTableModel& model, int row, int column) {
    return model.data(model.index(row, column)).toString();
}

} // namespace

class TestSampleInspector : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void emptySelectionShowsTheHint();
    void rowsExplainTheThresholdRule();
    void newSnapshotRejudgesTheSameRows();
    void oracleSnapshotIsExplainedHonestly();
    void unavailableSnapshotLeavesThePolicyColumnsEmpty();
    void numericColumnsSortAsNumbers();
    void clickedBarFillsTheInspector();
    void headerNamesTheSelectionsBudgetAndTheCurrentOne();

private:
    /// Every `step`-th test sample.
    SampleSelection everyNth(int step) const;
    void checkThresholdRows(const SampleTableModel& model, const PolicySnapshot& snapshot, Split split);

    test::SessionFixture m_data;
};

void TestSampleInspector::init() {
    m_data.resetSession();
}

SampleSelection TestSampleInspector::everyNth(int step) const {
    SampleSelection selection{Split::Test, {}, QStringLiteral("every %1th test sample").arg(step)};
    for (int i = 0; i < m_data.predictions->test->numSamples; i += step)
        selection.indices.push_back(i);
    return selection;
}

void TestSampleInspector::checkThresholdRows(const SampleTableModel& model, const PolicySnapshot& snapshot,
                                             Split split) {
    const SplitPredictions& raw = split == Split::Val ? m_data.predictions->val : *m_data.predictions->test;
    const ScoreMatrix& scores = *snapshot.split(split)->scores;
    const int last = m_data.predictions->numExits - 1;
    for (int row = 0; row < model.rowCount(); ++row) {
        const int i = model.sampleAt(row);
        const int exit = firstPassingExit(snapshot, split, i);
        const int predicted = predictedClass(raw, m_data.predictions->numClasses, exit, i);
        const int label = raw.labels[static_cast<size_t>(i)];
        QCOMPARE(cell(model, row, SampleTableModel::SampleColumn), QString::number(i));
        QCOMPARE(cell(model, row, SampleTableModel::LabelColumn),
                 QString::fromStdString(m_data.predictions->classNames[static_cast<size_t>(label)]));
        QCOMPARE(model.exitTaken(row), exit);
        QCOMPARE(cell(model, row, SampleTableModel::ExitTakenColumn), QString::number(exit + 1));
        QCOMPARE(cell(model, row, SampleTableModel::PredictionColumn),
                 QString::fromStdString(m_data.predictions->classNames[static_cast<size_t>(predicted)]));
        QCOMPARE(cell(model, row, SampleTableModel::CorrectColumn),
                 predicted == label ? QStringLiteral("✓") : QStringLiteral("✗"));
        const QString why = cell(model, row, SampleTableModel::WhyColumn);
        if (exit < last) {
            QCOMPARE(why, QStringLiteral("exit %1: score %2 ≥ T_%1 %3")
                              .arg(exit + 1)
                              .arg(QString::number(scores(exit, i), 'f', 4),
                                   QString::number(snapshot.thresholds[static_cast<size_t>(exit)], 'f', 4)));
        } else {
            QVERIFY2(why.startsWith(QStringLiteral("no earlier score reached its threshold (exit 1: ")),
                     qPrintable(why));
            QCOMPARE(why.count(QStringLiteral(" < ")), last);
        }
        for (int k = 0; k <= last; ++k) {
            QCOMPARE(cell(model, row, SampleTableModel::scoreColumn(k)),
                     QString::number(scores(k, i), 'f', 4));
            QVERIFY(cell(model, row, SampleTableModel::predictionColumn(k))
                        .startsWith(QString::fromStdString(m_data.predictions->classNames[static_cast<size_t>(
                            predictedClass(raw, m_data.predictions->numClasses, k, i))])));
        }
    }
}

void TestSampleInspector::emptySelectionShowsTheHint() {
    SampleInspector inspector(m_data.session.get());
    QCOMPARE(inspector.model()->rowCount(), 0);
    QVERIFY(inspector.headerText().contains(QStringLiteral("Click a bar or a histogram bin")));
    m_data.session->setSelection(everyNth(50));
    QVERIFY(!inspector.headerText().contains(QStringLiteral("Click a bar")));
    m_data.session->setSelection({});
    QCOMPARE(inspector.model()->rowCount(), 0);
    QVERIFY(inspector.headerText().contains(QStringLiteral("Click a bar or a histogram bin")));
}

void TestSampleInspector::rowsExplainTheThresholdRule() {
    SampleInspector inspector(m_data.session.get());
    auto snapshot = m_data.snapshot("maxprob", m_data.session->budget());
    m_data.session->setSnapshot(snapshot);
    const SampleSelection selection = everyNth(3);
    m_data.session->setSelection(selection);
    QCOMPARE(inspector.model()->rowCount(), static_cast<int>(selection.indices.size()));
    QVERIFY(inspector.headerText().contains(selection.description));
    QVERIFY(inspector.headerText().contains(QLocale().toString(static_cast<int>(selection.indices.size())) +
                                            " samples"));
    checkThresholdRows(*inspector.model(), *snapshot, Split::Test);
    // The rule's reasons agree with the exits the policy recorded, and both kinds of reason occur.
    std::set<int> exits;
    for (int row = 0; row < inspector.model()->rowCount(); ++row) {
        QCOMPARE(inspector.model()->exitTaken(row),
                 snapshot->split(Split::Test)
                     ->outcome.exitOf[static_cast<size_t>(inspector.model()->sampleAt(row))]);
        exits.insert(inspector.model()->exitTaken(row));
    }
    QVERIFY(exits.count(0) && exits.count(m_data.predictions->numExits - 1));
}

void TestSampleInspector::newSnapshotRejudgesTheSameRows() {
    SampleInspector inspector(m_data.session.get());
    const double low = test::budgetAt(*m_data.predictions, 0.2);
    const double high = test::budgetAt(*m_data.predictions, 0.8);
    m_data.session->setSnapshot(m_data.snapshot("entropy", low));
    m_data.session->setSelection(everyNth(2));
    std::vector<int> before;
    for (int row = 0; row < inspector.model()->rowCount(); ++row)
        before.push_back(inspector.model()->exitTaken(row));
    auto later = m_data.snapshot("entropy", high);
    m_data.session->setSnapshot(later);
    QCOMPARE(inspector.model()->rowCount(), static_cast<int>(before.size()));
    checkThresholdRows(*inspector.model(), *later, Split::Test);
    int moved = 0;
    for (int row = 0; row < inspector.model()->rowCount(); ++row)
        moved += inspector.model()->exitTaken(row) != before[static_cast<size_t>(row)];
    QVERIFY(moved > 0);
    QVERIFY(inspector.headerText().contains(QString::number(high, 'g', 4)));
}

void TestSampleInspector::oracleSnapshotIsExplainedHonestly() {
    SampleInspector inspector(m_data.session.get());
    auto oracle = m_data.snapshot("oracle", m_data.session->budget());
    m_data.session->setSnapshot(oracle);
    SampleSelection all{Split::Val, {}, QStringLiteral("all validation samples")};
    for (int i = 0; i < m_data.predictions->val.numSamples; ++i)
        all.indices.push_back(i);
    m_data.session->setSelection(all);
    const SampleTableModel& model = *inspector.model();
    QCOMPARE(model.rowCount(), m_data.predictions->val.numSamples);
    int moved = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        const int i = model.sampleAt(row);
        const int exit = model.exitTaken(row);
        QCOMPARE(exit, oracle->split(Split::Val)->outcome.exitOf[static_cast<size_t>(i)]);
        QVERIFY(cell(model, row, SampleTableModel::WhyColumn).startsWith(QStringLiteral("oracle: ")));
        QVERIFY(cell(model, row, SampleTableModel::scoreColumn(0)).isEmpty());
        if (exit == 0)
            continue;
        // A moved sample went to its earliest correct exit.
        ++moved;
        QCOMPARE(cell(model, row, SampleTableModel::CorrectColumn), QStringLiteral("✓"));
        for (int k = 0; k < exit; ++k)
            QVERIFY(predictedClass(m_data.predictions->val, m_data.predictions->numClasses, k, i) !=
                    m_data.predictions->val.labels[static_cast<size_t>(i)]);
        QVERIFY(cell(model, row, SampleTableModel::WhyColumn).contains("earliest correct exit"));
    }
    QVERIFY(moved > 0);
}

void TestSampleInspector::unavailableSnapshotLeavesThePolicyColumnsEmpty() {
    SampleInspector inspector(m_data.session.get());
    m_data.session->setSelection(everyNth(10));
    auto eenet = m_data.snapshot("eenet", m_data.session->budget());
    m_data.session->setSnapshot(eenet);
    QCOMPARE(inspector.model()->exitTaken(0), -1);
    QCOMPARE(cell(*inspector.model(), 0, SampleTableModel::ExitTakenColumn), QStringLiteral("—"));
    QVERIFY(inspector.headerText().contains(QStringLiteral("eenet cannot be shown yet")));
    // Rows stay: the samples themselves are still known.
    QCOMPARE(inspector.model()->rowCount(), static_cast<int>(everyNth(10).indices.size()));
}

void TestSampleInspector::numericColumnsSortAsNumbers() {
    SampleInspector inspector(m_data.session.get());
    m_data.session->setSnapshot(m_data.snapshot("maxprob", m_data.session->budget()));
    m_data.session->setSelection({Split::Val, {3, 9, 10, 100, 1000}, QStringLiteral("five samples")});
    QSortFilterProxyModel& proxy = *inspector.proxy();
    proxy.sort(SampleTableModel::SampleColumn, Qt::DescendingOrder);
    QStringList order;
    for (int row = 0; row < proxy.rowCount(); ++row)
        order << proxy.index(row, SampleTableModel::SampleColumn).data().toString();
    QCOMPARE(order, QStringList({"1000", "100", "10", "9", "3"}));

    const int score = SampleTableModel::scoreColumn(0);
    proxy.sort(score, Qt::AscendingOrder);
    for (int row = 1; row < proxy.rowCount(); ++row)
        QVERIFY(proxy.index(row - 1, score).data(SampleTableModel::SortRole).toDouble() <=
                proxy.index(row, score).data(SampleTableModel::SortRole).toDouble());
}

void TestSampleInspector::clickedBarFillsTheInspector() {
    ExitDistributionPlot plot(m_data.session.get());
    SampleInspector inspector(m_data.session.get());
    auto snapshot = m_data.snapshot("maxprob", m_data.session->budget());
    m_data.session->setSnapshot(snapshot);
    const int last = m_data.predictions->numExits - 1;
    plot.selectBar(Split::Test, last, false);
    const SampleTableModel& model = *inspector.model();
    QCOMPARE(model.rowCount(), static_cast<int>(m_data.session->selection().indices.size()));
    QVERIFY(model.rowCount() > 0);
    for (int row = 0; row < model.rowCount(); ++row) {
        QCOMPARE(model.exitTaken(row), last);
        QCOMPARE(cell(model, row, SampleTableModel::CorrectColumn), QStringLiteral("✗"));
    }
    QVERIFY(inspector.headerText().contains(QStringLiteral("exit %1 · wrong · test split").arg(last + 1)));
}

void TestSampleInspector::headerNamesTheSelectionsBudgetAndTheCurrentOne() {
    ClassExitMap map(m_data.session.get());
    SampleInspector inspector(m_data.session.get());
    const double first = test::budgetAt(*m_data.predictions, 0.8);
    const double second = test::budgetAt(*m_data.predictions, 0.2);
    const QString unit = QString::fromStdString(m_data.predictions->costUnit);
    const auto cost = [&unit](double budget) {
        return QStringLiteral("%1 %2").arg(budget, 0, 'g', 4).arg(unit);
    };
    auto before = m_data.snapshot("maxprob", first);
    m_data.session->setSnapshot(before);
    // As in the first-use review: the class with most samples leaving at the last exit, that cell clicked.
    const int last = m_data.predictions->numExits - 1;
    const auto& labels = m_data.predictions->test->labels;
    const auto& exitOf = before->split(Split::Test)->outcome.exitOf;
    std::vector<int> atLast(static_cast<size_t>(m_data.predictions->numClasses), 0);
    for (size_t i = 0; i < labels.size(); ++i)
        atLast[static_cast<size_t>(labels[i])] += exitOf[i] == last;
    const int cls = static_cast<int>(std::max_element(atLast.begin(), atLast.end()) - atLast.begin());
    QVERIFY(atLast[static_cast<size_t>(cls)] > 0);
    map.selectCell(cls, last);
    QCOMPARE(m_data.session->selection().budget, first);
    const QString selected = QStringLiteral("Selected under maxprob at %1: ").arg(cost(first));
    QVERIFY2(inspector.headerText().contains(selected), qPrintable(inspector.headerText()));
    QVERIFY2(inspector.headerText().contains(
                 QStringLiteral("exit taken under maxprob at %1: exit %2").arg(cost(first)).arg(last + 1)),
             qPrintable(inspector.headerText()));

    // The budget moves down: the same rows, re-judged; the header dates the click and names the exits now.
    auto later = m_data.snapshot("maxprob", second);
    m_data.session->setSnapshot(later);
    std::set<int> exits;
    for (int sample : m_data.session->selection().indices)
        exits.insert(later->split(Split::Test)->outcome.exitOf[static_cast<size_t>(sample)] + 1);
    QVERIFY2(exits.size() > 1 || *exits.begin() != last + 1, "the move sends some rows elsewhere");
    QStringList names;
    const bool range = exits.size() > 2 && *exits.rbegin() - *exits.begin() + 1 == int(exits.size());
    if (range)
        names << QStringLiteral("%1–%2").arg(*exits.begin()).arg(*exits.rbegin());
    else
        for (int exit : exits)
            names << QString::number(exit);
    const QString now =
        QStringLiteral("rows re-judged under maxprob at %1: %2 now %3")
            .arg(cost(second), exits.size() == 1 ? QStringLiteral("exit") : QStringLiteral("exits"),
                 names.join(QStringLiteral(", ")));
    QVERIFY2(inspector.headerText().contains(selected), qPrintable(inspector.headerText()));
    QVERIFY2(inspector.headerText().contains(now), qPrintable(inspector.headerText() + " lacks " + now));
    QVERIFY(!inspector.headerText().contains(QStringLiteral("exit taken under")));
}

QTEST_MAIN(TestSampleInspector)
#include "tst_sampleinspector.moc"
