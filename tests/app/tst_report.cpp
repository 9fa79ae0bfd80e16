#include "CliRunner.h"
#include "Error.h"
#include "InputsFixture.h"
#include "MainWindow.h"
#include "ReportExporter.h"
#include "ReportPage.h"
#include "TestData.h"
#include "eval/TrainedScheduler.h"
#include "report/ReportCharts.h"
#include "report/ReportContent.h"
#include "report/ReportGallery.h"
#include "report/ReportTables.h"
#include "report/ReportText.h"
#include "report/ReportWriter.h"
#include "session/Session.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace eenet;
using namespace eenet::test;

namespace {

/// The row of `method` (first cell) in `rows`; empty when absent.
QStringList rowOf(const std::vector<QStringList>& rows, const std::string& method) {
    for (const QStringList& row : rows)
        if (!row.isEmpty() && row.front() == QString::fromStdString(method))
            return row;
    return {};
}

} // namespace

/// The HTML report: its page (well-formed, self-contained, images that load), its tables against core's
/// figures, its gallery when the file has inputs, the studio's exporter and `eenet-cli report` run headless.
class TestReport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void pageIsWellFormedForXmlAndHtmlParsers();
    void pageIsSelfContained();
    void imagesArePngsOfASaneSize();
    void methodsTableHasTheEvaluatorsFigures();
    void equalCostTableReadsEachCurveAtTheChosenCost();
    void thresholdsAreTheChosenPolicys();
    void whoPaysListsEachClassLargestLossFirst();
    void galleryShowsImagesOrTexts_data();
    void galleryShowsImagesOrTexts();
    void accuracyAtCost_data();
    void accuracyAtCost();
    void aFailedWriteNamesThePathAndLeavesTheTarget();
    void studioExporterWritesTheSessionsReport();
    void studioExporterRefusesEENetBeforeTraining();
    void studioExporterReportsThresholdsSetByHand();
    void studioFileMenuExportsTheReport();
    void cliWritesTheReportWithoutADisplay();
    void cliRejectsBadArguments_data();
    void cliRejectsBadArguments();

private:
    /// Writes the report of `method` at the fixture's budget on `predictions` (the fixture's, perhaps with
    /// inputs added) to `name` in the temporary directory, with the EENet scheduler trained at that budget.
    Page write(const std::shared_ptr<const Predictions>& predictions, const char* method,
               const QString& name);

    QTemporaryDir m_dir;
    std::shared_ptr<const Predictions> m_predictions;
    double m_budget = 0;
    std::unique_ptr<Evaluator> m_evaluator;
    std::shared_ptr<const TrainedScheduler> m_scheduler;
    Page m_eenet;
};

Page TestReport::write(const std::shared_ptr<const Predictions>& predictions, const char* method,
                       const QString& name) {
    ReportRequest request{predictions, *Method::parse(method), m_budget, {m_scheduler}, {}, "tst_report", {}};
    const QString path = m_dir.filePath(name);
    writeReport(path, collectReport(std::move(request)));
    return readPage(path);
}

void TestReport::initTestCase() {
    QStandardPaths::setTestModeEnabled(true); // the main window's settings and recent files
    QVERIFY(m_dir.isValid());
    m_predictions = chartPredictions();
    m_budget = budgetAt(*m_predictions, 0.4);
    m_evaluator = std::make_unique<Evaluator>(m_predictions);
    m_scheduler = std::make_shared<const TrainedScheduler>(
        describeFit(*m_evaluator, m_budget, m_evaluator->eenetFit(m_budget, false)));
    m_eenet = write(m_predictions, "eenet", "eenet.html");
}

void TestReport::pageIsWellFormedForXmlAndHtmlParsers() {
    QVERIFY2(m_eenet.xmlError.isEmpty(), qPrintable(m_eenet.xmlError));
    QProcess python;
    python.start(EENET_PYTHON, {"-c", kBalanceCheck, m_dir.filePath("eenet.html")});
    QVERIFY(python.waitForFinished(60000));
    QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    QCOMPARE(python.readAllStandardOutput().trimmed(), QByteArray("balanced"));
    for (const char* id : {"file", "curves", "exit-distribution", "methods", "equal-cost-comparison",
                           "who-pays-section", "scheduler"})
        QVERIFY2(m_eenet.sectionIds.contains(id), id);
}

