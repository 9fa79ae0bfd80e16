#include "io/SchedulerFile.h"

#include "Error.h"
#include "io/AtomicFile.h"
#include "io/JsonFile.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <limits>

namespace eenet {
namespace {

constexpr const char* kFormat = "eenet-scheduler";
constexpr int kVersion = 1;
/// A scheduler is weights and thresholds: kilobytes, megabytes for thousands of classes. Anything larger is
/// refused by its size, before a byte is read (docs/format.md, "Limits").
constexpr qint64 kMaxFileBytes = 64 * 1024 * 1024;

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
        const auto number = thresholdFromJson(value);
        if (!number)
            fail(where, "must be a number");
        return *number;
    }

    /// The optional "temperatures": absent or empty for none, else `expected` positive finite numbers.
    std::vector<double> temperatures(const QJsonObject& root, size_t expected) const {
        const QJsonValue value = root.value(QStringLiteral("temperatures"));
        if (value.isUndefined() || (value.isArray() && value.toArray().isEmpty()))
            return {};
        std::vector<double> result = numbers(value, "/temperatures", expected);
        for (size_t k = 0; k < result.size(); ++k)
            if (!(std::isfinite(result[k]) && result[k] > 0))
                fail("/temperatures[" + std::to_string(k) + "]", "must be a positive finite number");
        return result;
    }

    /// The optional "cost_model": "costs" when absent (files from before cost models).
    std::string costModel(const QJsonObject& root) const {
        const QJsonValue value = root.value(QStringLiteral("cost_model"));
        if (value.isUndefined())
            return "costs";
        const std::string name = value.toString().toStdString();
        if (!value.isString() || !isCostModelName(name))
            fail("/cost_model",
                 "must be the name of a cost model (costs, flops or an extra_costs name), got " +
                     describe(value));
        return name;
    }

    /// The optional "serving": std::nullopt when absent, else "sample", "sync:B" or "compact:B".
    std::optional<ServingMode> serving(const QJsonObject& root) const {
        const QJsonValue value = root.value(QStringLiteral("serving"));
        if (value.isUndefined())
            return std::nullopt;
        const auto serving =
            value.isString() ? parseServingMode(value.toString().toStdString()) : std::nullopt;
        if (!serving)
            fail("/serving",
                 "must be sample, sync:B or compact:B (B a batch size >= 1), got " + describe(value));
        return serving;
    }

    /// The optional "serving_unit", only next to "serving": a non-empty string.
    std::string servingUnit(const QJsonObject& root, bool hasServing) const {
        const QJsonValue value = root.value(QStringLiteral("serving_unit"));
        if (value.isUndefined())
            return {};
        if (!hasServing)
            fail("/serving_unit", "is set but /serving is not");
        if (!value.isString() || value.toString().isEmpty())
            fail("/serving_unit", "must be a non-empty string, got " + describe(value));
        return value.toString().toStdString();
    }

    /// The optional "guarantee": 0 when absent, else a confidence strictly between 0 and 1.
    double guarantee(const QJsonObject& root) const {
        const QJsonValue value = root.value(QStringLiteral("guarantee"));
        if (value.isUndefined())
            return 0;
        if (!value.isDouble() || !(value.toDouble() > 0 && value.toDouble() < 1))
            fail("/guarantee",
                 "must be a confidence strictly between 0 and 1 (0.95), got " + describe(value));
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
    /// The value as written, for messages: "'sync:x'", "0.5", "null"; a long string cut to its start.
    static std::string describe(const QJsonValue& value) {
        constexpr qsizetype kShownCharacters = 64;
        if (value.isString()) {
            const QString text = value.toString();
            return "'" + text.left(kShownCharacters).toStdString() +
                   (text.size() > kShownCharacters ? "…' (" + std::to_string(text.size()) + " characters)"
                                                   : "'");
        }
        if (value.isDouble())
            return QString::number(value.toDouble(), 'g', 17).toStdString();
        if (value.isBool())
            return value.toBool() ? "true" : "false";
        if (value.isNull())
            return "null";
        return value.isArray() ? "an array" : "an object";
    }

    std::string m_path;
};

} // namespace

