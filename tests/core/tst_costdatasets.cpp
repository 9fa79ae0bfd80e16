// The cost models and serving costs of a predictions file (docs/format.md, "Cost models", "Serving costs"):
// what readPredictions accepts and refuses, and updateCosts, which adds measured costs to a file and keeps
// everything else. Writer round trips are in tst_predictionswriter.
#include "H5FileBuilder.h"
#include "ReadChecks.h"

#include "Error.h"
#include "io/CostsUpdate.h"
#include "io/PredictionsReader.h"

#include <H5Cpp.h>

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <functional>
#include <limits>

using eenet::test::H5FileBuilder;
using eenet::test::readOrFail;
using eenet::test::verifyFormatError;

/// Adds to (or breaks) a valid 3-exit file through the HDF5 C++ API: the builder writes no dataset
/// attributes, and `unit` is one.
using FileEdit = std::function<void(H5::H5File&)>;
Q_DECLARE_METATYPE(FileEdit)

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void writeDoubles(H5::H5File& file, const std::string& path, const std::vector<hsize_t>& shape,
                  const std::vector<double>& values, const H5::PredType& type = H5::PredType::IEEE_F64LE) {
    H5::DataSet dataset = file.createDataSet(path, type, H5::DataSpace(int(shape.size()), shape.data()));
    if (!values.empty())
        dataset.write(values.data(), H5::PredType::NATIVE_DOUBLE);
}

void writeIntegers(H5::H5File& file, const std::string& path, const std::vector<long long>& values) {
    const hsize_t count = values.size();
    H5::DataSet dataset = file.createDataSet(path, H5::PredType::STD_I64LE, H5::DataSpace(1, &count));
    if (!values.empty())
        dataset.write(values.data(), H5::PredType::NATIVE_LLONG);
}

void setUnit(H5::H5File& file, const std::string& path, const std::string& unit) {
    H5::DataSet dataset = file.openDataSet(path);
    const H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
    dataset.createAttribute("unit", type, H5::DataSpace(H5S_SCALAR)).write(type, unit);
}

void setIntegerUnit(H5::H5File& file, const std::string& path) {
    const long long value = 3;
    file.openDataSet(path)
        .createAttribute("unit", H5::PredType::STD_I64LE, H5::DataSpace(H5S_SCALAR))
        .write(H5::PredType::NATIVE_LLONG, &value);
}

/// /exits/extra_costs/<name> with `values` and, unless empty, `unit`.
void addExtra(H5::H5File& file, const std::string& name, const std::vector<double>& values,
              const std::string& unit = "ms") {
    if (H5Lexists(file.getId(), "/exits/extra_costs", H5P_DEFAULT) <= 0)
        file.createGroup("/exits/extra_costs");
    const std::string path = "/exits/extra_costs/" + name;
    writeDoubles(file, path, {values.size()}, values);
    if (!unit.empty())
        setUnit(file, path, unit);
}

/// Batch sizes 1, 4, 16 and their [3, 3] costs, increasing in the exit.
void addBatch(H5::H5File& file, const std::vector<long long>& sizes = {1, 4, 16},
              const std::vector<double>& costs = {1, 2, 5, 2, 3, 7, 4, 6, 9}) {
    writeIntegers(file, "/exits/batch_sizes", sizes);
    writeDoubles(file, "/exits/batch_costs", {3, costs.size() / 3}, costs);
}

/// A valid 3-exit file with `edit` applied, at `path`.
void writeEdited(const QString& path, const FileEdit& edit) {
    H5FileBuilder::validBaseline().write(path);
    H5::H5File file(path.toStdString(), H5F_ACC_RDWR);
    edit(file);
}

FileEdit extraOf(std::vector<double> values, std::string unit = "ms", std::string name = "phone") {
    return [=](H5::H5File& f) { addExtra(f, name, values, unit); };
}

FileEdit batchOf(std::vector<long long> sizes, std::vector<double> costs) {
    return [=](H5::H5File& f) { addBatch(f, sizes, costs); };
}

} // namespace

class TestCostDatasets : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }
    void readsCostModelsAndServingCosts();
    void defaultsWhenUnitsAreAbsent();
    void rejectsBadCosts_data();
    void rejectsBadCosts();
    void updateAddsCostsAndKeepsTheRest();
    void updateReplacesEarlierMeasurements();
    void updateRefusesCostsTheReaderWouldRefuse();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QTemporaryDir m_dir;
};