void TestReport::pageIsSelfContained() {
    QVERIFY(!m_eenet.html.contains("http"));
    QVERIFY(!m_eenet.html.contains("<script"));
    QVERIFY(!m_eenet.html.contains("href"));
    QVERIFY(!m_eenet.html.contains("url("));
    QVERIFY(!m_eenet.html.contains("@import"));
    QVERIFY(m_eenet.html.contains("<style>"));
    for (const QString& source : m_eenet.imageSources)
        QVERIFY2(source.startsWith("data:image/png;base64,"), qPrintable(source.left(40)));
}

void TestReport::imagesArePngsOfASaneSize() {
    QCOMPARE(m_eenet.imageSources.size(), 2); // no inputs in this file: the two charts only
    for (const QString& source : m_eenet.imageSources) {
        const QImage image =
            QImage::fromData(QByteArray::fromBase64(source.section(',', 1).toLatin1()), "PNG");
        QVERIFY(!image.isNull());
        QCOMPARE(image.width(), kChartWidthPx * kChartScale);
        QVERIFY(image.height() >= 300 * kChartScale && image.height() <= image.width());
        // Drawn, not blank: curves and bars in many colours.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
    }
}

void TestReport::methodsTableHasTheEvaluatorsFigures() {
    const auto& rows = m_eenet.tables["methods-at-budget"];
    const std::vector<Method> methods = snapshotMethods();
    QCOMPARE(rows.size(), methods.size());
    for (const Method& method : methods) {
        const QStringList row = rowOf(rows, method.name());
        QVERIFY2(row.size() == 6, method.name().c_str());
        std::vector<MethodResult> expected;
        if (method.kind == Method::Kind::EENet)
            expected = m_scheduler->eenet;
        else if (method.kind == Method::Kind::EENetOpt)
            expected = m_scheduler->eenetOpt;
        else
            expected = m_evaluator->evaluate(method, m_budget, {Split::Val, Split::Test});
        QCOMPARE(row[1], percentNumber(expected[0].outcome.accuracyPercent));
        QCOMPARE(row[2], percentNumber(expected[1].outcome.accuracyPercent));
        QCOMPARE(row[3], costNumber(expected[0].outcome.cost));
        QCOMPARE(row[4], costNumber(expected[1].outcome.cost));
        QCOMPARE(row[5], fractionsText(expected[1].outcome.exitFractions));
    }
    QVERIFY(m_eenet.html.contains("<tr class=\"chosen\"><td>eenet</td>"));
    // Every number has its unit in the header.
    QCOMPARE(m_eenet.headers.at("methods-at-budget"),
             QStringList({"method", "val accuracy (%)", "test accuracy (%)", "val realised cost (ms)",
                          "test realised cost (ms)", "test exit fractions, exit 1 to 4 (%)"}));
}

void TestReport::equalCostTableReadsEachCurveAtTheChosenCost() {
    const auto& rows = m_eenet.tables["equal-cost"];
    QCOMPARE(rows.size(), snapshotMethods().size());
    // The chosen method is read at its own point; the others between two points of their curves.
    const MethodResult& chosen = m_scheduler->eenet[1];
    QCOMPARE(rowOf(rows, "eenet")[1], percentNumber(chosen.outcome.accuracyPercent));
    QCOMPARE(rowOf(rows, "eenet")[2], QString("+0.00"));
    const QStringList maxprob = rowOf(rows, "maxprob");
    QVERIFY2(maxprob[3].startsWith("between budget"), qPrintable(maxprob[3]));
    QVERIFY(rowOf(rows, "oracle")[3].startsWith("its ceiling"));
    QVERIFY(m_eenet.html.contains("interpolated linearly"));
    QVERIFY(m_eenet.html.contains(costText(chosen.outcome.cost, "ms").toUtf8()));
}

void TestReport::thresholdsAreTheChosenPolicys() {
    const auto& rows = m_eenet.tables["thresholds"];
    const std::vector<double>& thresholds = m_scheduler->fit.scheduler.thresholds;
    QCOMPARE(rows.size(), thresholds.size());
    for (size_t k = 0; k < thresholds.size(); ++k) {
        QCOMPARE(rows[k][2], thresholdText(thresholds[k]));
        QCOMPARE(rows[k][4], fractionPercent(m_scheduler->eenet[1].outcome.exitFractions[k]));
    }
    QCOMPARE(rows.back()[2], QString("−∞"));

    const Page maxprob = write(m_predictions, "maxprob", "maxprob.html");
    const auto expected = m_evaluator->evaluate(*Method::parse("maxprob"), m_budget, {Split::Val});
    for (size_t k = 0; k < expected[0].thresholds.size(); ++k)
        QCOMPARE(maxprob.tables.at("thresholds")[k][2], thresholdText(expected[0].thresholds[k]));
}

