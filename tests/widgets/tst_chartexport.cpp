#include "ChartExport.h"
#include "ClassExitMap.h"
#include "Error.h"
#include "ExitAccuracyPlot.h"
#include "ExitDistributionPlot.h"
#include "FileSizeLimit.h"
#include "PolicyCurvesPlot.h"
#include "SampleInspector.h"
#include "SampleTableModel.h"
#include "SessionFixture.h"
#include "ShowWidget.h"
#include "ThresholdHistograms.h"
#include "TrainingPlot.h"

#include <QApplication>
#include <QFileDialog>
#include <QImage>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <set>
#include <unistd.h>

using namespace eenet;

namespace {

/// An RFC 4180 reader, independent of the writer: records of fields, quoted fields may hold commas, doubled
/// quotes and line breaks.
std::vector<QStringList> parseCsv(const QString& text) {
    std::vector<QStringList> records;
    QStringList record;
    QString field;
    bool quoted = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                field += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            record << field;
            field.clear();
        } else if (c == QLatin1Char('\r') && i + 1 < text.size() && text[i + 1] == QLatin1Char('\n')) {
            record << field;
            field.clear();
            records.push_back(record);
            record.clear();
            ++i;
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !record.isEmpty()) {
        record << field;
        records.push_back(record);
    }
    return records;
}

std::vector<QStringList> readCsv(const QString& path) {
    return parseCsv(QString::fromUtf8(test::readBytes(path)));
}

/// Exports the chart's table, reads it back and checks it holds the header and rows the chart reported.
std::vector<QStringList> exportedRows(const InteractivePlot& plot, const QString& path) {
    const ChartTable table = plot.tableData();
    writeCsv(path, table.header, table.rows);
    std::vector<QStringList> records = readCsv(path);
    if (records.empty() || records.front() != table.header)
        return {};
    records.erase(records.begin());
    return records;
}

double number(const QString& text) {
    bool ok = false;
    const double value = text.toDouble(&ok);
    return ok ? value : std::nan("");
}

} // namespace

class TestChartExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void pngIsDrawnAtTheChosenResolution();
    void extensionIsAddedWhenMissingOrWrong_data();
    void extensionIsAddedWhenMissingOrWrong();
    void formatFollowsTheExtension();
    void eachFormatHasItsMagic_data();
    void eachFormatHasItsMagic();
    void everyChartRendersAtTheRequestedSize();
    void csvQuotesCommasQuotesAndLineBreaks();
    void csvNumbersReadBackExactly();
    void policyCurvesCsvHoldsEveryResult();
    void exitDistributionCsvEqualsTheBars();
    void thresholdHistogramsCsvEqualsTheBins();
    void classExitMapCsvQuotesClassNames();
    void trainingPlotCsvListsEveryStep();
    void exitAccuracyCsvListsEveryExit();
    void defaultTableListsThePlottedPoints();
    void unwritablePathThrowsIoError_data();
    void unwritablePathThrowsIoError();
    void failedWriteLeavesTheExistingFileIntact_data();
    void failedWriteLeavesTheExistingFileIntact();
    void readOnlyDirectoryLeavesTheExistingFileIntact();
    void inspectorCsvListsExactlyTheSelectedSamples();
    void contextMenuExportsThroughTheSaveDialog_data();
    void contextMenuExportsThroughTheSaveDialog();

private:
    test::SessionFixture m_data;
    std::vector<Curve> m_curves;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestChartExport::initTestCase() {
    QStandardPaths::setTestModeEnabled(true); // the export size lives in QSettings
    QCoreApplication::setOrganizationName(QStringLiteral("EENetTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_chartexport"));
    QSettings().clear();
    m_curves = sweepCurves(m_data.predictions, heuristicMethods(), 6);
}

