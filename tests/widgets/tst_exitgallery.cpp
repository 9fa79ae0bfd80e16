#include "ExitGallery.h"
#include "InputsFixture.h"
#include "SessionFixture.h"
#include "ShowWidget.h"
#include "ThumbnailStrip.h"

#include <QLayout>
#include <QTest>

#include <algorithm>
#include <numeric>

using namespace eenet;

/// The gallery shows, per exit, exactly the samples the session's policy sends there, in the documented
/// order, follows budget and split, reads only what it shows and says why when it cannot show pictures.
class TestExitGallery : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void columnsHoldTheSamplesEachExitTakes_data();
    void columnsHoldTheSamplesEachExitTakes();
    void followsTheBudget();
    void followsTheSplit();
    void aFileWithOtherExitsGetsItsColumns();
    void headersGiveCountAndAccuracy();
    void emptyColumnSaysSo();
    void clickSelectsTheSample();
    void tooltipGivesLabelPredictionAndScore();
    void readsOnlyTheVisibleThumbnails();
    void textInputsShowAsSnippets();
    void withoutInputsAPlaceholderExplains();
    void withoutAPolicyAPlaceholderExplains();

private:
    /// The samples `exitOf` sends to `exit`, highest score there first (ties and the oracle by index).
    static QVector<int> expectedColumn(const SplitPolicy& shown, int exit);
    void showSnapshotAt(double share, const char* method = "maxprob");

    test::SessionFixture m_data{test::withInputs(*test::chartPredictions(), InputKind::Image)};
};

void TestExitGallery::init() {
    m_data.resetSession();
    m_data.session->setSplit(Split::Test);
    showSnapshotAt(0.4);
}

void TestExitGallery::showSnapshotAt(double share, const char* method) {
    m_data.session->setBudget(test::budgetAt(*m_data.predictions, share));
    m_data.session->setSnapshot(m_data.snapshot(method));
}

QVector<int> TestExitGallery::expectedColumn(const SplitPolicy& shown, int exit) {
    QVector<int> samples;
    for (int i = 0; i < shown.data->numSamples; ++i)
        if (shown.outcome.exitOf[size_t(i)] == exit)
            samples.push_back(i);
    if (shown.scores)
        std::stable_sort(samples.begin(), samples.end(),
                         [&](int a, int b) { return (*shown.scores)(exit, a) > (*shown.scores)(exit, b); });
    return samples;
}

void TestExitGallery::columnsHoldTheSamplesEachExitTakes_data() {
    QTest::addColumn<QString>("method");
    for (const char* method : {"maxprob", "entropy", "patience", "oracle"})
        QTest::newRow(method) << QString(method);
}

void TestExitGallery::columnsHoldTheSamplesEachExitTakes() {
    QFETCH(QString, method);
    showSnapshotAt(0.4, qPrintable(method));
    ExitGallery gallery(m_data.session.get());
    const SplitPolicy& shown = *m_data.session->snapshot()->split(Split::Test);
    QCOMPARE(gallery.columnCount(), 4);
    int total = 0;
    for (int k = 0; k < 4; ++k) {
        const QVector<int> column = gallery.samplesInColumn(k);
        QCOMPARE(column, expectedColumn(shown, k));
        total += column.size();
        if (shown.scores && column.size() > 1)
            QVERIFY((*shown.scores)(k, column.front()) >= (*shown.scores)(k, column.back()));
    }
    QCOMPARE(total, 700);
    if (method == QLatin1String("oracle")) {
        const QVector<int> first = gallery.samplesInColumn(0);
        QVERIFY(std::is_sorted(first.begin(), first.end()));
        QVERIFY(gallery.titleText().contains(QStringLiteral("sample order")));
    } else {
        QVERIFY(gallery.titleText().contains(QStringLiteral("most confident first")));
    }
    QVERIFY(gallery.titleText().contains(method));
    QVERIFY(gallery.titleText().contains(QStringLiteral("test split")));
}

void TestExitGallery::followsTheBudget() {
    ExitGallery gallery(m_data.session.get());
    const QVector<int> before = gallery.samplesInColumn(0);
    showSnapshotAt(0.9);
    const SplitPolicy& shown = *m_data.session->snapshot()->split(Split::Test);
    QVERIFY(gallery.samplesInColumn(0) != before);
    // A larger budget lets more samples go on: fewer leave at the first exit.
    QVERIFY(gallery.samplesInColumn(0).size() < before.size());
    for (int k = 0; k < 4; ++k)
        QCOMPARE(gallery.samplesInColumn(k), expectedColumn(shown, k));
}