void TestReport::whoPaysListsEachClassLargestLossFirst() {
    const auto& rows = m_eenet.tables.at("who-pays");
    const auto& classes = m_predictions->classNames;
    QCOMPARE(rows.size(), std::min(classes.size(), size_t(kWhoPaysRows)));
    // Recounted from the scheduler's own test outcome: the report states the chosen policy.
    const std::vector<int>& exitOf = m_scheduler->eenet[1].outcome.exitOf;
    const SplitPredictions& test = *m_predictions->test;
    const int last = m_predictions->numExits - 1;
    double previous = -1000;
    for (const QStringList& row : rows) {
        const int cls =
            int(std::find(classes.begin(), classes.end(), row[0].toStdString()) - classes.begin());
        int samples = 0, right = 0, rightLast = 0;
        for (int i = 0; i < test.numSamples; ++i)
            if (test.labels[size_t(i)] == cls) {
                ++samples;
                right += predictedClass(test, m_predictions->numClasses, exitOf[size_t(i)], i) == cls;
                rightLast += predictedClass(test, m_predictions->numClasses, last, i) == cls;
            }
        QCOMPARE(row[1], QString::number(samples));
        QCOMPARE(row[2], percentNumber(100.0 * right / samples));
        QCOMPARE(row[4], signedPoints(100.0 * (right - rightLast) / samples));
        const double delta = 100.0 * (right - rightLast) / samples;
        QVERIFY(delta >= previous);
        previous = delta;
    }
}

void TestReport::galleryShowsImagesOrTexts_data() {
    QTest::addColumn<int>("kind");
    QTest::newRow("images") << int(InputKind::Image);
    QTest::newRow("texts") << int(InputKind::Text);
}

void TestReport::galleryShowsImagesOrTexts() {
    QFETCH(int, kind);
    QVERIFY(!m_eenet.sectionIds.contains("gallery")); // no inputs, no gallery
    const auto withSamples = withInputs(*m_predictions, InputKind(kind));
    const Page page = write(withSamples, "maxprob", QString("gallery-%1.html").arg(kind));
    QVERIFY2(page.xmlError.isEmpty(), qPrintable(page.xmlError));
    QVERIFY(page.sectionIds.contains("gallery"));
    const int exits = m_predictions->numExits;
    if (InputKind(kind) == InputKind::Image) {
        QCOMPARE(page.imageSources.size(), 2 + exits); // one strip per exit (every exit has leavers here)
        const QImage strip =
            QImage::fromData(QByteArray::fromBase64(page.imageSources.back().section(',', 1).toLatin1()));
        QVERIFY(strip.width() > strip.height() * 6); // a row of tiles
        QCOMPARE(page.textItems, 0);
    } else {
        QCOMPARE(page.imageSources.size(), 2);
        QCOMPARE(page.textItems, exits * kGallerySamplesPerExit);
        QVERIFY(page.html.contains("is a review of kind"));
    }
    QVERIFY(page.html.contains("✓") && page.html.contains("✗"));
}

void TestReport::accuracyAtCost_data() {
    QTest::addColumn<double>("cost");
    QTest::addColumn<bool>("isBound");
    QTest::addColumn<double>("expected"); // NaN: no value
    QTest::newRow("at a point") << 2.0 << false << 80.0;
    QTest::newRow("between two points") << 2.5 << false << 85.0;
    QTest::newRow("below the first") << 0.5 << false << qQNaN();
    QTest::newRow("past the last") << 5.0 << false << qQNaN();
    QTest::newRow("bound past the last") << 5.0 << true << 90.0;
}

void TestReport::accuracyAtCost() {
    QFETCH(double, cost);
    QFETCH(bool, isBound);
    QFETCH(double, expected);
    // Given out of cost order, as budgets may realise them.
    const std::vector<CostPoint> points{{3.1, 3.0, 90.0}, {1.1, 1.0, 70.0}, {2.1, 2.0, 80.0}};
    const EqualCostAccuracy read = eenet::accuracyAtCost(points, cost, isBound);
    QCOMPARE(read.pointCount, 3);
    if (qIsNaN(expected)) {
        QVERIFY(!read.accuracyPercent);
        return;
    }
    QVERIFY(read.accuracyPercent);
    QCOMPARE(*read.accuracyPercent, expected);
}