void TestCostDatasets::readsCostModelsAndServingCosts() {
    writeEdited(path("good.h5"), [](H5::H5File& f) {
        addExtra(f, "phone_ms", {2, 3, 5});
        addExtra(f, "energy", {0.5, 0.75, 1.5}, "mJ");
        writeDoubles(f, "/exits/flops", {3}, {10, 20, 40});
        setUnit(f, "/exits/flops", "GFLOPs");
        writeIntegers(f, "/exits/batch_sizes", {1, 8, 64});
        writeDoubles(f, "/exits/batch_costs", {3, 3}, {0.5, 1, 4, 1, 2, 8, 1.5, 3, 12},
                     H5::PredType::IEEE_F32LE);
        setUnit(f, "/exits/batch_costs", "s");
    });
    const auto p = readOrFail(path("good.h5"));
    QVERIFY(p);
    QCOMPARE(p->extraCosts.size(), size_t{2});
    // Sorted by name, each with its unit.
    QCOMPARE(p->extraCosts[0].name, std::string("energy"));
    QCOMPARE(p->extraCosts[0].unit, std::string("mJ"));
    QCOMPARE(p->extraCosts[0].values, (std::vector<double>{0.5, 0.75, 1.5}));
    QCOMPARE(p->extraCosts[1].name, std::string("phone_ms"));
    QCOMPARE(p->extraCosts[1].values, (std::vector<double>{2, 3, 5}));
    QCOMPARE(p->flopsUnit, std::string("GFLOPs"));
    QCOMPARE(p->batchCosts.batchSizes, (std::vector<int>{1, 8, 64}));
    QCOMPARE(p->batchCosts.values, (std::vector<double>{0.5, 1, 4, 1, 2, 8, 1.5, 3, 12}));
    QCOMPARE(p->batchCosts.at(2, 1), 3.0);
    QCOMPARE(p->batchCosts.unit, std::string("s"));
    QCOMPARE(p->costModel, std::string("costs"));
    QCOMPARE(p->costs, (std::vector<double>{1, 2, 3}));
}

void TestCostDatasets::defaultsWhenUnitsAreAbsent() {
    writeEdited(path("defaults.h5"), [](H5::H5File& f) {
        writeDoubles(f, "/exits/flops", {3}, {10, 20, 40});
        addBatch(f);
    });
    const auto p = readOrFail(path("defaults.h5"));
    QVERIFY(p);
    QCOMPARE(p->flopsUnit, std::string("MFLOPs"));
    QCOMPARE(p->batchCosts.unit, std::string("ms"));
    QVERIFY(p->extraCosts.empty());

    H5FileBuilder::validBaseline().write(path("none.h5"));
    const auto none = readOrFail(path("none.h5"));
    QVERIFY(none);
    QVERIFY(none->batchCosts.empty() && none->extraCosts.empty());
}

