#include "io/SchedulerFile.h"

#include "Error.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <cmath>
#include <limits>

namespace eenet {
namespace {

constexpr const char* kFormat = "eenet-scheduler";
constexpr int kVersion = 1;

QJsonArray toArray(const std::vector<double>& values) {
    QJsonArray array;
    for (double value : values)
        array.append(value);
    return array;
}

class JsonReader {
public:
    explicit JsonReader(std::string path)
        : m_path(std::move(path)) {}

    [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
        throw FormatError(m_path, key, problem);
    }

    QJsonValue field(const QJsonObject& object, const std::string& key, const std::string& where) const {
        const QJsonValue value = object.value(QString::fromStdString(key));
        if (value.isUndefined())
            fail(where + key, "missing");
        return value;
    }

    double number(const QJsonValue& value, const std::string& where) const {
        if (value.isString()) {
            if (value.toString() == QLatin1String("inf"))
                return std::numeric_limits<double>::infinity();
            if (value.toString() == QLatin1String("-inf"))
                return -std::numeric_limits<double>::infinity();
        }
        if (!value.isDouble())
            fail(where, "must be a number");
        return value.toDouble();
    }

    std::vector<double> numbers(const QJsonValue& value, const std::string& where, size_t expected) const {
        if (!value.isArray())
            fail(where, "must be an array of numbers");
        const QJsonArray array = value.toArray();
        if (static_cast<size_t>(array.size()) != expected)
            fail(where,
                 "has " + std::to_string(array.size()) + " values, expected " + std::to_string(expected));
        std::vector<double> result;
        for (int i = 0; i < array.size(); ++i)
            result.push_back(number(array[i], where + "[" + std::to_string(i) + "]"));
        return result;
    }

private:
    std::string m_path;
};

} // namespace

QJsonValue thresholdToJson(double threshold) {
    if (std::isinf(threshold))
        return threshold > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return threshold;
}

void writeSchedulerFile(const std::string& path, const SchedulerFile& file) {
    const EENetScheduler& s = file.scheduler;
    QJsonArray exits;
    for (int k = 0; k < s.numExits; ++k) {
        exits.append(QJsonObject{{"class_weights", toArray(s.classWeights[static_cast<size_t>(k)])},
                                 {"aux_weights", toArray(s.auxWeights[static_cast<size_t>(k)])},
                                 {"threshold", thresholdToJson(s.thresholds[static_cast<size_t>(k)])}});
    }
    const QJsonObject root{
        {"format", kFormat},
        {"format_version", kVersion},
        {"policy", QString::fromStdString(file.policy)},
        {"num_exits", s.numExits},
        {"num_classes", s.numClasses},
        {"features", QJsonArray{"probs", "max_prob", "entropy_confidence", "previous_scores"}},
        {"exits", exits},
        {"costs", toArray(file.costs)},
        {"cost_unit", QString::fromStdString(file.costUnit)},
        {"budget", s.budget},
        {"metrics", file.metrics},
        {"provenance", QJsonObject{{"input_file", QString::fromStdString(file.inputFile)},
                                   {"seed", QString::number(file.seed)},
                                   {"tool_version", QStringLiteral(EENET_VERSION)}}},
    };
    QSaveFile out(QString::fromStdString(path));
    if (!out.open(QIODevice::WriteOnly))
        throw IoError(path, "cannot write: " + out.errorString().toStdString());
    out.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!out.commit())
        throw IoError(path, "cannot write: " + out.errorString().toStdString());
}

SchedulerFile readSchedulerFile(const std::string& path) {
    QFile in(QString::fromStdString(path));
    if (!in.exists())
        throw IoError(path, "no such file");
    if (!in.open(QIODevice::ReadOnly))
        throw IoError(path, "cannot read: " + in.errorString().toStdString());
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(in.readAll(), &error);
    const JsonReader reader(path);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        reader.fail("/", "not a JSON object (" + error.errorString().toStdString() + ")");
    const QJsonObject root = document.object();
    if (reader.field(root, "format", "/").toString() != QLatin1String(kFormat))
        reader.fail("/format", "expected '" + std::string(kFormat) + "'");
    if (reader.field(root, "format_version", "/").toInt() != kVersion)
        reader.fail("/format_version",
                    "unknown version; this tool reads version " + std::to_string(kVersion));

    SchedulerFile file;
    file.policy = reader.field(root, "policy", "/").toString().toStdString();
    EENetScheduler& s = file.scheduler;
    s.numExits = reader.field(root, "num_exits", "/").toInt();
    s.numClasses = reader.field(root, "num_classes", "/").toInt();
    if (s.numExits < 2 || s.numClasses < 2)
        reader.fail("/num_exits", "needs at least 2 exits and 2 classes");
    const QJsonArray exits = reader.field(root, "exits", "/").toArray();
    if (exits.size() != s.numExits)
        reader.fail("/exits", "has " + std::to_string(exits.size()) + " entries, expected num_exits");
    for (int k = 0; k < s.numExits; ++k) {
        const std::string where = "/exits[" + std::to_string(k) + "]/";
        const QJsonObject exit = exits[k].toObject();
        s.classWeights.push_back(reader.numbers(reader.field(exit, "class_weights", where),
                                                where + "class_weights", static_cast<size_t>(s.numClasses)));
        s.auxWeights.push_back(reader.numbers(reader.field(exit, "aux_weights", where), where + "aux_weights",
                                              static_cast<size_t>(2 + k)));
        s.thresholds.push_back(reader.number(reader.field(exit, "threshold", where), where + "threshold"));
    }
    file.costs = reader.numbers(reader.field(root, "costs", "/"), "/costs", static_cast<size_t>(s.numExits));
    file.costUnit = reader.field(root, "cost_unit", "/").toString().toStdString();
    s.budget = reader.number(reader.field(root, "budget", "/"), "/budget");
    file.metrics = root.value("metrics").toObject();
    const QJsonObject provenance = root.value("provenance").toObject();
    file.inputFile = provenance.value("input_file").toString().toStdString();
    file.seed = provenance.value("seed").toString().toULongLong();
    return file;
}

} // namespace eenet