void TestReport::aFailedWriteNamesThePathAndLeavesTheTarget() {
    ReportRequest request{m_predictions, *Method::parse("maxprob"), m_budget, {}, {}, "tst_report", {}};
    const ReportContent content = collectReport(request);
    const QString missing = m_dir.filePath("no/such/dir/report.html");
    QVERIFY_THROWS_EXCEPTION(IoError, writeReport(missing, content));
    try {
        writeReport(missing, content);
    } catch (const IoError& e) {
        QVERIFY2(QString(e.what()).contains(missing), e.what());
    }
    // Over a directory: the directory stays.
    QVERIFY(QDir(m_dir.path()).mkdir("taken.html"));
    QVERIFY_THROWS_EXCEPTION(IoError, writeReport(m_dir.filePath("taken.html"), content));
    QVERIFY(QFileInfo(m_dir.filePath("taken.html")).isDir());
}

void TestReport::studioExporterWritesTheSessionsReport() {
    Session session;
    session.setPredictions(m_predictions);
    session.setCurves(sweepCurves(m_predictions, heuristicMethods(), 6));
    session.addScheduler(m_scheduler);
    session.setMethod(*Method::parse("eenet-opt"));
    session.setBudget(m_budget);
    ReportExporter exporter(&session);
    QSignalSpy exported(&exporter, &ReportExporter::exported);
    const QString path = m_dir.filePath("studio.html");
    QVERIFY(exporter.exportTo(path));
    QVERIFY(exported.wait(60000));
    QCOMPARE(exported.front()[0].toString(), path);
    QCOMPARE(exported.front()[1].toLongLong(), QFileInfo(path).size());
    const Page page = readPage(path);
    QVERIFY2(page.xmlError.isEmpty(), qPrintable(page.xmlError));
    QVERIFY(page.html.contains("<tr class=\"chosen\"><td>eenet-opt</td>"));
    QVERIFY(page.html.contains("Written by EENet Studio"));
    QCOMPARE(rowOf(page.tables.at("methods-at-budget"), "eenet-opt")[2],
             percentNumber(m_scheduler->eenetOpt[1].outcome.accuracyPercent));
}

void TestReport::studioExporterRefusesEENetBeforeTraining() {
    Session session;
    ReportExporter exporter(&session);
    QSignalSpy failed(&exporter, &ReportExporter::failed);
    QVERIFY(!exporter.exportTo(m_dir.filePath("none.html")));
    QVERIFY(failed.back()[1].toString().contains("no file"));
    session.setPredictions(m_predictions);
    session.setMethod(*Method::parse("eenet"));
    QVERIFY(!exporter.exportTo(m_dir.filePath("untrained.html")));
    QVERIFY(failed.back()[1].toString().contains("no EENet scheduler trained yet"));
    QVERIFY(!QFileInfo::exists(m_dir.filePath("untrained.html")));
}

void TestReport::studioExporterReportsThresholdsSetByHand() {
    Session session;
    session.setPredictions(m_predictions);
    session.setCurves(sweepCurves(m_predictions, heuristicMethods(), 6));
    session.setBudget(m_budget);
    const auto fitted = m_evaluator->evaluate(*Method::parse("entropy"), m_budget, {Split::Val, Split::Test});
    CustomPolicy custom{*Method::parse("entropy"), nullptr, fitted[0].thresholds};
    custom.thresholds[0] = 0.5 * (custom.thresholds[0] + 1.0); // fewer leave at exit 1 than fitted
    session.setCustomPolicy(custom);
    QVERIFY(session.customPolicy());

    ReportExporter exporter(&session);
    QSignalSpy exported(&exporter, &ReportExporter::exported);
    const QString path = m_dir.filePath("custom.html");
    QVERIFY(exporter.exportTo(path));
    QVERIFY(exported.wait(60000));
    const Page page = readPage(path);
    QVERIFY2(page.xmlError.isEmpty(), qPrintable(page.xmlError));
    QVERIFY(page.html.contains("Thresholds set by hand on the scores of entropy"));
    // The thresholds are the hand-set ones, and the policy's figures those of core's custom snapshot.
    const auto& rows = page.tables.at("thresholds");
    for (size_t k = 0; k + 1 < custom.thresholds.size(); ++k)
        QCOMPARE(rows[k][2], thresholdText(custom.thresholds[k]));
    Evaluator evaluator(m_predictions);
    const PolicySnapshot expected = computeCustomSnapshot(evaluator, custom, m_budget);
    const QStringList row = rowOf(page.tables.at("methods-at-budget"), "custom");
    QVERIFY(!row.isEmpty());
    QVERIFY(page.html.contains("<tr class=\"chosen\"><td>custom</td>"));
    QCOMPARE(row[1], percentNumber(expected.split(Split::Val)->outcome.accuracyPercent));
    QCOMPARE(row[2], percentNumber(expected.split(Split::Test)->outcome.accuracyPercent));
    // The fitted entropy policy is still compared beside it.
    QVERIFY(!rowOf(page.tables.at("methods-at-budget"), "entropy").isEmpty());
}

