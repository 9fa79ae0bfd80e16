#include "CliRunner.h"
#include "TestData.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace eenet;

/// `eenet-cli evaluate --json --bands`: every result carries its 90 % bootstrap band.
class TestCliBands : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyResultHasABandAroundIt();
    void bandsNeedJson();
};

void TestCliBands::everyResultHasABandAroundIt() {
    const CliRun run = runCli({"evaluate", test::samplePath(), "--methods", "maxprob,oracle,static",
                               "--sweep", "5", "--json", "--bands"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonArray results = QJsonDocument::fromJson(run.out).object()["results"].toArray();
    // 5 budgets of maxprob and the oracle and 4 exits alone, on val and test.
    QCOMPARE(results.size(), qsizetype(2 * (5 + 5 + 4)));
    for (const QJsonValue& value : results) {
        const QJsonObject r = value.toObject();
        const QString what = r["method"].toString() + " " + r["split"].toString();
        QVERIFY2(r["band_low"].toDouble() <= r["accuracy"].toDouble(), qPrintable(what));
        QVERIFY2(r["accuracy"].toDouble() <= r["band_high"].toDouble(), qPrintable(what));
        // Costs are sums in another order than the point's: equal up to rounding where every resample
        // realises the same cost (all samples at one exit).
        const double slack = 1e-12 * r["cost"].toDouble();
        QVERIFY2(r["cost_band_low"].toDouble() <= r["cost"].toDouble() + slack, qPrintable(what));
        QVERIFY2(r["cost"].toDouble() <= r["cost_band_high"].toDouble() + slack, qPrintable(what));
        // 10,000 samples: a 90 % band of an accuracy between 79 and 96 % is 0.5 to 1.5 pp wide.
        const double width = r["band_high"].toDouble() - r["band_low"].toDouble();
        QVERIFY2(width > 0.5 && width < 1.5, qPrintable(what + ": " + QString::number(width)));
    }
}

void TestCliBands::bandsNeedJson() {
    const CliRun run = runCli({"evaluate", test::samplePath(), "--methods", "maxprob", "--bands"});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("--bands adds to the JSON: give --json too"), qPrintable(run.err));
    QVERIFY(run.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestCliBands)
#include "tst_clibands.moc"