void TestChartExport::init() {
    m_data.resetSession();
    m_data.session->setSnapshot(m_data.snapshot("maxprob", m_data.session->budget()));
    m_data.session->setCurves(m_curves);
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestChartExport::extensionIsAddedWhenMissingOrWrong_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<ImageFormat>("format");
    QTest::addColumn<QString>("expected");
    QTest::newRow("png missing") << "/tmp/plot" << ImageFormat::Png << "/tmp/plot.png";
    QTest::newRow("pdf missing") << "/tmp/plot" << ImageFormat::Pdf << "/tmp/plot.pdf";
    QTest::newRow("svg missing") << "/tmp/plot" << ImageFormat::Svg << "/tmp/plot.svg";
    QTest::newRow("png present") << "/tmp/plot.png" << ImageFormat::Png << "/tmp/plot.png";
    QTest::newRow("upper case kept") << "/tmp/plot.SVG" << ImageFormat::Svg << "/tmp/plot.SVG";
    QTest::newRow("wrong extension") << "/tmp/plot.txt" << ImageFormat::Png << "/tmp/plot.txt.png";
    QTest::newRow("other format's") << "/tmp/plot.png" << ImageFormat::Pdf << "/tmp/plot.png.pdf";
    QTest::newRow("dotted directory") << "/tmp/v1.2/plot" << ImageFormat::Svg << "/tmp/v1.2/plot.svg";
    QTest::newRow("trailing dot") << "/tmp/plot." << ImageFormat::Png << "/tmp/plot.png";
}

void TestChartExport::extensionIsAddedWhenMissingOrWrong() {
    QFETCH(QString, path);
    QFETCH(ImageFormat, format);
    QFETCH(QString, expected);
    QCOMPARE(withExtension(path, format), expected);
    QCOMPARE(imageFormatForPath(withExtension(path, format), ImageFormat::Png), format);
}

void TestChartExport::formatFollowsTheExtension() {
    QCOMPARE(imageFormatForPath("a/b.png"), ImageFormat::Png);
    QCOMPARE(imageFormatForPath("a/b.PDF"), ImageFormat::Pdf);
    QCOMPARE(imageFormatForPath("a/b.svg", ImageFormat::Pdf), ImageFormat::Svg);
    QCOMPARE(imageFormatForPath("a/b"), ImageFormat::Png);
    QCOMPARE(imageFormatForPath("a/b.jpg", ImageFormat::Svg), ImageFormat::Svg);
}

void TestChartExport::eachFormatHasItsMagic_data() {
    QTest::addColumn<ImageFormat>("format");
    QTest::newRow("png") << ImageFormat::Png;
    QTest::newRow("pdf") << ImageFormat::Pdf;
    QTest::newRow("svg") << ImageFormat::Svg;
}

void TestChartExport::eachFormatHasItsMagic() {
    QFETCH(ImageFormat, format);
    ExitDistributionPlot plot(m_data.session.get());
    const QString path = withExtension(m_dir->filePath("distribution"), format);
    exportChart(plot, path, format, 900, 600);
    const QByteArray bytes = test::readBytes(path);
    QVERIFY2(bytes.size() > 2000, qPrintable(QString::number(bytes.size())));
    // Nothing but the target is left in the directory (no temporary file).
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files), QStringList{QFileInfo(path).fileName()});
    switch (format) {
    case ImageFormat::Png: {
        QVERIFY(bytes.startsWith("\x89PNG\r\n\x1a\n"));
        const QImage image(path);
        QCOMPARE(image.size(), QSize(900, 600));
        // A white background with coloured bars on it.
        QCOMPARE(image.pixelColor(2, 2), QColor(Qt::white));
        break;
    }
    case ImageFormat::Pdf:
        QVERIFY(bytes.startsWith("%PDF"));
        // One page, a point per pixel.
        QVERIFY(QRegularExpression(R"(/MediaBox \[0 0 900(\.0*)? 600(\.0*)?\])").match(bytes).hasMatch());
        break;
    case ImageFormat::Svg:
        QVERIFY(bytes.contains("<svg"));
        QVERIFY(bytes.contains("viewBox=\"0 0 900 600\""));
        // Text stays text: the axis label is searchable.
        QVERIFY(bytes.contains("samples leaving here (%)"));
        // The hatched "wrong" bars, which SVG cannot take as a texture, are filled with the hatch's light
        // colour; on screen they stay hatched.
        QVERIFY(bytes.contains("fill=\"" + QColor(31, 119, 180).lighter(175).name().toLatin1() + "\""));
        QCOMPARE(plot.bars(Split::Val, false)->brush().style(), Qt::TexturePattern);
        break;
    }
}