bool isCostModelName(const std::string& name) {
    constexpr size_t kMaxNameLength = 256;
    if (name.empty() || name.size() > kMaxNameLength || name == "." || name == "..")
        return false;
    for (const char c : name)
        if (c == '/' || (static_cast<unsigned char>(c) < 0x20) || c == 0x7f)
            return false;
    return true;
}

QJsonArray numbersToJson(const std::vector<double>& values) {
    QJsonArray array;
    for (double value : values)
        array.append(value);
    return array;
}

QJsonValue thresholdToJson(double threshold) {
    if (std::isinf(threshold))
        return threshold > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return threshold;
}

std::optional<double> thresholdFromJson(const QJsonValue& value) {
    if (value.isDouble())
        return value.toDouble();
    if (value.toString() == QLatin1String("inf"))
        return std::numeric_limits<double>::infinity();
    if (value.toString() == QLatin1String("-inf"))
        return -std::numeric_limits<double>::infinity();
    return std::nullopt;
}

std::string sha256OfFile(const std::string& path) {
    QFile in(QString::fromStdString(path));
    if (!in.open(QIODevice::ReadOnly))
        throw IoError(path, "cannot read: " + in.errorString().toStdString());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&in))
        throw IoError(path, "cannot read: " + in.errorString().toStdString());
    return hash.result().toHex().toStdString();
}

DeployedPolicy SchedulerFile::deployedPolicy() const {
    DeployedPolicy policy;
    policy.score = score;
    policy.numExits = scheduler.numExits;
    policy.numClasses = scheduler.numClasses;
    policy.thresholds = scheduler.thresholds;
    policy.temperatures = temperatures;
    if (score == DeployedPolicy::Score::EENet)
        policy.eenet = scheduler;
    return policy;
}

QJsonObject SchedulerFile::toJson() const {
    const EENetScheduler& s = scheduler;
    const bool learned = score == DeployedPolicy::Score::EENet;
    QJsonArray exits;
    for (int k = 0; k < s.numExits; ++k) {
        QJsonObject exit{{"threshold", thresholdToJson(s.thresholds[static_cast<size_t>(k)])},
                         {"cost", costs.empty() ? QJsonValue() : QJsonValue(costs[static_cast<size_t>(k)])}};
        if (static_cast<size_t>(k) < exitNames.size())
            exit["name"] = QString::fromStdString(exitNames[static_cast<size_t>(k)]);
        if (learned) {
            exit["class_weights"] = numbersToJson(s.classWeights[static_cast<size_t>(k)]);
            exit["aux_weights"] = numbersToJson(s.auxWeights[static_cast<size_t>(k)]);
        }
        exits.append(exit);
    }
    const QJsonArray features = learned
                                    ? QJsonArray{"probs", "max_prob", "entropy_confidence", "previous_scores"}
                                    : QJsonArray{QString::fromStdString(scoreName(score))};
    QJsonObject json{
        {"format", kFormat},
        {"format_version", kVersion},
        {"policy", QString::fromStdString(policy)},
        {"score", QString::fromStdString(scoreName(score))},
        {"num_exits", s.numExits},
        {"num_classes", s.numClasses},
        {"features", features},
        {"exits", exits},
        {"costs", numbersToJson(costs)},
        {"cost_unit", QString::fromStdString(costUnit)},
        {"cost_model", QString::fromStdString(costModel)},
        {"budget", s.budget},
        {"metrics", metrics},
        {"provenance", QJsonObject{{"input_file", QString::fromStdString(provenance.inputFile)},
                                   {"input_sha256", QString::fromStdString(provenance.inputSha256)},
                                   {"seed", QString::number(provenance.seed)},
                                   {"hyper_parameters", provenance.hyperParameters},
                                   {"tool", QString::fromStdString(provenance.tool)},
                                   {"created", QString::fromStdString(provenance.created)}}},
    };
    if (!temperatures.empty())
        json["temperatures"] = numbersToJson(temperatures);
    if (serving) {
        json["serving"] = QString::fromStdString(servingModeName(*serving));
        if (!servingUnit.empty())
            json["serving_unit"] = QString::fromStdString(servingUnit);
    }
    if (guarantee > 0)
        json["guarantee"] = guarantee;
    return json;
}

