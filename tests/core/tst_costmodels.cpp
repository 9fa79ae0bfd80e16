// Cost models (core/data/CostModels.h): which a file has, in which order, and selecting one and back; a
// written file keeps its own /exits/costs whichever is selected.
#include "Error.h"
#include "data/CostModels.h"
#include "io/PredictionsReader.h"
#include "io/PredictionsWriter.h"

#include <QTemporaryDir>
#include <QtTest>

namespace {

eenet::SplitPredictions uniformSplit(int exits, int samples, int classes) {
    eenet::SplitPredictions split;
    split.numSamples = samples;
    split.probs.assign(static_cast<size_t>(exits * samples * classes), 1.0f / static_cast<float>(classes));
    for (int i = 0; i < samples; ++i)
        split.labels.push_back(i % classes);
    return split;
}

/// Three exits with costs in ms, MFLOPs, and two named models given out of name order.
eenet::Predictions threeModels() {
    eenet::Predictions p;
    p.sourcePath = "models.h5";
    p.model = "m";
    p.dataset = "d";
    p.costUnit = "ms";
    p.numExits = 3;
    p.numClasses = 2;
    p.costs = {1, 2, 3};
    p.flops = {10, 20, 40};
    p.extraCosts = {{"energy", "mJ", {0.5, 0.7, 0.9}}, {"phone_ms", "ms", {4, 8, 12}}};
    p.exitNames = {"a", "b", "c"};
    p.classNames = {"x", "y"};
    p.val = uniformSplit(3, 4, 2);
    return p;
}

QStringList namesOf(const std::vector<eenet::CostVector>& models) {
    QStringList names;
    for (const eenet::CostVector& model : models)
        names << QString::fromStdString(model.name);
    return names;
}

} // namespace

class TestCostModels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void listsCostsThenFlopsThenNamedModels();
    void listsOnlyWhatTheFileHas();
    void selectsAModelAndRestoresTheFilesCosts();
    void refusesAnUnknownModelListingTheKnownOnes();
    void writerKeepsTheFilesOwnCosts();
    void namesTheCostVectorsMayHave_data();
    void namesTheCostVectorsMayHave();
};

void TestCostModels::listsCostsThenFlopsThenNamedModels() {
    const auto models = eenet::costModels(threeModels());
    QCOMPARE(namesOf(models), (QStringList{"costs", "flops", "energy", "phone_ms"}));
    QCOMPARE(models[0].unit, std::string("ms"));
    QCOMPARE(models[1].unit, std::string("MFLOPs"));
    QCOMPARE(models[1].values, (std::vector<double>{10, 20, 40}));
    QCOMPARE(models[2].unit, std::string("mJ"));
}

void TestCostModels::listsOnlyWhatTheFileHas() {
    eenet::Predictions p = threeModels();
    p.flops.clear();
    p.extraCosts.clear();
    QCOMPARE(namesOf(eenet::costModels(p)), QStringList{"costs"});
}

void TestCostModels::selectsAModelAndRestoresTheFilesCosts() {
    eenet::Predictions p = threeModels();
    eenet::selectCostModel(p, "phone_ms");
    QCOMPARE(p.costModel, std::string("phone_ms"));
    QCOMPARE(p.costs, (std::vector<double>{4, 8, 12}));
    QCOMPARE(p.costUnit, std::string("ms"));
    // The list does not change with the selection: "costs" is still the file's own.
    QCOMPARE(namesOf(eenet::costModels(p)), (QStringList{"costs", "flops", "energy", "phone_ms"}));
    QCOMPARE(eenet::costModels(p)[0].values, (std::vector<double>{1, 2, 3}));
    QCOMPARE(eenet::fileCosts(p).values, (std::vector<double>{1, 2, 3}));

    eenet::selectCostModel(p, "flops");
    QCOMPARE(p.costs, (std::vector<double>{10, 20, 40}));
    QCOMPARE(p.costUnit, std::string("MFLOPs"));
    eenet::selectCostModel(p, "costs");
    QCOMPARE(p.costModel, std::string("costs"));
    QCOMPARE(p.costs, (std::vector<double>{1, 2, 3}));
    QCOMPARE(p.costUnit, std::string("ms"));
    QVERIFY(!p.fileCosts.has_value());
}

void TestCostModels::refusesAnUnknownModelListingTheKnownOnes() {
    eenet::Predictions p = threeModels();
    eenet::selectCostModel(p, "energy");
    try {
        eenet::selectCostModel(p, "watts");
        QFAIL("selected a cost model the file does not have");
    } catch (const eenet::ArgumentError& e) {
        const QString what = e.what();
        QVERIFY2(what.contains("models.h5") && what.contains("'watts'") &&
                     what.contains("costs, flops, energy, phone_ms"),
                 e.what());
    }
    // Nothing changed.
    QCOMPARE(p.costModel, std::string("energy"));
    QCOMPARE(p.costs, (std::vector<double>{0.5, 0.7, 0.9}));
}

void TestCostModels::writerKeepsTheFilesOwnCosts() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    eenet::Predictions p = threeModels();
    p.flopsUnit = "GFLOPs";
    eenet::selectCostModel(p, "energy");
    const std::string path = dir.filePath("written.h5").toStdString();
    try {
        eenet::writePredictions(path, p);
        const auto read = eenet::readPredictions(path);
        QCOMPARE(read->costModel, std::string("costs"));
        QCOMPARE(read->costs, (std::vector<double>{1, 2, 3}));
        QCOMPARE(read->costUnit, std::string("ms"));
        QCOMPARE(read->flopsUnit, std::string("GFLOPs"));
        QCOMPARE(namesOf(eenet::costModels(*read)), (QStringList{"costs", "flops", "energy", "phone_ms"}));
        QCOMPARE(eenet::costModels(*read)[2].values, (std::vector<double>{0.5, 0.7, 0.9}));
    } catch (const std::exception& e) {
        QFAIL(e.what());
    }
}

void TestCostModels::namesTheCostVectorsMayHave_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("problem");
    QTest::newRow("plain") << "phone_ms"
                           << "";
    QTest::newRow("spaces and unicode") << "Pixel 7 latency (µs)"
                                        << "";
    QTest::newRow("empty") << ""
                           << "empty";
    QTest::newRow("costs") << "costs"
                           << "taken by /exits/costs";
    QTest::newRow("flops") << "flops"
                           << "taken by /exits/flops";
    QTest::newRow("slash") << "a/b"
                           << "'/'";
    QTest::newRow("newline") << "a\nb"
                             << "control character";
    QTest::newRow("257 bytes") << QString(257, 'x') << "at most 256";
}

void TestCostModels::namesTheCostVectorsMayHave() {
    QFETCH(QString, name);
    QFETCH(QString, problem);
    const QString actual = QString::fromStdString(eenet::costNameProblem(name.toStdString()));
    if (problem.isEmpty())
        QCOMPARE(actual, QString());
    else
        QVERIFY2(actual.contains(problem), qPrintable(actual));
}

QTEST_GUILESS_MAIN(TestCostModels)
#include "tst_costmodels.moc"
