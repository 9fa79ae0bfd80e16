#pragma once

// Private to core/io: a predictions file's cost models and serving costs (docs/format.md, "Cost models" and
// "Serving costs"): the unit of /exits/flops, the named vectors /exits/extra_costs/<name>, and
// /exits/batch_sizes with /exits/batch_costs. Read and checked for the reader, checked and written for the
// writers, by the same rules. Callers hold hdf5Mutex().

#include "data/Predictions.h"

#include <H5Cpp.h>

#include <functional>
#include <string>
#include <vector>

namespace eenet::costio {

inline constexpr const char* kExtraCostsGroup = "/exits/extra_costs";
inline constexpr const char* kBatchSizesPath = "/exits/batch_sizes";
inline constexpr const char* kBatchCostsPath = "/exits/batch_costs";
inline constexpr const char* kDefaultFlopsUnit = "MFLOPs";
inline constexpr const char* kDefaultBatchUnit = "ms";

/// The file being read, its path for errors, and the reader's way to open a dataset after checking its
/// links and storage like every other dataset (PredictionsReader's open()).
struct CostSource {
    const H5::H5File& file;
    std::string path;
    std::function<H5::DataSet(const std::string& datasetPath)> open;
};

/// /exits/flops' attribute `unit`, kDefaultFlopsUnit when it has none. Throws FormatError when the
/// attribute is not one non-empty string.
std::string readFlopsUnit(const CostSource& source, const H5::DataSet& flops);

/// Every /exits/extra_costs/<name>, sorted by name; empty when the group is missing. Throws FormatError
/// naming the group or the dataset and the problem.
std::vector<CostVector> readExtraCosts(const CostSource& source, int numExits);

/// /exits/batch_sizes and /exits/batch_costs; empty when both are missing. Throws FormatError naming the
/// dataset and the problem (one of the two missing included).
BatchCosts readBatchCosts(const CostSource& source, int numExits);

/// Empty when the extra cost vectors would pass the reader with `numExits` exits (costNameProblem,
/// data/CostModels.h, among the checks); otherwise the problem, naming the vector.
std::string extraCostsProblem(const std::vector<CostVector>& extraCosts, int numExits);

/// Empty when `batchCosts` (not empty) would pass the reader with `numExits` exits; otherwise the problem.
std::string batchCostsProblem(const BatchCosts& batchCosts, int numExits);

/// Writes /exits/flops' `unit` attribute.
void writeFlopsUnit(H5::Group& exits, const std::string& unit);

/// Writes one vector as /exits/extra_costs/<name> with its `unit`, creating the group when needed and
/// replacing a vector of that name.
void writeExtraCost(H5::H5File& file, const CostVector& cost);

/// Writes /exits/batch_sizes (int32) and /exits/batch_costs (float64 [K, B] with its `unit`), replacing
/// those the file has.
void writeBatchCosts(H5::H5File& file, const BatchCosts& batchCosts);

} // namespace eenet::costio