void TestChartExport::everyChartRendersAtTheRequestedSize() {
    ExitAccuracyPlot accuracy;
    accuracy.setSummary(m_data.session->summary());
    PolicyCurvesPlot curves(m_data.session.get());
    ExitDistributionPlot distribution(m_data.session.get());
    ThresholdHistograms histograms(m_data.session.get());
    ClassExitMap classMap(m_data.session.get());
    TrainingPlot training(m_data.session.get());
    const std::vector<std::pair<const char*, InteractivePlot*>> charts{
        {"accuracy", &accuracy},     {"curves", &curves},      {"distribution", &distribution},
        {"histograms", &histograms}, {"class-map", &classMap}, {"training", &training}};
    for (const auto& [name, chart] : charts) {
        const QString path = m_dir->filePath(QString::fromLatin1(name) + ".png");
        exportChart(*chart, path, ImageFormat::Png, 640, 420);
        QCOMPARE(QImage(path).size(), QSize(640, 420));
    }
    // Without a size, the widget's own.
    classMap.resize(500, 300);
    exportChart(classMap, m_dir->filePath("widget-size.png"), ImageFormat::Png);
    QCOMPARE(QImage(m_dir->filePath("widget-size.png")).size(), QSize(500, 300));
    // Exporting at another size leaves the on-screen layout as it was, so hovering still hits the right cell.
    classMap.replot();
    const QRect onScreen = classMap.axisRect()->rect();
    exportChart(classMap, m_dir->filePath("large.svg"), ImageFormat::Svg, 1600, 1200);
    QCOMPARE(classMap.axisRect()->rect(), onScreen);
}

void TestChartExport::csvQuotesCommasQuotesAndLineBreaks() {
    const QString path = m_dir->filePath("quoting.csv");
    const QStringList header{"name", "value"};
    const std::vector<QStringList> rows{{"plain", "1"},           {"comma, here", "2"},
                                        {"say \"hi\"", "3"},      {"two\nlines", "4"},
                                        {"carriage\rreturn", ""}, {" spaced ", "ünïcödé ✓"}};
    writeCsv(path, header, rows);
    QCOMPARE(test::readBytes(path), QStringLiteral("name,value\r\n"
                                                   "plain,1\r\n"
                                                   "\"comma, here\",2\r\n"
                                                   "\"say \"\"hi\"\"\",3\r\n"
                                                   "\"two\nlines\",4\r\n"
                                                   "\"carriage\rreturn\",\r\n"
                                                   " spaced ,ünïcödé ✓\r\n")
                                        .toUtf8());
    std::vector<QStringList> expected{header};
    expected.insert(expected.end(), rows.begin(), rows.end());
    QCOMPARE(readCsv(path), expected);
}

void TestChartExport::csvNumbersReadBackExactly() {
    for (double value : {0.1, 1.0 / 3.0, 1e-12, 123456789.125, -2.5, 0.0})
        QCOMPARE(csvNumber(value).toDouble(), value);
    QCOMPARE(csvNumber(0.1), QStringLiteral("0.1"));
    QCOMPARE(csvNumber(42), QStringLiteral("42"));
    QCOMPARE(csvNumber(std::numeric_limits<double>::infinity()), QStringLiteral("inf"));
    QCOMPARE(csvNumber(-std::numeric_limits<double>::infinity()), QStringLiteral("-inf"));
    QCOMPARE(csvNumber(std::nan("")), QString());
}