void TestCostDatasets::rejectsBadCosts_data() {
    QTest::addColumn<FileEdit>("edit");
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QString>("keyword");
    const QString extra = "/exits/extra_costs/phone";
    QTest::newRow("extra: too short") << extraOf({1, 2}) << extra << "has 2 entries, expected 3";
    QTest::newRow("extra: not increasing") << extraOf({1, 3, 2}) << extra << "strictly increasing";
    QTest::newRow("extra: zero") << extraOf({0, 1, 2}) << extra << "positive";
    QTest::newRow("extra: NaN") << extraOf({1, kNaN, 3}) << extra << "NaN";
    QTest::newRow("extra: no unit") << extraOf({1, 2, 3}, "") << extra << "'unit' is missing";
    QTest::newRow("extra: integer unit") << FileEdit([](H5::H5File& f) {
        addExtra(f, "phone", {1, 2, 3}, "");
        setIntegerUnit(f, "/exits/extra_costs/phone");
    }) << extra << "not a string";
    QTest::newRow("extra: empty unit") << FileEdit([](H5::H5File& f) {
        addExtra(f, "phone", {1, 2, 3}, "");
        setUnit(f, "/exits/extra_costs/phone", "");
    }) << extra << "'unit' is empty";
    QTest::newRow("extra: named costs") << extraOf({1, 2, 3}, "ms", "costs") << "/exits/extra_costs/costs"
                                        << "taken by /exits/costs";
    QTest::newRow("extra: named flops") << extraOf({1, 2, 3}, "ms", "flops") << "/exits/extra_costs/flops"
                                        << "taken by /exits/flops";
    QTest::newRow("extra: control character") << extraOf({1, 2, 3}, "ms", "a\tb") << "/exits/extra_costs/a\tb"
                                              << "control character";
    QTest::newRow("extra: rank 2") << FileEdit([](H5::H5File& f) {
        f.createGroup("/exits/extra_costs");
        writeDoubles(f, "/exits/extra_costs/phone", {3, 1}, {1, 2, 3});
    }) << extra << "rank 2";
    QTest::newRow("extra: a group") << FileEdit([](H5::H5File& f) {
        f.createGroup("/exits/extra_costs");
        f.createGroup("/exits/extra_costs/phone");
    }) << extra << "is a group";
    QTest::newRow("extra: soft link") << FileEdit([](H5::H5File& f) {
        f.createGroup("/exits/extra_costs");
        H5Lcreate_soft("/exits/costs", f.getId(), "/exits/extra_costs/phone", H5P_DEFAULT, H5P_DEFAULT);
    }) << extra << "soft link";
    QTest::newRow("extra_costs: a dataset") << FileEdit([](H5::H5File& f) {
        writeDoubles(f, "/exits/extra_costs", {3}, {1, 2, 3});
    }) << "/exits/extra_costs"
                                            << "not a group";
    QTest::newRow("extra_costs: 65 vectors") << FileEdit([](H5::H5File& f) {
        for (int i = 0; i < 65; ++i)
            addExtra(f, "v" + std::to_string(i), {1, 2, 3});
    }) << "/exits/extra_costs"
                                             << "at most 64";
    QTest::newRow("flops: integer unit") << FileEdit([](H5::H5File& f) {
        writeDoubles(f, "/exits/flops", {3}, {1, 2, 3});
        setIntegerUnit(f, "/exits/flops");
    }) << "/exits/flops"
                                         << "not a string";

    QTest::newRow("batch: sizes alone") << FileEdit([](H5::H5File& f) {
        writeIntegers(f, "/exits/batch_sizes", {1, 2});
    }) << "/exits/batch_costs"
                                        << "missing";
    QTest::newRow("batch: costs alone") << FileEdit([](H5::H5File& f) {
        writeDoubles(f, "/exits/batch_costs", {3, 1}, {1, 2, 3});
    }) << "/exits/batch_sizes"
                                        << "missing";
    QTest::newRow("batch: float sizes") << FileEdit([](H5::H5File& f) {
        writeDoubles(f, "/exits/batch_sizes", {1}, {1});
        writeDoubles(f, "/exits/batch_costs", {3, 1}, {1, 2, 3});
    }) << "/exits/batch_sizes"
                                        << "must hold integers";
    QTest::newRow("batch: size 0") << batchOf({0, 4, 16}, {1, 2, 5, 2, 3, 7, 4, 6, 9}) << "/exits/batch_sizes"
                                   << "at least 1";
    QTest::newRow("batch: sizes not increasing")
        << batchOf({1, 16, 4}, {1, 2, 5, 2, 3, 7, 4, 6, 9}) << "/exits/batch_sizes"
        << "strictly increasing";
    QTest::newRow("batch: no sizes") << batchOf({}, {}) << "/exits/batch_sizes"
                                     << "no entries";
    std::vector<long long> many(65);
    for (size_t j = 0; j < many.size(); ++j)
        many[j] = static_cast<long long>(j + 1);
    QTest::newRow("batch: 65 sizes") << batchOf(many, std::vector<double>(3 * 65, 1.0))
                                     << "/exits/batch_sizes"
                                     << "at most 64";
    QTest::newRow("batch: too few columns") << FileEdit([](H5::H5File& f) {
        writeIntegers(f, "/exits/batch_sizes", {1, 4, 16});
        writeDoubles(f, "/exits/batch_costs", {3, 2}, {1, 2, 3, 4, 5, 6});
    }) << "/exits/batch_costs"
                                            << "expected 3 x 3";
    QTest::newRow("batch: rank 1") << FileEdit([](H5::H5File& f) {
        writeIntegers(f, "/exits/batch_sizes", {1});
        writeDoubles(f, "/exits/batch_costs", {3}, {1, 2, 3});
    }) << "/exits/batch_costs"
                                   << "rank 1";
    QTest::newRow("batch: not increasing in the exit")
        << batchOf({1, 4, 16}, {1, 2, 5, 2, 3, 7, 4, 6, 6}) << "/exits/batch_costs"
        << "exit 3 at batch size 16 has 6 after 7";
    QTest::newRow("batch: negative") << batchOf({1, 4, 16}, {-1, 2, 5, 2, 3, 7, 4, 6, 9})
                                     << "/exits/batch_costs"
                                     << "positive";
    QTest::newRow("batch: NaN") << batchOf({1, 4, 16}, {1, 2, 5, 2, 3, 7, 4, 6, kNaN}) << "/exits/batch_costs"
                                << "NaN or Inf";
    QTest::newRow("batch: empty unit") << FileEdit([](H5::H5File& f) {
        addBatch(f);
        setUnit(f, "/exits/batch_costs", "");
    }) << "/exits/batch_costs"
                                       << "'unit' is empty";
}

void TestCostDatasets::rejectsBadCosts() {
    QFETCH(FileEdit, edit);
    QFETCH(QString, dataset);
    QFETCH(QString, keyword);
    const QString file = path("bad.h5");
    writeEdited(file, edit);
    verifyFormatError(file, dataset, keyword);
    QCOMPARE(H5FileBuilder::openObjectCount(), 0L);
}