void TestExitGallery::followsTheSplit() {
    ExitGallery gallery(m_data.session.get());
    m_data.session->setSplit(Split::Val);
    const SplitPolicy& shown = *m_data.session->snapshot()->split(Split::Val);
    int total = 0;
    for (int k = 0; k < 4; ++k) {
        QCOMPARE(gallery.samplesInColumn(k), expectedColumn(shown, k));
        total += gallery.samplesInColumn(k).size();
    }
    QCOMPARE(total, 1500);
    QVERIFY(gallery.titleText().contains(QStringLiteral("validation split")));
}

void TestExitGallery::aFileWithOtherExitsGetsItsColumns() {
    ExitGallery gallery(m_data.session.get());
    const auto threeExits = test::withInputs(*test::sharedSynthetic({3, 5, 300, 200, 9}), InputKind::Image);
    Evaluator evaluator(threeExits);
    m_data.session->setPredictions(threeExits);
    QVERIFY(gallery.showsPlaceholder());
    m_data.session->setSnapshot(test::snapshotOf(evaluator, "maxprob", m_data.session->budget()));
    QCOMPARE(gallery.columnCount(), 3);
    const SplitPolicy& shown = *m_data.session->snapshot()->split(Split::Test);
    for (int k = 0; k < 3; ++k)
        QCOMPARE(gallery.samplesInColumn(k), expectedColumn(shown, k));
    // The old columns are gone from the layout, not just hidden.
    QCOMPARE(gallery.column(0)->parentWidget()->parentWidget()->layout()->count(), 3);
}

void TestExitGallery::headersGiveCountAndAccuracy() {
    ExitGallery gallery(m_data.session.get());
    const SplitPolicy& shown = *m_data.session->snapshot()->split(Split::Test);
    for (int k = 0; k < 4; ++k) {
        const int count = gallery.samplesInColumn(k).size();
        QVERIFY(count > 0);
        const QString header = gallery.columnHeader(k);
        QVERIFY2(header.startsWith(QString::fromStdString(m_data.predictions->exitNames[size_t(k)])),
                 qPrintable(header));
        QVERIFY2(header.contains(QStringLiteral("%1 samples").arg(count)), qPrintable(header));
        const QString accuracy = QString::number(shown.outcome.perExitAccuracyPercent[size_t(k)], 'f', 1);
        QVERIFY2(header.contains(accuracy + QStringLiteral(" % right")), qPrintable(header));
    }
}

void TestExitGallery::emptyColumnSaysSo() {
    // At the first exit's cost the oracle can move no sample on: the other columns are empty.
    showSnapshotAt(0.0, "oracle");
    ExitGallery gallery(m_data.session.get());
    QCOMPARE(gallery.samplesInColumn(0).size(), 700);
    for (int k = 1; k < 4; ++k) {
        QVERIFY(gallery.samplesInColumn(k).isEmpty());
        QVERIFY2(gallery.columnHeader(k).contains(QStringLiteral("no sample leaves here")),
                 qPrintable(gallery.columnHeader(k)));
        QVERIFY(!gallery.column(k)->emptyText().isEmpty());
    }
}

void TestExitGallery::clickSelectsTheSample() {
    ExitGallery gallery(m_data.session.get());
    QVERIFY(test::showExposed(gallery, {900, 500}));
    ThumbnailStrip* strip = gallery.column(1);
    const QRect tile = strip->tileRect(2);
    QVERIFY(strip->viewport()->rect().contains(tile));
    QTest::mouseClick(strip->viewport(), Qt::LeftButton, {}, tile.center());
    const int sample = gallery.samplesInColumn(1)[2];
    QCOMPARE(m_data.session->selection().split, Split::Test);
    QCOMPARE(m_data.session->selection().indices, std::vector<int>{sample});
    QVERIFY(m_data.session->selection().description.contains(QString::number(sample)));
    QVERIFY(strip->isHighlighted(2));
    QVERIFY(!strip->isHighlighted(1));
}