void TestChartExport::policyCurvesCsvHoldsEveryResult() {
    PolicyCurvesPlot plot(m_data.session.get());
    const auto rows = exportedRows(plot, m_dir->filePath("curves.csv"));
    size_t expected = 0;
    for (const Curve& curve : m_data.session->curves())
        expected += curve.val.size() + curve.test.size();
    QCOMPARE(rows.size(), expected);
    // 5 leading columns, 4 exit fractions, 3 thresholds.
    for (const QStringList& row : rows)
        QCOMPARE(row.size(), 12);
    // The test split's maxprob points are the plotted ones.
    std::vector<QStringList> maxprobTest;
    for (const QStringList& row : rows)
        if (row[0] == "maxprob" && row[1] == "test")
            maxprobTest.push_back(row);
    QCOMPARE(int(maxprobTest.size()), plot.curve("maxprob")->dataCount());
    for (int i = 0; i < plot.curve("maxprob")->dataCount(); ++i) {
        QCOMPARE(number(maxprobTest[size_t(i)][3]), plot.curve("maxprob")->data()->at(i)->key);
        QCOMPARE(number(maxprobTest[size_t(i)][4]), plot.curve("maxprob")->data()->at(i)->value);
    }
    const Curve& maxprob = *std::find_if(m_data.session->curves().begin(), m_data.session->curves().end(),
                                         [](const Curve& c) { return c.method == "maxprob"; });
    const MethodResult& r = maxprob.test[3];
    QCOMPARE(number(maxprobTest[3][2]), *r.budget);
    for (size_t k = 0; k < 4; ++k)
        QCOMPARE(number(maxprobTest[3][5 + int(k)]), r.outcome.exitFractions[k]);
    for (size_t k = 0; k < 3; ++k)
        QCOMPARE(number(maxprobTest[3][9 + int(k)]), r.thresholds[k]);
    // Static exits: no budget, no thresholds.
    const auto exit2 = std::find_if(rows.begin(), rows.end(), [](const QStringList& row) {
        return row[0] == "exit-2" && row[1] == "val";
    });
    QVERIFY(exit2 != rows.end());
    QVERIFY((*exit2)[2].isEmpty());
    QVERIFY((*exit2)[9].isEmpty());
    QCOMPARE(number((*exit2)[4]),
             exitAccuracyPercent(m_data.predictions->val, m_data.predictions->numClasses, 1));
}

void TestChartExport::exitDistributionCsvEqualsTheBars() {
    ExitDistributionPlot plot(m_data.session.get());
    const auto rows = exportedRows(plot, m_dir->filePath("distribution.csv"));
    QCOMPARE(rows.size(), size_t(2 * 4));
    for (const QStringList& row : rows) {
        const Split split = row[0] == "val" ? Split::Val : Split::Test;
        const int k = row[1].toInt() - 1;
        QCOMPARE(row[2], QString::fromStdString(m_data.predictions->exitNames[size_t(k)]));
        // The percentages are the bar heights, and the counts what they are a percentage of.
        QCOMPARE(number(row[5]), plot.bars(split, true)->data()->at(k)->value);
        QCOMPARE(number(row[6]), plot.bars(split, false)->data()->at(k)->value);
        const int samples = m_data.session->snapshot()->split(split)->data->numSamples;
        QCOMPARE(number(row[5]), 100.0 * row[3].toInt() / samples);
        QCOMPARE(number(row[6]), 100.0 * row[4].toInt() / samples);
    }
    int testSamples = 0;
    for (const QStringList& row : rows)
        if (row[0] == "test")
            testSamples += row[3].toInt() + row[4].toInt();
    QCOMPARE(testSamples, m_data.predictions->test->numSamples);

    m_data.session->setSnapshot(nullptr);
    QVERIFY(plot.tableData().rows.empty());
}