void TestCostDatasets::updateAddsCostsAndKeepsTheRest() {
    const QString source = path("source.h5");
    H5FileBuilder::validBaseline().write(source);
    const QByteArray before = [&] {
        QFile file(source);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }();
    eenet::CostsUpdate update;
    update.batchCosts = {{1, 2, 4}, {0.1, 0.15, 0.2, 0.2, 0.3, 0.4, 0.3, 0.45, 0.6}, "ms"};
    update.extraCosts = {{"measured_ms", "ms", {0.1, 0.2, 0.3}}};
    const QString target = path("target.h5");
    try {
        eenet::updateCosts(source.toStdString(), target.toStdString(), update);
    } catch (const std::exception& e) {
        QFAIL(e.what());
    }
    // The source is left as it was; the target holds its content, and the update.
    QFile sourceFile(source);
    QVERIFY(sourceFile.open(QIODevice::ReadOnly));
    QCOMPARE(sourceFile.readAll(), before);
    const auto original = readOrFail(source);
    const auto updated = readOrFail(target);
    QVERIFY(original && updated);
    QVERIFY(updated->val.probs == original->val.probs);
    QVERIFY(updated->test->probs == original->test->probs);
    QCOMPARE(updated->val.labels, original->val.labels);
    QCOMPARE(updated->costs, original->costs);
    QCOMPARE(updated->description, original->description);
    QCOMPARE(updated->batchCosts.batchSizes, update.batchCosts.batchSizes);
    QCOMPARE(updated->batchCosts.values, update.batchCosts.values);
    QCOMPARE(updated->extraCosts.size(), size_t{1});
    QCOMPARE(updated->extraCosts[0].values, update.extraCosts[0].values);
    QCOMPARE(H5FileBuilder::openObjectCount(), 0L);
}

void TestCostDatasets::updateReplacesEarlierMeasurements() {
    const QString file = path("twice.h5");
    writeEdited(file, [](H5::H5File& f) {
        addBatch(f);
        addExtra(f, "measured_ms", {5, 6, 7});
        addExtra(f, "phone", {1, 2, 3});
    });
    eenet::CostsUpdate update;
    update.batchCosts = {{2}, {1, 2, 3}, "ms"};
    update.extraCosts = {{"measured_ms", "ms", {0.5, 0.6, 0.7}}};
    try {
        eenet::updateCosts(file.toStdString(), file.toStdString(), update);
    } catch (const std::exception& e) {
        QFAIL(e.what());
    }
    const auto p = readOrFail(file);
    QVERIFY(p);
    QCOMPARE(p->batchCosts.batchSizes, std::vector<int>{2});
    QCOMPARE(p->extraCosts.size(), size_t{2});
    QCOMPARE(p->extraCosts[0].values, (std::vector<double>{0.5, 0.6, 0.7}));
    // A vector the update does not name is kept.
    QCOMPARE(p->extraCosts[1].name, std::string("phone"));
    QCOMPARE(p->extraCosts[1].values, (std::vector<double>{1, 2, 3}));
}

void TestCostDatasets::updateRefusesCostsTheReaderWouldRefuse() {
    const QString file = path("kept.h5");
    H5FileBuilder::validBaseline().write(file);
    const auto refuses = [&](const eenet::CostsUpdate& update, const QString& keyword) {
        try {
            eenet::updateCosts(file.toStdString(), path("never.h5").toStdString(), update);
        } catch (const eenet::ArgumentError& e) {
            QVERIFY2(QString(e.what()).contains(keyword), e.what());
            QVERIFY(!QFile::exists(path("never.h5")));
            return;
        }
        QFAIL(qPrintable("accepted an update the reader would refuse: " + keyword));
    };
    eenet::CostsUpdate wrongExits;
    wrongExits.extraCosts = {{"measured_ms", "ms", {1, 2}}};
    refuses(wrongExits, "/exits/extra_costs/measured_ms: has 2 entries, expected 3");
    eenet::CostsUpdate reserved;
    reserved.extraCosts = {{"flops", "ms", {1, 2, 3}}};
    refuses(reserved, "taken by /exits/flops");
    eenet::CostsUpdate decreasing;
    decreasing.batchCosts = {{1}, {3, 2, 1}, "ms"};
    refuses(decreasing, "strictly increasing in the exit");
    try {
        eenet::updateCosts(path("missing.h5").toStdString(), path("never.h5").toStdString(), reserved);
        QFAIL("updated a file that does not exist");
    } catch (const eenet::IoError& e) {
        QVERIFY2(QString(e.what()).contains("missing.h5"), e.what());
    }
    QCOMPARE(H5FileBuilder::openObjectCount(), 0L);
}

QTEST_GUILESS_MAIN(TestCostDatasets)
#include "tst_costdatasets.moc"
