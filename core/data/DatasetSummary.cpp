#include "data/DatasetSummary.h"

#include <QJsonArray>

namespace eenet {

DatasetSummary summarize(const Predictions& p) {
    DatasetSummary s;
    s.sourcePath = p.sourcePath;
    s.model = p.model;
    s.dataset = p.dataset;
    s.description = p.description;
    s.costUnit = p.costUnit;
    s.numExits = p.numExits;
    s.numClasses = p.numClasses;
    s.numVal = p.val.numSamples;
    s.numTest = p.test ? p.test->numSamples : 0;
    s.classNames = p.classNames;
    s.loadNotes = p.loadNotes;
    const SampleInputs* inputs[] = {p.val.inputs.get(), p.test ? p.test->inputs.get() : nullptr};
    for (const SampleInputs* split : inputs) {
        if (split)
            s.inputKind = split->kind();
    }
    s.valInputShape = inputs[0] ? inputs[0]->shape() : std::vector<int>{};
    s.testInputShape = inputs[1] ? inputs[1]->shape() : std::vector<int>{};
    for (int k = 0; k < p.numExits; ++k) {
        ExitSummary exit;
        exit.name = p.exitNames[static_cast<size_t>(k)];
        exit.cost = p.costs[static_cast<size_t>(k)];
        if (!p.flops.empty())
            exit.flops = p.flops[static_cast<size_t>(k)];
        exit.valAccuracyPercent = exitAccuracyPercent(p.val, p.numClasses, k);
        if (p.test)
            exit.testAccuracyPercent = exitAccuracyPercent(*p.test, p.numClasses, k);
        s.exits.push_back(exit);
    }
    return s;
}

namespace {

/// null for a split without inputs.
QJsonValue shapeJson(const std::vector<int>& shape) {
    if (shape.empty())
        return QJsonValue();
    QJsonArray array;
    for (int dimension : shape)
        array.append(dimension);
    return array;
}

QJsonArray toJsonArray(const std::vector<std::string>& values) {
    QJsonArray array;
    for (const std::string& value : values)
        array.append(QString::fromStdString(value));
    return array;
}

} // namespace

QJsonObject toJson(const DatasetSummary& s) {
    QJsonArray exits;
    for (const ExitSummary& e : s.exits) {
        QJsonObject exit{{"name", QString::fromStdString(e.name)},
                         {"cost", e.cost},
                         {"val_accuracy", e.valAccuracyPercent}};
        exit["flops"] = e.flops ? QJsonValue(*e.flops) : QJsonValue();
        exit["test_accuracy"] = e.testAccuracyPercent ? QJsonValue(*e.testAccuracyPercent) : QJsonValue();
        exits.append(exit);
    }
    return QJsonObject{{"file", QString::fromStdString(s.sourcePath)},
                       {"model", QString::fromStdString(s.model)},
                       {"dataset", QString::fromStdString(s.dataset)},
                       {"description", QString::fromStdString(s.description)},
                       {"cost_unit", QString::fromStdString(s.costUnit)},
                       {"num_exits", s.numExits},
                       {"num_classes", s.numClasses},
                       {"num_val", s.numVal},
                       {"num_test", s.numTest},
                       {"exits", exits},
                       {"class_names", toJsonArray(s.classNames)},
                       {"load_notes", toJsonArray(s.loadNotes)},
                       {"inputs", QJsonObject{{"kind", QString::fromStdString(inputKindName(s.inputKind))},
                                              {"shape", shapeJson(s.valInputShape)},
                                              {"test_shape", shapeJson(s.testInputShape)}}}};
}

} // namespace eenet
