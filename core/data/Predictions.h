#pragma once

#include "data/SampleInputs.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace eenet {

/// One split (validation or test) of a multi-exit model's predictions.
struct SplitPredictions {
    int numSamples = 0;
    /// Softmax probabilities, row-major [K, N, C]: exit k's row for sample i starts at (k * N + i) * C.
    std::vector<float> probs;
    /// Ground-truth class per sample, in [0, C).
    std::vector<int> labels;
    /// The samples' inputs (images or texts), read on demand; nullptr when the file stores none.
    std::shared_ptr<const SampleInputs> inputs;

    const float* row(int numClasses, int exit, int sample) const {
        return probs.data() + (static_cast<size_t>(exit) * numSamples + sample) * numClasses;
    }
};

/// A cost vector in its own unit: /exits/costs, /exits/flops or /exits/extra_costs/<name> (docs/format.md,
/// "Cost models").
struct CostVector {
    std::string name;
    std::string unit;
    /// Cumulative per exit, strictly increasing and positive.
    std::vector<double> values;
};

/// Wall time of one batch to reach each exit, at a few batch sizes (/exits/batch_sizes, /exits/batch_costs):
/// what a serving simulation (ServingCostModel) needs. Empty when the file has none.
struct BatchCosts {
    /// Strictly increasing, >= 1.
    std::vector<int> batchSizes;
    /// [K, B] row-major: values[k * B + j] is the time for one batch of batchSizes[j] samples to reach exit
    /// k; strictly increasing in k.
    std::vector<double> values;
    std::string unit = "ms";

    bool empty() const { return batchSizes.empty(); }
    double at(int exit, int sizeIndex) const {
        return values[static_cast<size_t>(exit) * batchSizes.size() + static_cast<size_t>(sizeIndex)];
    }
};

/// Everything a predictions file holds, validated. Immutable once loaded: share it as shared_ptr<const
/// Predictions>.
struct Predictions {
    std::string sourcePath;
    std::string model;
    std::string dataset;
    std::string costUnit;
    std::string description;

    int numExits = 0;
    int numClasses = 0;
    /// Cumulative cost to reach and evaluate exit k, strictly increasing and positive.
    std::vector<double> costs;
    /// Optional second cost (MFLOPs); empty when the file has none.
    std::vector<double> flops;
    /// Unit of `flops`: /exits/flops' optional attribute `unit`, "MFLOPs" when it has none.
    std::string flopsUnit = "MFLOPs";
    /// Named cost vectors beyond costs and flops (/exits/extra_costs/<name>), sorted by name.
    std::vector<CostVector> extraCosts;
    /// Which cost vector `costs` and `costUnit` hold: "costs" (the file's /exits/costs), "flops" or an
    /// extra's name (selectCostModel, core/data/CostModels.h).
    std::string costModel = "costs";
    /// The file's own /exits/costs and cost_unit while another cost model is selected; nullopt while `costs`
    /// and `costUnit` hold them. Writers write these, never the selected model: a file keeps its own costs.
    std::optional<CostVector> fileCosts;
    /// Per-batch wall times for serving simulations; empty when the file has none.
    BatchCosts batchCosts;
    /// Always K names; "exit 1" ... when the file has none.
    std::vector<std::string> exitNames;
    /// Always C names; "class 0" ... when the file has none.
    std::vector<std::string> classNames;

    SplitPredictions val;
    std::optional<SplitPredictions> test;

    /// The per-exit temperatures these probabilities were scaled by (temperatureScaled); empty for a file's
    /// own probabilities. A scheduler fitted on scaled probabilities carries them, so a runtime fed the
    /// model's own probabilities applies them first (docs/deploy.md).
    std::vector<double> temperatures;

    /// What the reader did that a user should know (logits turned into probabilities, defaults filled in).
    std::vector<std::string> loadNotes;
};

/// Index of the largest probability at exit `exit` for `sample` (first one on ties).
int predictedClass(const SplitPredictions& split, int numClasses, int exit, int sample);

/// Standalone accuracy of one exit on a split, in percent.
double exitAccuracyPercent(const SplitPredictions& split, int numClasses, int exit);

} // namespace eenet