void writeSchedulerFile(const std::string& path, const SchedulerFile& file) {
    SchedulerFile stamped = file;
    stamped.provenance.tool = std::string("eenet-studio ") + EENET_VERSION;
    stamped.provenance.created = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
    writeFileAtomically(path, QJsonDocument(stamped.toJson()).toJson(QJsonDocument::Indented));
}

SchedulerFile readSchedulerFile(const std::string& path) {
    return schedulerFromJson(readLimitedFile(path, kMaxFileBytes, "a scheduler file"), path);
}

SchedulerFile schedulerFromJson(const QByteArray& json, const std::string& path) {
    const QJsonObject root = parseJsonObject(json, path);
    const JsonReader reader(path);
    if (reader.field(root, "format", "/").toString() != QLatin1String(kFormat))
        reader.fail("/format", "expected '" + std::string(kFormat) + "'");
    if (reader.field(root, "format_version", "/").toInt() != kVersion)
        reader.fail("/format_version",
                    "unknown version; this tool reads version " + std::to_string(kVersion));

    SchedulerFile file;
    file.policy = reader.field(root, "policy", "/").toString().toStdString();
    const std::string score = root.value("score").toString(QStringLiteral("eenet")).toStdString();
    const auto parsedScore = parseScoreName(score);
    if (!parsedScore)
        reader.fail("/score",
                    "unknown score '" + score + "'; expected eenet, maxprob, entropy, patience or agreement");
    file.score = *parsedScore;
    const bool learned = file.score == DeployedPolicy::Score::EENet;
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
        if (learned) {
            s.classWeights.push_back(reader.numbers(reader.field(exit, "class_weights", where),
                                                    where + "class_weights",
                                                    static_cast<size_t>(s.numClasses)));
            s.auxWeights.push_back(reader.numbers(reader.field(exit, "aux_weights", where),
                                                  where + "aux_weights", static_cast<size_t>(2 + k)));
        }
        s.thresholds.push_back(reader.number(reader.field(exit, "threshold", where), where + "threshold"));
        file.exitNames.push_back(exit.value("name").toString().toStdString());
    }
    file.costs = reader.numbers(reader.field(root, "costs", "/"), "/costs", static_cast<size_t>(s.numExits));
    file.costUnit = reader.field(root, "cost_unit", "/").toString().toStdString();
    file.costModel = reader.costModel(root);
    file.serving = reader.serving(root);
    file.servingUnit = reader.servingUnit(root, file.serving.has_value());
    file.guarantee = reader.guarantee(root);
    s.budget = reader.number(reader.field(root, "budget", "/"), "/budget");
    file.temperatures = reader.temperatures(root, static_cast<size_t>(s.numExits));
    file.metrics = root.value("metrics").toObject();
    const QJsonObject provenance = root.value("provenance").toObject();
    file.provenance.inputFile = provenance.value("input_file").toString().toStdString();
    file.provenance.inputSha256 = provenance.value("input_sha256").toString().toStdString();
    file.provenance.seed = provenance.value("seed").toString().toULongLong();
    file.provenance.hyperParameters = provenance.value("hyper_parameters").toObject();
    file.provenance.tool = provenance.value("tool").toString().toStdString();
    file.provenance.created = provenance.value("created").toString().toStdString();
    return file;
}

} // namespace eenet
