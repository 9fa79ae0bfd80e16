#include "data/CostModels.h"

#include "Error.h"

#include <algorithm>

namespace eenet {

std::string costNameProblem(const std::string& name) {
    if (name.empty())
        return "the name is empty";
    if (name.size() > kMaxCostNameBytes)
        return "the name is " + std::to_string(name.size()) +
               " bytes long; cost vectors' names may be at most " + std::to_string(kMaxCostNameBytes);
    if (name == "costs" || name == "flops")
        return "the name '" + name + "' is taken by /exits/" + name + "; name the vector otherwise";
    const bool control = std::any_of(
        name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
    if (control || name.find('/') != std::string::npos)
        return "the name '" + name + "' holds a '/' or a control character";
    return {};
}

CostVector fileCosts(const Predictions& predictions) {
    if (predictions.fileCosts)
        return *predictions.fileCosts;
    return {"costs", predictions.costUnit, predictions.costs};
}

std::vector<CostVector> costModels(const Predictions& predictions) {
    std::vector<CostVector> models{fileCosts(predictions)};
    if (!predictions.flops.empty())
        models.push_back({"flops", predictions.flopsUnit, predictions.flops});
    models.insert(models.end(), predictions.extraCosts.begin(), predictions.extraCosts.end());
    return models;
}

void selectCostModel(Predictions& predictions, const std::string& name) {
    if (name == predictions.costModel)
        return;
    const std::vector<CostVector> models = costModels(predictions);
    const auto chosen = std::find_if(models.begin(), models.end(),
                                     [&](const CostVector& model) { return model.name == name; });
    if (chosen == models.end()) {
        std::string known;
        for (const CostVector& model : models)
            known += (known.empty() ? "" : ", ") + model.name;
        throw ArgumentError(
            (predictions.sourcePath.empty() ? std::string("predictions") : predictions.sourcePath) +
            ": no cost model '" + name + "'; the file has " + known);
    }
    // Keep the file's own costs before `costs` is overwritten; drop the copy once they are back.
    if (!predictions.fileCosts)
        predictions.fileCosts = CostVector{"costs", predictions.costUnit, predictions.costs};
    predictions.costs = chosen->values;
    predictions.costUnit = chosen->unit;
    predictions.costModel = chosen->name;
    if (name == "costs")
        predictions.fileCosts.reset();
}

std::shared_ptr<const Predictions> withCostModel(std::shared_ptr<const Predictions> predictions,
                                                 const std::string& name) {
    if (!predictions || predictions->costModel == name)
        return predictions;
    auto selected = std::make_shared<Predictions>(*predictions);
    selectCostModel(*selected, name);
    return selected;
}

} // namespace eenet
