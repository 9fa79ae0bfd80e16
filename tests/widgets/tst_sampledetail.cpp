#include "ExitGallery.h"
#include "InputsFixture.h"
#include "SampleDetail.h"
#include "SampleInspector.h"
#include "SampleTableModel.h"
#include "SessionFixture.h"

#include <QLabel>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

#include <cmath>

using namespace eenet;

class TestSampleDetail : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void showsTheImageLargeAndEveryExit();
    void marksTheExitThePolicyTakesAndFollowsTheBudget();
    void showsTextInputs();
    void withoutInputsShowsThePredictionsOnly();
    void theInspectorShowsItsCurrentRow();
    void aGalleryClickShowsTheSampleUpClose();

private:
    /// Plain text of the per-exit lines, one paragraph per exit.
    static QStringList exitParagraphs(const SampleDetail& detail);

    test::SessionFixture m_data{test::withInputs(*test::chartPredictions(), InputKind::Image)};
};

void TestSampleDetail::init() {
    m_data.resetSession();
    m_data.session->setSplit(Split::Test);
    m_data.session->setSnapshot(m_data.snapshot("maxprob"));
}

QStringList TestSampleDetail::exitParagraphs(const SampleDetail& detail) {
    QStringList paragraphs = detail.exits()->text().split(QStringLiteral("</p>"), Qt::SkipEmptyParts);
    for (QString& p : paragraphs) {
        p.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
        p.replace(QStringLiteral("&nbsp;"), QStringLiteral(" "));
        p.replace(QStringLiteral("&lt;"), QStringLiteral("<"))
            .replace(QStringLiteral("&gt;"), QStringLiteral(">"));
    }
    return paragraphs;
}

void TestSampleDetail::showsTheImageLargeAndEveryExit() {
    SampleDetail detail(m_data.session.get());
    const int sample = 7;
    detail.showSample(Split::Test, sample);
    // A 28x28 image shown at 4x, pixel for pixel.
    const QPixmap pixmap = detail.input()->pixmap();
    QCOMPARE(pixmap.size(), QSize(112, 112));
    const SampleInput input = m_data.predictions->test->inputs->read(sample);
    QCOMPARE(qGray(pixmap.toImage().pixel(4 * 13 + 1, 4 * 5 + 2)), int(input.pixels[5 * 28 + 13]));
    const Predictions& p = *m_data.predictions;
    const int label = p.test->labels[sample];
    QVERIFY(detail.heading()->text().contains(QString::fromStdString(p.classNames[size_t(label)])));
    const QStringList lines = exitParagraphs(detail);
    QCOMPARE(lines.size(), p.numExits);
    for (int k = 0; k < p.numExits; ++k) {
        // The top class first, with its probability in percent, marked right or wrong.
        const int top = predictedClass(*p.test, p.numClasses, k, sample);
        const float probability = p.test->row(p.numClasses, k, sample)[top];
        const QString expected = QStringLiteral("%1 %2\u00a0%")
                                     .arg(QString::fromStdString(p.classNames[size_t(top)]))
                                     .arg(100.0 * probability, 0, 'f', probability < 0.1f ? 1 : 0);
        QVERIFY2(lines[k].contains(QString::fromStdString(p.exitNames[size_t(k)]) + QStringLiteral(": ") +
                                   expected),
                 qPrintable(lines[k] + " / " + expected));
        QVERIFY(lines[k].contains(top == label ? QStringLiteral("✓") : QStringLiteral("✗")));
    }
}

