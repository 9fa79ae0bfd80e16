#pragma once

// Private to core/import: a prediction cache as its source file holds it, before it is interpreted. The torch
// and NumPy readers fill it; CacheAssembly checks it and turns it into Predictions, so that the rules
// (shapes, logits or probabilities, costs) live once whatever the source.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace eenet::cache {

/// One array of a source file, converted to T; `file` and `name` are what an error about it names.
template <typename T> struct RawArray {
    std::string file;
    std::string name;  ///< "val_probs", "element 0 (val predictions)"
    std::string dtype; ///< as the file stores it: "float16", "int64"
    std::vector<std::int64_t> shape;
    std::vector<T> values; ///< row-major
};

/// What a source says its predictions are: .npz files name them (val_probs, val_logits), torch tuples do not.
enum class DeclaredOutputs { Unknown, Probabilities, Logits };

struct RawSplit {
    RawArray<float> outputs; ///< [K, N, C]
    DeclaredOutputs declared = DeclaredOutputs::Unknown;
    RawArray<double> labels; ///< [N]; doubles, since some caches store class indices as floats
};

struct RawCache {
    std::string file;
    std::string
        layout; ///< for the report: "a torch.save tuple of val_pred, val_target", "a NumPy .npz of ..."
    RawSplit val;
    std::optional<RawSplit> test;
    std::optional<RawArray<double>> costs; ///< [K] in `costUnit` (.npz only)
    std::string costUnit;                  ///< empty when the source does not name it
    std::optional<RawArray<double>> flops; ///< [K] cumulative FLOPs (.npz only; flops.pth is read apart)
    std::vector<std::string> ignored;      ///< arrays the source holds that the import does not use
};

} // namespace eenet::cache