void TestChartExport::thresholdHistogramsCsvEqualsTheBins() {
    ThresholdHistograms histograms(m_data.session.get());
    const auto rows = exportedRows(histograms, m_dir->filePath("histograms.csv"));
    QCOMPARE(histograms.panelCount(), 3);
    size_t expected = 0;
    for (int i = 0; i < histograms.panelCount(); ++i)
        expected += size_t(histograms.panel(i).binCount);
    QCOMPARE(rows.size(), expected);
    size_t row = 0;
    for (int i = 0; i < histograms.panelCount(); ++i) {
        const auto& panel = histograms.panel(i);
        int reaching = 0;
        for (int bin = 0; bin < panel.binCount; ++bin, ++row) {
            const QStringList& fields = rows[row];
            QCOMPARE(fields[0].toInt(), panel.exit + 1);
            QCOMPARE(number(fields[2]), panel.binLower(bin));
            QCOMPARE(number(fields[3]), panel.binLower(bin + 1));
            QCOMPARE(number(fields[4]), panel.correct->data()->at(bin)->value);
            QCOMPARE(number(fields[5]), panel.wrong->data()->at(bin)->value);
            QCOMPARE(number(fields[6]), m_data.session->snapshot()->thresholds[size_t(panel.exit)]);
            reaching += fields[4].toInt() + fields[5].toInt();
        }
        QCOMPARE(reaching, int(panel.reaching.size()));
    }
}

void TestChartExport::classExitMapCsvQuotesClassNames() {
    Predictions named = *m_data.predictions;
    named.classNames[0] = "cat, \"big\" one";
    named.classNames[1] = "dog\nsmall";
    test::SessionFixture data(std::make_shared<const Predictions>(std::move(named)));
    data.session->setSnapshot(data.snapshot("entropy"));
    ClassExitMap map(data.session.get());
    const QString path = m_dir->filePath("classes.csv");
    const auto rows = exportedRows(map, path);
    QVERIFY(test::readBytes(path).contains("\"cat, \"\"big\"\" one\""));
    QCOMPARE(rows.size(), size_t(10 * 4));
    const SplitPolicy& test = *data.session->snapshot()->split(Split::Test);
    for (int c = 0; c < 10; ++c) {
        int classSize = 0;
        for (int label : test.data->labels)
            classSize += label == c;
        for (int k = 0; k < 4; ++k) {
            const QStringList& fields = rows[size_t(c * 4 + k)];
            QCOMPARE(fields[0], QString::fromStdString(data.predictions->classNames[size_t(c)]));
            QCOMPARE(fields[1], QString::fromStdString(data.predictions->exitNames[size_t(k)]));
            QCOMPARE(number(fields[2]), map.colorMap()->data()->cell(k, c));
            QCOMPARE(number(fields[2]), test.outcome.perClassExitFractions(c, k));
            QCOMPARE(double(fields[3].toInt()) / classSize, test.outcome.perClassExitFractions(c, k));
        }
    }
}

void TestChartExport::trainingPlotCsvListsEveryStep() {
    TrainingPlot plot(m_data.session.get());
    QVERIFY(plot.tableData().rows.empty());
    m_data.session->startTrainingRun(2.25);
    for (int step = 1; step <= 12; ++step)
        m_data.session->appendTrainingProgress(
            {step, 12, step <= 5, 1.0 / step, step <= 5 ? 0.0 : 0.5 / step, 0.01 * step, 2.0 + 0.03 * step});
    m_data.session->finishTrainingRun();
    const auto rows = exportedRows(plot, m_dir->filePath("training.csv"));
    QCOMPARE(rows.size(), size_t(12));
    QCOMPARE(int(rows.size()), plot.bceGraph()->dataCount());
    for (int i = 0; i < 12; ++i) {
        const QStringList& fields = rows[size_t(i)];
        QCOMPARE(fields[0].toInt(), i + 1);
        QCOMPARE(fields[1], i < 5 ? QStringLiteral("score") : QStringLiteral("assignment"));
        QCOMPARE(number(fields[2]), plot.bceGraph()->data()->at(i)->value);
        QCOMPARE(number(fields[3]), plot.klGraph()->data()->at(i)->value);
        QCOMPARE(number(fields[4]), plot.costLossGraph()->data()->at(i)->value);
        QCOMPARE(number(fields[5]), plot.expectedCostGraph()->data()->at(i)->value);
        QCOMPARE(number(fields[6]), 2.25);
    }
}