void TestSampleDetail::marksTheExitThePolicyTakesAndFollowsTheBudget() {
    SampleDetail detail(m_data.session.get());
    const SplitPolicy* test = m_data.session->snapshot()->split(Split::Test);
    // A sample that leaves early at this budget and later at a smaller... any sample leaving before the last.
    int sample = 0;
    while (test->outcome.exitOf[size_t(sample)] == m_data.predictions->numExits - 1)
        ++sample;
    detail.showSample(Split::Test, sample);
    const auto checkMarks = [&](const SplitPolicy& policy, const PolicySnapshot& snapshot) {
        const int taken = policy.outcome.exitOf[size_t(sample)];
        const QStringList lines = exitParagraphs(detail);
        for (int k = 0; k < lines.size(); ++k) {
            QCOMPARE(lines[k].startsWith(QStringLiteral("▶")), k == taken);
            QCOMPARE(lines[k].contains(QStringLiteral("leaves here")), k == taken);
            QCOMPARE(lines[k].contains(QStringLiteral("never run")), k > taken);
            if (k + 1 < lines.size()) {
                const double threshold = snapshot.thresholds[size_t(k)];
                const bool passes = (*policy.scores)(k, sample) >= threshold;
                const QString rule = !std::isfinite(threshold) ? QStringLiteral("T = ∞, nobody exits here")
                                     : passes                  ? QStringLiteral(" ≥ T ")
                                                               : QStringLiteral(" < T ");
                QVERIFY2(lines[k].contains(rule), qPrintable(lines[k]));
            }
        }
    };
    checkMarks(*test, *m_data.session->snapshot());
    // The largest budget: the same sample re-judged.
    m_data.session->setSnapshot(m_data.snapshot("maxprob", m_data.session->maxBudget()));
    checkMarks(*m_data.session->snapshot()->split(Split::Test), *m_data.session->snapshot());
}

void TestSampleDetail::showsTextInputs() {
    test::SessionFixture texts(test::withInputs(*test::chartPredictions(), InputKind::Text));
    texts.session->setSnapshot(texts.snapshot("maxprob"));
    SampleDetail detail(texts.session.get());
    detail.showSample(Split::Val, 3);
    QVERIFY(detail.input()->isVisibleTo(&detail));
    QVERIFY(detail.input()->text().contains(QStringLiteral("Sample 3 is a review")));
}

void TestSampleDetail::withoutInputsShowsThePredictionsOnly() {
    test::SessionFixture plain;
    plain.session->setSnapshot(plain.snapshot("maxprob"));
    SampleDetail detail(plain.session.get());
    detail.showSample(Split::Val, 3);
    QVERIFY(!detail.input()->isVisibleTo(&detail));
    QCOMPARE(exitParagraphs(detail).size(), plain.predictions->numExits);
    detail.showSample(Split::Val, -1);
    QVERIFY(detail.exits()->text().isEmpty());
    QVERIFY(detail.heading()->text().contains(QStringLiteral("Click a row")));
}

void TestSampleDetail::theInspectorShowsItsCurrentRow() {
    SampleInspector inspector(m_data.session.get());
    SampleSelection selection;
    selection.split = Split::Test;
    selection.indices = {11, 4, 30};
    m_data.session->setSelection(selection);
    // The first row (sorted by sample) shows at once; another row follows the table's current row.
    QCOMPARE(inspector.detail()->sample(), 4);
    inspector.table()->setCurrentIndex(inspector.proxy()->index(2, 0));
    QCOMPARE(inspector.detail()->sample(), 30);
    m_data.session->setSelection({});
    QCOMPARE(inspector.detail()->sample(), -1);
}

void TestSampleDetail::aGalleryClickShowsTheSampleUpClose() {
    ExitGallery gallery(m_data.session.get());
    SampleInspector inspector(m_data.session.get());
    const int sample = gallery.samplesInColumn(1).front();
    gallery.selectSample(1, sample);
    QCOMPARE(inspector.model()->rowCount(), 1);
    QCOMPARE(inspector.detail()->sample(), sample);
    QCOMPARE(inspector.detail()->input()->pixmap().size(), QSize(112, 112));
    QVERIFY(exitParagraphs(*inspector.detail())[1].startsWith(QStringLiteral("▶")));
}

QTEST_MAIN(TestSampleDetail)
#include "tst_sampledetail.moc"