void TestExitGallery::tooltipGivesLabelPredictionAndScore() {
    ExitGallery gallery(m_data.session.get());
    const PolicySnapshot& snapshot = *m_data.session->snapshot();
    const SplitPolicy& shown = *snapshot.split(Split::Test);
    const int sample = gallery.samplesInColumn(1)[0];
    const QString tip = gallery.column(1)->toolTipAt(0);
    const int label = shown.data->labels[size_t(sample)];
    const int predicted = shown.data->predictions(1, sample);
    QVERIFY2(tip.contains(QStringLiteral("sample %1").arg(sample)), qPrintable(tip));
    QVERIFY2(tip.contains(QString::fromStdString(m_data.predictions->classNames[size_t(label)])),
             qPrintable(tip));
    QVERIFY2(tip.contains(QString::fromStdString(m_data.predictions->classNames[size_t(predicted)])),
             qPrintable(tip));
    QVERIFY2(tip.contains(QString::number((*shown.scores)(1, sample), 'f', 4)), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("≥ threshold %1").arg(snapshot.thresholds[1], 0, 'f', 4)),
             qPrintable(tip));
    // The last exit has no threshold to pass.
    QVERIFY(gallery.column(3)->toolTipAt(0).contains(QStringLiteral("last exit takes every sample left")));
}

void TestExitGallery::readsOnlyTheVisibleThumbnails() {
    const auto& inputs = static_cast<const test::CountingInputs&>(*m_data.predictions->test->inputs);
    const int readsBefore = inputs.reads();
    ExitGallery gallery(m_data.session.get());
    QCOMPARE(inputs.reads(), readsBefore);
    QVERIFY(test::showExposed(gallery, {900, 500}));
    QTRY_VERIFY(inputs.reads() > readsBefore);
    // At 900 x 500 a few dozen tiles fit; the 700 test samples are not read.
    const int shownReads = inputs.reads() - readsBefore;
    QVERIFY2(shownReads < 200, qPrintable(QString::number(shownReads)));
    // A budget move re-reads none of the thumbnails seen before; a few new ones come into view at most.
    showSnapshotAt(0.45);
    gallery.grab();
    QVERIFY(inputs.reads() - readsBefore < 2 * shownReads);
}

void TestExitGallery::textInputsShowAsSnippets() {
    test::SessionFixture texts(test::withInputs(*test::chartPredictions(), InputKind::Text));
    texts.session->setSnapshot(texts.snapshot("maxprob"));
    ExitGallery gallery(texts.session.get());
    QVERIFY(!gallery.showsPlaceholder());
    QVERIFY(test::showExposed(gallery, {900, 500}));
    const QRect tile = gallery.column(0)->tileRect(0);
    // Text tiles are wider than tall, to hold three lines.
    QVERIFY(tile.width() > 2 * tile.height());
    QVERIFY(!gallery.grab().isNull());
}

void TestExitGallery::withoutInputsAPlaceholderExplains() {
    test::SessionFixture bare;
    bare.session->setSnapshot(bare.snapshot("maxprob"));
    ExitGallery gallery(bare.session.get());
    QVERIFY(gallery.showsPlaceholder());
    QVERIFY(gallery.placeholderText().contains(QStringLiteral("stores no inputs")));
    QVERIFY(gallery.placeholderText().contains(QStringLiteral("docs/format.md, 'Inputs'")));
    QVERIFY(gallery.samplesInColumn(0).isEmpty());

    Session empty;
    ExitGallery nothingLoaded(&empty);
    QVERIFY(nothingLoaded.showsPlaceholder());
    QVERIFY(nothingLoaded.placeholderText().contains(QStringLiteral("Open a predictions file")));
}

void TestExitGallery::withoutAPolicyAPlaceholderExplains() {
    m_data.session->setSnapshot(nullptr);
    ExitGallery gallery(m_data.session.get());
    QVERIFY(gallery.showsPlaceholder());
    QVERIFY(gallery.placeholderText().contains(QStringLiteral("No policy")));
    // EENet before any training cannot be shown: its note says why.
    m_data.session->setSnapshot(m_data.snapshot("eenet"));
    QVERIFY(!m_data.session->snapshot()->available);
    QCOMPARE(gallery.placeholderText(), QString::fromStdString(m_data.session->snapshot()->note));
    showSnapshotAt(0.4);
    QVERIFY(!gallery.showsPlaceholder());
}

QTEST_MAIN(TestExitGallery)
#include "tst_exitgallery.moc"