void TestChartExport::exitAccuracyCsvListsEveryExit() {
    ExitAccuracyPlot plot;
    plot.setSummary(m_data.session->summary());
    const auto rows = exportedRows(plot, m_dir->filePath("accuracy.csv"));
    QCOMPARE(rows.size(), size_t(4));
    for (int k = 0; k < 4; ++k) {
        const QStringList& fields = rows[size_t(k)];
        QCOMPARE(fields[0], QString::fromStdString(m_data.predictions->exitNames[size_t(k)]));
        QCOMPARE(number(fields[1]), plot.valGraph()->data()->at(k)->key);
        QCOMPARE(number(fields[2]), plot.valGraph()->data()->at(k)->value);
        QCOMPARE(number(fields[3]), plot.testGraph()->data()->at(k)->value);
    }
}

void TestChartExport::defaultTableListsThePlottedPoints() {
    InteractivePlot plot;
    QCPGraph* graph = plot.addGraph();
    graph->setName("a, b");
    graph->setData({1, 2, 3}, {0.5, 0.25, 0.125});
    const auto rows = exportedRows(plot, m_dir->filePath("default.csv"));
    QCOMPARE(rows.size(), size_t(3));
    QCOMPARE(rows[1], (QStringList{"a, b", "2", "0.25"}));
}

void TestChartExport::unwritablePathThrowsIoError_data() {
    QTest::addColumn<QString>("extension");
    QTest::newRow("png") << ".png";
    QTest::newRow("pdf") << ".pdf";
    QTest::newRow("svg") << ".svg";
    QTest::newRow("csv") << ".csv";
}

void TestChartExport::unwritablePathThrowsIoError() {
    QFETCH(QString, extension);
    // A directory under a regular file cannot exist, whoever asks (tests may run as root).
    QVERIFY(test::writeBytes(m_dir->filePath("file.txt"), "not a directory"));
    const QString path = m_dir->filePath("file.txt/out" + extension);
    ExitDistributionPlot plot(m_data.session.get());
    try {
        if (extension == ".csv")
            writeCsv(path, {"a"}, {{"1"}});
        else
            exportChart(plot, path, imageFormatForPath(path), 400, 300);
        QFAIL("no IoError");
    } catch (const IoError& error) {
        QCOMPARE(QString::fromStdString(error.file()), path);
        const QString message = QString::fromUtf8(error.what());
        QVERIFY2(message.startsWith(path + ": cannot write: ") && message.size() > path.size() + 16,
                 error.what());
    }
    QCOMPARE(test::readBytes(m_dir->filePath("file.txt")), QByteArray("not a directory"));
}

void TestChartExport::failedWriteLeavesTheExistingFileIntact_data() {
    eachFormatHasItsMagic_data();
}

void TestChartExport::failedWriteLeavesTheExistingFileIntact() {
    QFETCH(ImageFormat, format);
    ExitDistributionPlot plot(m_data.session.get());
    const QString path = withExtension(m_dir->filePath("kept"), format);
    const QByteArray original = "the previous export, which must survive";
    QVERIFY(test::writeBytes(path, original));
    {
        // The disk "fills up" while writing: the new content is larger than the limit.
        test::FileSizeLimit limit(1024);
        QVERIFY(limit.active());
        QVERIFY_THROWS_EXCEPTION(IoError, exportChart(plot, path, format, 900, 600));
        QVERIFY_THROWS_EXCEPTION(IoError, writeCsv(path, {"a"}, {{QString(4096, QLatin1Char('x'))}}));
    }
    QCOMPARE(test::readBytes(path), original);
    // No temporary file left behind either.
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files), QStringList{QFileInfo(path).fileName()});
    // Once writing works again, the export replaces the file.
    exportChart(plot, path, format, 900, 600);
    QVERIFY(test::readBytes(path).size() > 2000);
}