void TestReport::studioFileMenuExportsTheReport() {
    MainWindow window;
    QAction* action = nullptr;
    for (QAction* entry : window.menuBar()->actions().front()->menu()->actions())
        if (entry->text() == "Export &Report…")
            action = entry;
    QVERIFY(action);
    QVERIFY(action->statusTip().contains("HTML"));
    // The menu entry asks for a path, then hands it to the window's exporter, whose result the status bar
    // shows.
    auto* exporter = window.findChild<ReportExporter*>();
    QVERIFY(exporter);
    window.session()->setPredictions(m_predictions);
    const QString path = m_dir.filePath("menu.html");
    QSignalSpy exported(exporter, &ReportExporter::exported);
    QVERIFY(exporter->exportTo(path));
    QVERIFY(exported.wait(60000));
    QVERIFY2(window.statusBar()->currentMessage().startsWith("Report written to " + path),
             qPrintable(window.statusBar()->currentMessage()));
}

void TestReport::cliWritesTheReportWithoutADisplay() {
    const QString input = writeSynthetic(m_dir.filePath("cli.h5"), {4, 10, 500, 200, 9});
    const QString path = m_dir.filePath("cli.html");
    // No display and no platform chosen: the command must pick the offscreen one itself.
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    const QByteArray display = qgetenv("DISPLAY");
    qunsetenv("QT_QPA_PLATFORM");
    qunsetenv("DISPLAY");
    qunsetenv("WAYLAND_DISPLAY");
    const CliRun run = runCli({"report", input, "--method", "eenet", "--budget", "40%", "--out", path});
    qputenv("QT_QPA_PLATFORM", platform);
    if (!display.isEmpty())
        qputenv("DISPLAY", display);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.startsWith("wrote " + path.toUtf8()), run.out.constData());
    QVERIFY(run.out.contains("eenet at budget"));
    QVERIFY(run.out.contains("(40% of the full cost), 11 methods compared, EENet fitted at 1 budget"));
    const Page page = readPage(path);
    QVERIFY2(page.xmlError.isEmpty(), qPrintable(page.xmlError));
    QCOMPARE(page.imageSources.size(), 2);
    QCOMPARE(page.tables.at("methods-at-budget").size(), snapshotMethods().size());
    QVERIFY(page.html.contains("Written by eenet-cli"));
}

void TestReport::cliRejectsBadArguments_data() {
    addRejectedColumns();
    const QString input = writeSynthetic(m_dir.filePath("bad-args.h5"), {4, 10, 300, 100, 9});
    const QString out = m_dir.filePath("r.html");
    const QStringList base{"report", input, "--out", out};
    QTest::newRow("no budget") << base << 2 << "missing --budget\nusage: eenet-cli report";
    QTest::newRow("no out") << QStringList{"report", input, "--budget", "0.5"} << 2 << "missing --out";
    QTest::newRow("unknown method") << base + QStringList{"--budget", "40%", "--method", "fast"} << 2
                                    << "--method must be one of eenet, eenet-opt, maxprob";
    QTest::newRow("static") << base + QStringList{"--budget", "40%", "--method", "static"} << 2
                            << "got 'static'";
    QTest::newRow("budget not a number") << base + QStringList{"--budget", "forty%"} << 2 << "--budget needs";
    QTest::newRow("budget out of range") << base + QStringList{"--budget", "5%", "--method", "maxprob"} << 1
                                         << "--budget 5%: 5 % of the full cost";
    QTest::newRow("curve of one") << base + QStringList{"--budget", "40%", "--eenet-curve", "1"} << 2
                                  << "--eenet-curve needs 2 to 100 budgets";
    QTest::newRow("missing directory")
        << QStringList{"report", input, "--budget", "40%", "--out", m_dir.filePath("missing/r.html")} << 1
        << m_dir.filePath("missing/r.html") + ": cannot write: the directory";
    QTest::newRow("missing input") << QStringList{"report", out + ".txt", "--budget", "40%", "--out", out}
                                   << 1 << "no such file";
}

void TestReport::cliRejectsBadArguments() {
    CliRun run;
    runRejectedRow(run);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(run.out.isEmpty());
    QVERIFY(!QFileInfo::exists(m_dir.filePath("r.html")));
}

QTEST_MAIN(TestReport)
#include "tst_report.moc"
