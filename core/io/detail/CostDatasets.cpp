#include "io/detail/CostDatasets.h"

#include "Error.h"
#include "data/CostModels.h"
#include "io/detail/Hdf5Helpers.h"
#include "io/detail/ProbabilityChecks.h"
#include "io/detail/ReaderLimits.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <optional>

namespace eenet::costio {
namespace {

[[noreturn]] void fail(const CostSource& source, const std::string& dataset, const std::string& problem) {
    throw FormatError(source.path, dataset, problem);
}

void failIf(const CostSource& source, const std::string& dataset, const std::string& problem) {
    if (!problem.empty())
        fail(source, dataset, problem);
}

std::string unitLengthProblem(std::size_t bytes) {
    return "attribute 'unit' is " + h5::bytesText(bytes) + " long; attributes may be at most " +
           h5::bytesText(limits::kMaxStringBytes);
}

std::string unitProblem(const std::string& unit) {
    if (unit.empty())
        return "attribute 'unit' is empty; name the unit, e.g. ms";
    if (unit.size() > limits::kMaxStringBytes)
        return unitLengthProblem(unit.size());
    return {};
}

/// The dataset's attribute `unit`; nullopt when it has none. Refuses anything but one non-empty string of at
/// most limits::kMaxStringBytes, fixed-length ones measured before they are read.
std::optional<std::string> unitOf(const CostSource& source, const H5::DataSet& dataset,
                                  const std::string& path) {
    if (!dataset.attrExists("unit"))
        return std::nullopt;
    {
        const H5::Attribute attribute = dataset.openAttribute("unit");
        if (attribute.getTypeClass() != H5T_STRING)
            fail(source, path, "attribute 'unit' is not a string");
        const hssize_t count = attribute.getSpace().getSimpleExtentNpoints();
        if (count != 1)
            fail(source, path,
                 "attribute 'unit' holds " + std::to_string(count) + " strings, expected a single string");
        const H5::StrType type = attribute.getStrType();
        if (!type.isVariableStr() && type.getSize() > limits::kMaxStringBytes)
            fail(source, path, unitLengthProblem(type.getSize()));
    }
    const std::string unit = h5::stringAttribute(dataset, "unit").value_or("");
    failIf(source, path, unitProblem(unit));
    return unit;
}

/// Checks from the metadata that `dataset` holds numbers (integers only when `integersOnly`) of at most
/// limits::kMaxNumberBytes each, in `rank` dimensions, and returns its dimensions.
std::vector<hsize_t> numberShape(const CostSource& source, const H5::DataSet& dataset,
                                 const std::string& path, size_t rank, bool integersOnly) {
    const auto dims = h5::dimensions(dataset);
    if (dims.size() != rank)
        fail(source, path,
             "has rank " + std::to_string(dims.size()) + ", expected rank " + std::to_string(rank) +
                 (rank == 2 ? " [exits, batch sizes]" : ""));
    const H5T_class_t type = dataset.getTypeClass();
    if (integersOnly && type != H5T_INTEGER)
        fail(source, path, "must hold integers");
    if (type != H5T_FLOAT && type != H5T_INTEGER)
        fail(source, path, "must hold numbers");
    const size_t bytes = dataset.getDataType().getSize();
    if (bytes > limits::kMaxNumberBytes)
        fail(source, path,
             "has elements of " + h5::bytesText(bytes) + "; numbers may be at most " +
                 std::to_string(limits::kMaxNumberBytes) + " bytes (float128)");
    return dims;
}

std::string vectorProblem(const std::vector<double>& values, int numExits) {
    if (values.size() != static_cast<size_t>(numExits))
        return "has " + std::to_string(values.size()) + " entries, expected " + std::to_string(numExits) +
               " (one per exit, as /exits/costs)";
    return costsProblem(values);
}

std::string batchSizesProblem(const std::vector<long long>& sizes) {
    if (sizes.empty())
        return "has no entries; store at least one batch size, or neither batch dataset";
    if (sizes.size() > limits::kMaxBatchSizes)
        return "has " + std::to_string(sizes.size()) + " entries; at most " +
               std::to_string(limits::kMaxBatchSizes) + " batch sizes are supported";
    for (size_t j = 0; j < sizes.size(); ++j) {
        const std::string entry = "entry " + std::to_string(j) + " is " + std::to_string(sizes[j]);
        if (sizes[j] < 1)
            return entry + "; batch sizes are at least 1";
        if (sizes[j] > INT_MAX)
            return entry + "; batch sizes are at most " + std::to_string(INT_MAX);
        if (j > 0 && sizes[j] <= sizes[j - 1])
            return "must be strictly increasing; " + entry + " after " + std::to_string(sizes[j - 1]);
    }
    return {};
}

/// [K, B] row-major: finite, positive and strictly increasing in the exit for every batch size.
std::string batchValuesProblem(const std::vector<double>& values, const std::vector<int>& sizes) {
    const size_t columns = sizes.size();
    for (size_t i = 0; i < values.size(); ++i) {
        const size_t k = i / columns;
        const size_t j = i % columns;
        const std::string place =
            "exit " + std::to_string(k + 1) + " at batch size " + std::to_string(sizes[j]);
        if (!std::isfinite(values[i]))
            return "contains NaN or Inf (" + place + ")";
        if (values[i] <= 0)
            return "must be positive; " + place + " has " + h5::numberText(values[i]);
        if (k > 0 && values[i] <= values[i - columns])
            return "must be strictly increasing in the exit (cumulative time per batch); " + place + " has " +
                   h5::numberText(values[i]) + " after " + h5::numberText(values[i - columns]);
    }
    return {};
}

void replace(H5::Group& group, const std::string& name) {
    if (H5Lexists(group.getId(), name.c_str(), H5P_DEFAULT) > 0)
        group.unlink(name);
}

} // namespace

std::string readFlopsUnit(const CostSource& source, const H5::DataSet& flops) {
    return unitOf(source, flops, "/exits/flops").value_or(kDefaultFlopsUnit);
}

std::vector<CostVector> readExtraCosts(const CostSource& source, int numExits) {
    const std::string groupPath = kExtraCostsGroup;
    if (!h5::exists(source.file, groupPath))
        return {};
    const std::string link = h5::linkProblem(source.file, groupPath);
    if (!link.empty())
        fail(source, groupPath, link + "; links are not followed, store the group itself in the file");
    if (source.file.childObjType(groupPath) != H5O_TYPE_GROUP)
        fail(source, groupPath, "is not a group; it holds one dataset per named cost vector");
    const H5::Group group = source.file.openGroup(groupPath);
    const hsize_t count = group.getNumObjs();
    if (count > limits::kMaxExtraCosts)
        fail(source, groupPath,
             "holds " + std::to_string(count) + " cost vectors; at most " +
                 std::to_string(limits::kMaxExtraCosts) + " are supported");
    std::vector<CostVector> costs;
    for (hsize_t i = 0; i < count; ++i) {
        CostVector cost;
        cost.name = group.getObjnameByIdx(i);
        const std::string path = groupPath + "/" + cost.name;
        failIf(source, path, costNameProblem(cost.name));
        const H5::DataSet dataset = source.open(path);
        const auto dims = numberShape(source, dataset, path, 1, false);
        if (dims[0] != static_cast<hsize_t>(numExits))
            fail(source, path,
                 "has " + std::to_string(dims[0]) + " entries, expected " + std::to_string(numExits) +
                     " (one per exit, as /exits/costs)");
        cost.values.resize(dims[0]);
        dataset.read(cost.values.data(), H5::PredType::NATIVE_DOUBLE);
        failIf(source, path, costsProblem(cost.values));
        const auto unit = unitOf(source, dataset, path);
        if (!unit)
            fail(source, path, "attribute 'unit' is missing; every named cost vector says its unit, e.g. ms");
        cost.unit = *unit;
        costs.push_back(std::move(cost));
    }
    std::sort(costs.begin(), costs.end(),
              [](const CostVector& a, const CostVector& b) { return a.name < b.name; });
    return costs;
}

BatchCosts readBatchCosts(const CostSource& source, int numExits) {
    const bool hasSizes = h5::exists(source.file, kBatchSizesPath);
    const bool hasCosts = h5::exists(source.file, kBatchCostsPath);
    if (!hasSizes && !hasCosts)
        return {};
    if (!hasSizes)
        fail(source, kBatchSizesPath,
             std::string("missing; ") + kBatchCostsPath + " needs it (store both batch datasets or neither)");
    if (!hasCosts)
        fail(source, kBatchCostsPath,
             std::string("missing; ") + kBatchSizesPath + " needs it (store both batch datasets or neither)");

    const H5::DataSet sizesSet = source.open(kBatchSizesPath);
    const auto sizeDims = numberShape(source, sizesSet, kBatchSizesPath, 1, true);
    if (sizeDims[0] > limits::kMaxBatchSizes)
        fail(source, kBatchSizesPath,
             "has " + std::to_string(sizeDims[0]) + " entries; at most " +
                 std::to_string(limits::kMaxBatchSizes) + " batch sizes are supported");
    std::vector<long long> sizes(sizeDims[0]);
    if (!sizes.empty())
        sizesSet.read(sizes.data(), H5::PredType::NATIVE_LLONG);
    failIf(source, kBatchSizesPath, batchSizesProblem(sizes));

    BatchCosts batch;
    batch.batchSizes.assign(sizes.begin(), sizes.end());
    const H5::DataSet costsSet = source.open(kBatchCostsPath);
    const auto costDims = numberShape(source, costsSet, kBatchCostsPath, 2, false);
    if (costDims[0] != static_cast<hsize_t>(numExits) || costDims[1] != sizes.size())
        fail(source, kBatchCostsPath,
             "has shape " + h5::shapeText(costDims) + ", expected " + std::to_string(numExits) + " x " +
                 std::to_string(sizes.size()) + ": one row per exit (/exits/costs has " +
                 std::to_string(numExits) + ") and one column per batch size (" + kBatchSizesPath + " has " +
                 std::to_string(sizes.size()) + ")");
    batch.values.resize(static_cast<size_t>(numExits) * sizes.size());
    costsSet.read(batch.values.data(), H5::PredType::NATIVE_DOUBLE);
    failIf(source, kBatchCostsPath, batchValuesProblem(batch.values, batch.batchSizes));
    batch.unit = unitOf(source, costsSet, kBatchCostsPath).value_or(kDefaultBatchUnit);
    return batch;
}

std::string extraCostsProblem(const std::vector<CostVector>& extraCosts, int numExits) {
    if (extraCosts.size() > limits::kMaxExtraCosts)
        return std::to_string(extraCosts.size()) + " named cost vectors; at most " +
               std::to_string(limits::kMaxExtraCosts) + " are supported";
    for (size_t i = 0; i < extraCosts.size(); ++i) {
        const CostVector& cost = extraCosts[i];
        std::string problem = costNameProblem(cost.name);
        for (size_t j = 0; problem.empty() && j < i; ++j)
            if (extraCosts[j].name == cost.name)
                problem = "the name is used twice";
        if (problem.empty())
            problem = vectorProblem(cost.values, numExits);
        if (problem.empty())
            problem = unitProblem(cost.unit);
        if (!problem.empty())
            return std::string(kExtraCostsGroup) + "/" + cost.name + ": " + problem;
    }
    return {};
}

std::string batchCostsProblem(const BatchCosts& batchCosts, int numExits) {
    const std::vector<long long> sizes(batchCosts.batchSizes.begin(), batchCosts.batchSizes.end());
    if (std::string problem = batchSizesProblem(sizes); !problem.empty())
        return std::string(kBatchSizesPath) + ": " + problem;
    const size_t expected = static_cast<size_t>(std::max(numExits, 0)) * sizes.size();
    if (batchCosts.values.size() != expected)
        return std::string(kBatchCostsPath) + ": has " + std::to_string(batchCosts.values.size()) +
               " values, expected " + std::to_string(expected) + " (" + std::to_string(numExits) +
               " exits x " + std::to_string(sizes.size()) + " batch sizes)";
    std::string problem = batchValuesProblem(batchCosts.values, batchCosts.batchSizes);
    if (problem.empty())
        problem = unitProblem(batchCosts.unit);
    return problem.empty() ? problem : std::string(kBatchCostsPath) + ": " + problem;
}

void writeFlopsUnit(H5::Group& exits, const std::string& unit) {
    H5::DataSet flops = exits.openDataSet("flops");
    h5::writeStringAttribute(flops, "unit", unit);
}

void writeExtraCost(H5::H5File& file, const CostVector& cost) {
    if (!h5::exists(file, kExtraCostsGroup))
        file.createGroup(kExtraCostsGroup);
    H5::Group group = file.openGroup(kExtraCostsGroup);
    replace(group, cost.name);
    h5::writeDoubles(group, cost.name, cost.values);
    H5::DataSet dataset = group.openDataSet(cost.name);
    h5::writeStringAttribute(dataset, "unit", cost.unit);
}

void writeBatchCosts(H5::H5File& file, const BatchCosts& batchCosts) {
    H5::Group exits = file.openGroup("/exits");
    replace(exits, "batch_sizes");
    replace(exits, "batch_costs");
    h5::writeInts(exits, "batch_sizes", batchCosts.batchSizes);
    const hsize_t dims[2] = {batchCosts.values.size() / batchCosts.batchSizes.size(),
                             batchCosts.batchSizes.size()};
    H5::DataSet costs = exits.createDataSet("batch_costs", H5::PredType::IEEE_F64LE, H5::DataSpace(2, dims));
    costs.write(batchCosts.values.data(), H5::PredType::NATIVE_DOUBLE);
    h5::writeStringAttribute(costs, "unit", batchCosts.unit);
}

} // namespace eenet::costio