void TestChartExport::readOnlyDirectoryLeavesTheExistingFileIntact() {
    if (geteuid() == 0)
        QSKIP("root writes into read-only directories; failedWriteLeavesTheExistingFileIntact covers root");
    const QString directory = m_dir->filePath("read-only");
    QVERIFY(QDir().mkdir(directory));
    const QString path = directory + "/chart.png";
    QVERIFY(test::writeBytes(path, "old"));
    QVERIFY(QFile::setPermissions(directory, QFile::ReadOwner | QFile::ExeOwner));
    ExitDistributionPlot plot(m_data.session.get());
    QVERIFY_THROWS_EXCEPTION(IoError, exportChart(plot, path, ImageFormat::Png, 400, 300));
    QVERIFY_THROWS_EXCEPTION(IoError, writeCsv(path, {"a"}, {{"1"}}));
    QCOMPARE(test::readBytes(path), QByteArray("old"));
    QFile::setPermissions(directory, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

void TestChartExport::inspectorCsvListsExactlyTheSelectedSamples() {
    SampleInspector inspector(m_data.session.get());
    QVERIFY(!inspector.exportButton()->isEnabled());
    SampleSelection selection{Split::Test, {}, "every 7th test sample"};
    for (int i = 0; i < m_data.predictions->test->numSamples; i += 7)
        selection.indices.push_back(i);
    m_data.session->setSelection(selection);
    QVERIFY(inspector.exportButton()->isEnabled());
    // Sorted by exit taken, as a user might: the file lists the rows in the table's order.
    inspector.table()->sortByColumn(SampleTableModel::ExitTakenColumn, Qt::DescendingOrder);

    const QString path = m_dir->filePath("samples.csv");
    inspector.exportCsv(path);
    auto records = readCsv(path);
    const SampleTableModel& model = *inspector.model();
    // Plain columns a spreadsheet or pandas reads as they are.
    QCOMPARE(records.front(),
             (QStringList{"sample", "label", "exit_taken", "prediction", "correct", "why", "exit1_prediction",
                          "exit1_score", "exit2_prediction", "exit2_score", "exit3_prediction", "exit3_score",
                          "exit4_prediction", "exit4_score"}));
    records.erase(records.begin());
    QCOMPARE(records.size(), selection.indices.size());

    std::set<int> listed;
    const QSortFilterProxyModel& proxy = *inspector.proxy();
    for (size_t row = 0; row < records.size(); ++row) {
        listed.insert(records[row][SampleTableModel::SampleColumn].toInt());
        // Every column of the table, in plain values: the policy's decisions included, no symbols.
        const int sourceRow = proxy.mapToSource(proxy.index(int(row), 0)).row();
        for (int column = 0; column < model.columnCount(); ++column)
            QCOMPARE(records[row][column],
                     model.data(model.index(sourceRow, column), SampleTableModel::CsvRole).toString());
        const QString correct = records[row][SampleTableModel::CorrectColumn];
        QVERIFY2(correct == QStringLiteral("true") || correct == QStringLiteral("false"),
                 qPrintable(correct));
        QCOMPARE(correct == QStringLiteral("true"), records[row][SampleTableModel::PredictionColumn] ==
                                                        records[row][SampleTableModel::LabelColumn]);
        QCOMPARE(records[row][SampleTableModel::FirstExitColumn],
                 model.data(model.index(sourceRow, SampleTableModel::FirstExitColumn))
                     .toString()
                     .section(' ', 0, -2));
        for (const QString& field : records[row])
            QVERIFY2(!field.contains(QStringLiteral("✓")) && !field.contains(QStringLiteral("✗")) &&
                         !field.contains(QStringLiteral("—")) && !field.contains(QStringLiteral("≥")),
                     qPrintable(field));
        QVERIFY(records[row][SampleTableModel::ExitTakenColumn].toInt() >= 1);
    }
    QCOMPARE(listed, std::set<int>(selection.indices.begin(), selection.indices.end()));
    QVERIFY(records.front()[SampleTableModel::ExitTakenColumn].toInt() >=
            records.back()[SampleTableModel::ExitTakenColumn].toInt());

    m_data.session->setSelection({});
    QVERIFY(!inspector.exportButton()->isEnabled());
    inspector.exportCsv(path);
    QCOMPARE(readCsv(path).size(), size_t(1));
}

void TestChartExport::contextMenuExportsThroughTheSaveDialog_data() {
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("written");
    QTest::addColumn<QByteArray>("magic");
    QTest::newRow("image, no extension typed") << "Export Image…"
                                               << "menu-chart"
                                               << "menu-chart.png" << QByteArray("\x89PNG");
    QTest::newRow("image, svg typed") << "Export Image…"
                                      << "menu-chart.svg"
                                      << "menu-chart.svg" << QByteArray("<?xml");
    QTest::newRow("data") << "Export Data as CSV…"
                          << "menu-data"
                          << "menu-data.csv" << QByteArray("split,exit");
}

void TestChartExport::pngIsDrawnAtTheChosenResolution() {
    QCOMPARE(imageExportSize().dpi, 300); // publication-ready unless the user chose otherwise
    ExitDistributionPlot plot(m_data.session.get());
    QVERIFY(test::showExposed(plot, {600, 400}));
    const QString path = m_dir->filePath("print.png");
    exportChart(plot, path, ImageFormat::Png, 640, 480, 300);
    const QImage image(path);
    QCOMPARE(image.size(), QSize(2000, 1500)); // 640 x 480 logical pixels at 300/96
    QCOMPARE(image.dotsPerMeterX(), qRound(300 / 0.0254));
    QCOMPARE(image.dotsPerMeterY(), qRound(300 / 0.0254));
    exportChart(plot, path, ImageFormat::Png, 640, 480, kScreenDpi);
    QCOMPARE(QImage(path).size(), QSize(640, 480));
}

/// The real user path: right click, pick the entry, type a name in the save dialog, accept.
void TestChartExport::contextMenuExportsThroughTheSaveDialog() {
    QFETCH(QString, action);
    QFETCH(QString, typed);
    QFETCH(QString, written);
    QFETCH(QByteArray, magic);
    setImageExportSize({0, 0, 192}); // as on screen, at twice its resolution
    ExitDistributionPlot plot(m_data.session.get());
    QVERIFY(test::showExposed(plot, {600, 400}));
    bool menuSeen = false;
    bool dialogSeen = false;
    QTimer::singleShot(100, &plot, [&] {
        auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
        if (!menu)
            return;
        menuSeen = true;
        QAction* chosen = nullptr;
        for (QAction* entry : menu->actions())
            if (entry->text() == action)
                chosen = entry;
        QTimer::singleShot(200, &plot, [&] {
            auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            dialogSeen = true;
            // Typed as a user would: the dialog's directory, then the name in its file name box.
            dialog->setDirectory(m_dir->path());
            if (auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit")))
                name->setText(typed);
            QMetaObject::invokeMethod(dialog, "accept"); // protected in QFileDialog, a slot of QDialog
        });
        menu->close();
        if (chosen)
            chosen->trigger();
    });
    QContextMenuEvent event(QContextMenuEvent::Mouse, QPoint(20, 20), plot.mapToGlobal(QPoint(20, 20)));
    QApplication::sendEvent(&plot, &event);
    QVERIFY(menuSeen);
    QVERIFY(dialogSeen);
    QFile file(m_dir->filePath(written));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    QVERIFY2(file.readAll().startsWith(magic), qPrintable(written));
    if (written.endsWith(QStringLiteral(".png")))
        QCOMPARE(QImage(file.fileName()).size(), plot.size() * 2); // the remembered export size was used
}

QTEST_MAIN(TestChartExport)
#include "tst_chartexport.moc"
