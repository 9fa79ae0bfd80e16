#include "import/detail/CacheAssembly.h"

#include "Error.h"
#include "io/detail/Hdf5Helpers.h"
#include "io/detail/ProbabilityChecks.h"
#include "io/detail/ReaderLimits.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

namespace eenet::cache {
namespace {

/// A flops file whose last exit has fewer FLOPs than this does not hold counts of FLOPs: a network taking
/// under 0.1 MFLOPs is a toy, while the MFLOPs or GFLOPs of real networks lie below it.
constexpr double kMinFlopsOfANetwork = 1e5;
constexpr double kFlopsPerMflop = 1e6;
/// The reader's tolerance for probabilities just outside [0, 1] (rounding), so that both judge alike.
constexpr float kRangeTolerance = 1e-6f;
constexpr std::int64_t kMaxDimension = std::numeric_limits<int>::max();
/// Arrays named in the note about ignored ones: the description that carries it must stay short.
constexpr std::size_t kIgnoredListed = 10;

template <typename T> [[noreturn]] void fail(const RawArray<T>& array, const std::string& problem) {
    throw FormatError(array.file, array.name, problem);
}

template <typename T> void failIf(const RawArray<T>& array, const std::string& problem) {
    if (!problem.empty())
        fail(array, problem);
}

std::string shapeText(const std::vector<std::int64_t>& shape) {
    return shape.empty() ? "a scalar" : h5::shapeText(std::vector<hsize_t>(shape.begin(), shape.end()));
}

std::string rankProblem(const std::vector<std::int64_t>& shape, std::size_t rank, const std::string& axes) {
    if (shape.size() == rank)
        return {};
    return "has rank " + std::to_string(shape.size()) + " (" + shapeText(shape) + "), expected rank " +
           std::to_string(rank) + " " + axes;
}

std::string fileName(const std::string& path) {
    return std::filesystem::path(path).filename().string();
}

/// Where FLOPs came from: an array of the cache ("flops in cache.npz") or a file of their own ("flops.pth").
std::string flopsOrigin(const RawArray<double>& flops, const RawCache& cache) {
    return (flops.file == cache.file ? flops.name + " in " : "") + fileName(flops.file) + " (FLOPs / 10^6)";
}

/// Logits or probabilities, and why: the name a source gives them must agree with their values, and
/// unnamed ones must be clearly one or the other.
void classify(const RawArray<float>& outputs, DeclaredOutputs declared, const Shape3& shape,
              ImportedSplit& found) {
    const std::string notProbabilities = probabilityProblem(outputs.values, shape);
    const bool inUnitRange = std::all_of(outputs.values.begin(), outputs.values.end(), [](float v) {
        return v >= -kRangeTolerance && v <= 1 + kRangeTolerance;
    });
    if (declared == DeclaredOutputs::Probabilities) {
        if (!notProbabilities.empty())
            fail(outputs, "is named as probabilities, but " + notProbabilities);
        found.evidence = "named so, and every row lies in [0, 1] and sums to 1";
        return;
    }
    if (declared == DeclaredOutputs::Logits) {
        if (notProbabilities.empty())
            fail(outputs, "is named as logits, but every row lies in [0, 1] and sums to 1: these are "
                          "probabilities; store them under the _probs name");
        found.fromLogits = true;
        found.evidence = "named so";
        return;
    }
    if (notProbabilities.empty()) {
        found.evidence = "every row lies in [0, 1] and sums to 1";
    } else if (!inUnitRange) {
        found.fromLogits = true;
        found.evidence = "values lie outside [0, 1]";
    } else {
        fail(outputs, "is ambiguous: every value lies in [0, 1] but not every row sums to 1 (" +
                          notProbabilities +
                          "): neither softmax probabilities nor plausibly logits (sigmoid outputs?); store "
                          "softmax probabilities or raw logits");
    }
}

std::vector<int> classLabels(const RawArray<double>& labels, int numClasses) {
    std::vector<int> result(labels.values.size());
    for (std::size_t i = 0; i < labels.values.size(); ++i) {
        const double label = labels.values[i];
        if (!std::isfinite(label) || label != std::floor(label))
            fail(labels, "label " + h5::numberText(label) + " of sample " + std::to_string(i) +
                             " is not a whole number (a class index)");
        if (label < 0 || label >= numClasses)
            fail(labels, "label " + h5::numberText(label) + " of sample " + std::to_string(i) +
                             " is outside [0, C) with C = " + std::to_string(numClasses));
        result[i] = static_cast<int>(label);
    }
    return result;
}

SplitPredictions splitOf(RawSplit& raw, const Shape3* val, ImportedSplit& found) {
    failIf(raw.outputs, outputsShapeProblem(raw.outputs.shape));
    const std::vector<std::int64_t>& dims = raw.outputs.shape;
    const Shape3 shape{static_cast<int>(dims[0]), static_cast<int>(dims[1]), static_cast<int>(dims[2])};
    if (val && shape.exits != val->exits)
        fail(raw.outputs, "has " + std::to_string(shape.exits) + " exits but the val predictions have " +
                              std::to_string(val->exits));
    if (val && shape.classes != val->classes)
        fail(raw.outputs, "has " + std::to_string(shape.classes) + " classes but the val predictions have " +
                              std::to_string(val->classes));
    failIf(raw.labels, labelsShapeProblem(raw.labels.shape));
    const std::int64_t labelled = raw.labels.shape[0];
    if (labelled != shape.samples) {
        const bool samplesFirst = dims[0] == labelled && dims[1] != labelled;
        fail(raw.labels, "has " + std::to_string(labelled) + " samples but " + raw.outputs.name + " has " +
                             std::to_string(shape.samples) +
                             (samplesFirst ? " (its shape " + shapeText(dims) +
                                                 " looks like [samples, exits, classes]; store exits first)"
                                           : ""));
    }
    failIf(raw.outputs, nonFiniteProblem(raw.outputs.values, shape));
    found.array = raw.outputs.name;
    found.dtype = raw.outputs.dtype;
    found.numSamples = shape.samples;
    classify(raw.outputs, raw.declared, shape, found);

    SplitPredictions split;
    split.numSamples = shape.samples;
    split.labels = classLabels(raw.labels, shape.classes);
    split.probs = std::move(raw.outputs.values);
    if (found.fromLogits)
        softmaxRows(split.probs, shape.classes);
    return split;
}

/// One number per exit, as the format wants costs and FLOPs: K entries, positive, strictly increasing.
std::vector<double> perExit(const RawArray<double>& values, int numExits) {
    failIf(values, exitsShapeProblem(values.shape));
    if (values.values.size() != static_cast<std::size_t>(numExits))
        fail(values, "has " + std::to_string(values.values.size()) + " entries but the predictions have " +
                         std::to_string(numExits) + " exits");
    failIf(values, costsProblem(values.values));
    return values.values;
}

/// FLOPs files hold counts of FLOPs (MSDNet's measure_model writes them so); the format stores MFLOPs.
std::vector<double> mflopsOf(const RawArray<double>& flops, int numExits) {
    std::vector<double> values = perExit(flops, numExits);
    if (values.back() < kMinFlopsOfANetwork)
        fail(flops, "ends at " + h5::numberText(values.back()) +
                        ", too few to be a count of FLOPs (a network's last exit takes far more); if these "
                        "are MFLOPs or GFLOPs, save them as FLOPs (x 1e6 or x 1e9)");
    for (double& value : values)
        value /= kFlopsPerMflop;
    return values;
}

void chooseCosts(const RawCache& cache, const std::optional<RawArray<double>>& flops, const SideInputs& side,
                 Predictions& p, CacheImportReport& report) {
    if (side.latenciesMs) {
        p.costs = perExit(*side.latenciesMs, p.numExits);
        p.costUnit = "ms";
        report.costSource = fileName(side.latenciesMs->file) + " (latencies in ms)";
    } else if (cache.costs) {
        p.costs = perExit(*cache.costs, p.numExits);
        p.costUnit = cache.costUnit.empty() ? "units" : cache.costUnit;
        report.costSource = "costs in " + fileName(cache.file);
        if (cache.costUnit.empty())
            report.notes.push_back(fileName(cache.file) +
                                   " names no cost_unit: its costs are in unnamed \"units\"");
    } else if (flops) {
        p.costs = mflopsOf(*flops, p.numExits);
        p.costUnit = "MFLOPs";
        report.costSource = flopsOrigin(*flops, cache);
    } else {
        throw ArgumentError(
            cache.file + ": no exit costs: the file holds none; give latencies in ms (a CSV, one per exit) "
                         "or cumulative FLOPs (flops.pth)");
    }
    report.costUnit = p.costUnit;
    report.costs = p.costs;
}

} // namespace

std::string outputsShapeProblem(const std::vector<std::int64_t>& shape) {
    if (std::string problem = rankProblem(shape, 3, "[exits, samples, classes]"); !problem.empty())
        return problem;
    long double values = 1;
    for (std::int64_t dim : shape)
        values *= static_cast<long double>(dim);
    if (std::any_of(shape.begin(), shape.end(), [](std::int64_t dim) { return dim > kMaxDimension; }) ||
        values > limits::kMaxValues)
        return "is too large to load: " + shapeText(shape) + " values; at most " +
               h5::countText(limits::kMaxValues) + " values per split are supported";
    if (shape[0] < 2)
        return "needs at least 2 exits, has " + std::to_string(shape[0]);
    if (shape[2] < 2)
        return "needs at least 2 classes, has " + std::to_string(shape[2]);
    if (shape[1] < 1)
        return "has no samples";
    return {};
}

std::string labelsShapeProblem(const std::vector<std::int64_t>& shape) {
    if (std::string problem = rankProblem(shape, 1, "[samples]"); !problem.empty())
        return problem;
    return shape[0] > kMaxDimension ? "has " + std::to_string(shape[0]) + " entries, too many to be samples"
                                    : std::string();
}

std::string exitsShapeProblem(const std::vector<std::int64_t>& shape) {
    if (std::string problem = rankProblem(shape, 1, "[exits]"); !problem.empty())
        return problem;
    return shape[0] > static_cast<std::int64_t>(limits::kMaxExits)
               ? "has " + std::to_string(shape[0]) + " entries; at most " +
                     std::to_string(limits::kMaxExits) + " exits are supported"
               : std::string();
}

long double splitBytes(const std::vector<std::int64_t>& shape) {
    long double values = 1;
    for (std::int64_t dim : shape)
        values *= static_cast<long double>(dim);
    const long double samples = shape.size() > 1 ? static_cast<long double>(shape[1]) : 0;
    return values * sizeof(float) + samples * sizeof(double);
}

Predictions assemble(RawCache cache, SideInputs side, CacheImportReport& report) {
    report.source = cache.file;
    report.layout = cache.layout;
    Predictions p;
    p.val = splitOf(cache.val, nullptr, report.val);
    const std::vector<std::int64_t>& dims = cache.val.outputs.shape;
    const Shape3 valShape{static_cast<int>(dims[0]), static_cast<int>(dims[1]), static_cast<int>(dims[2])};
    p.numExits = valShape.exits;
    p.numClasses = valShape.classes;
    if (cache.test)
        p.test = splitOf(*cache.test, &valShape, report.test.emplace());
    report.numExits = p.numExits;
    report.numClasses = p.numClasses;
    for (const ImportedSplit* split : {&report.val, report.test ? &*report.test : nullptr})
        if (split && split->fromLogits)
            p.loadNotes.push_back("softmax applied to " + split->array + " of " + fileName(cache.file) +
                                  " (logits, not probabilities)");

    const std::optional<RawArray<double>>& flops = side.flops ? side.flops : cache.flops;
    if (side.flops && cache.flops)
        report.notes.push_back(cache.flops->name + " in " + fileName(cache.file) +
                               " ignored: " + fileName(side.flops->file) + " was given");
    chooseCosts(cache, flops, side, p, report);
    if (flops) {
        p.flops = mflopsOf(*flops, p.numExits);
        report.flopsSource = flopsOrigin(*flops, cache);
    }
    if (side.classNames) {
        if (side.classNames->values.size() != static_cast<std::size_t>(p.numClasses))
            fail(*side.classNames, "has " + std::to_string(side.classNames->values.size()) +
                                       " names but the predictions have " + std::to_string(p.numClasses) +
                                       " classes");
        p.classNames = std::move(side.classNames->values);
        report.classSource = fileName(side.classNames->file);
    }
    if (!cache.ignored.empty()) {
        std::string names;
        for (std::size_t i = 0; i < std::min(cache.ignored.size(), kIgnoredListed); ++i)
            names += (i == 0 ? "" : ", ") + cache.ignored[i];
        if (cache.ignored.size() > kIgnoredListed)
            names += " and " + std::to_string(cache.ignored.size() - kIgnoredListed) + " more";
        report.notes.push_back("ignored in " + fileName(cache.file) + ": " + names);
    }
    return p;
}

} // namespace eenet::cache
