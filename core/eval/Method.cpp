#include "eval/Method.h"

namespace eenet {
namespace {

const ConfidenceMeasure kMeasures[] = {ConfidenceMeasure::MaxProb, ConfidenceMeasure::Entropy,
                                       ConfidenceMeasure::Patience, ConfidenceMeasure::Agreement};

} // namespace

std::string Method::name() const {
    switch (kind) {
    case Kind::EENet:
        return "eenet";
    case Kind::EENetOpt:
        return "eenet-opt";
    case Kind::EENetReference:
        return "eenet-reference";
    case Kind::Heuristic:
        return measureName(measure);
    case Kind::HeuristicOpt:
        return measureName(measure) + "-opt";
    case Kind::Oracle:
        return "oracle";
    case Kind::Static:
        return "static";
    case Kind::Custom:
        return "custom";
    }
    return "unknown";
}

std::optional<Method> Method::parse(const std::string& name) {
    for (const std::string& candidate : allNames()) {
        if (candidate != name)
            continue;
        if (name == "eenet")
            return Method{Kind::EENet};
        if (name == "eenet-opt")
            return Method{Kind::EENetOpt};
        if (name == "eenet-reference")
            return Method{Kind::EENetReference};
        if (name == "oracle")
            return Method{Kind::Oracle};
        if (name == "static")
            return Method{Kind::Static};
        for (ConfidenceMeasure measure : kMeasures) {
            if (name == measureName(measure))
                return Method{Kind::Heuristic, measure};
            if (name == measureName(measure) + "-opt")
                return Method{Kind::HeuristicOpt, measure};
        }
    }
    return std::nullopt;
}

std::vector<std::string> Method::allNames() {
    std::vector<std::string> names{"eenet", "eenet-opt", "eenet-reference"};
    for (ConfidenceMeasure measure : kMeasures)
        names.push_back(measureName(measure));
    for (ConfidenceMeasure measure : kMeasures)
        names.push_back(measureName(measure) + "-opt");
    names.push_back("oracle");
    names.push_back("static");
    return names;
}

} // namespace eenet
