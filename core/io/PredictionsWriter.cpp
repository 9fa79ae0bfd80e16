#include "io/PredictionsWriter.h"

#include "Error.h"
#include "data/CostModels.h"
#include "io/AtomicFile.h"
#include "io/Hdf5Lock.h"
#include "io/detail/CostDatasets.h"
#include "io/detail/Hdf5Helpers.h"
#include "io/detail/InputsDataset.h"
#include "io/detail/ReaderLimits.h"

namespace eenet {
namespace {

/// What the reader accepts: {N, H, W} or {N, H, W, 3} images of 1 to kMaxInputSampleBytes, or {N} texts.
bool validInputs(const SampleInputs& inputs, int numSamples) {
    const std::vector<int> shape = inputs.shape();
    if (shape.empty() || shape[0] != numSamples || numSamples < 1)
        return false;
    if (inputs.kind() == InputKind::Text)
        return shape.size() == 1;
    return inputs.kind() == InputKind::Image && (shape.size() == 3 || (shape.size() == 4 && shape[3] == 3)) &&
           shape[1] >= 1 && shape[2] >= 1 &&
           std::uint64_t(shape[1]) * std::uint64_t(shape[2]) * (shape.size() == 4 ? 3 : 1) <=
               limits::kMaxInputSampleBytes;
}

void checkShapes(const Predictions& p) {
    const auto expected = [&p](const SplitPredictions& split) {
        return static_cast<size_t>(p.numExits) * static_cast<size_t>(split.numSamples) *
               static_cast<size_t>(p.numClasses);
    };
    const bool valid = p.numExits >= 2 && p.numClasses >= 2 &&
                       p.costs.size() == static_cast<size_t>(p.numExits) &&
                       p.val.probs.size() == expected(p.val) &&
                       p.val.labels.size() == static_cast<size_t>(p.val.numSamples) &&
                       (!p.test || (p.test->probs.size() == expected(*p.test) &&
                                    p.test->labels.size() == static_cast<size_t>(p.test->numSamples)));
    if (!valid)
        throw ArgumentError(
            "predictions to write are inconsistent: probabilities, labels and costs must match K, N and C");
    for (const SplitPredictions* split : {&p.val, p.test ? &*p.test : nullptr}) {
        if (split && split->inputs && !validInputs(*split->inputs, split->numSamples))
            throw ArgumentError(
                "inputs to write are inconsistent: they must have one sample per label and the "
                "shape docs/format.md gives (\"Inputs\")");
    }
    // The file's own costs, whichever cost model is selected: what the reader will take for /exits/costs.
    if (fileCosts(p).values.size() != static_cast<size_t>(p.numExits))
        throw ArgumentError(
            "predictions to write are inconsistent: the file's own costs must have K entries");
    if (!p.flops.empty() && p.flops.size() != static_cast<size_t>(p.numExits))
        throw ArgumentError("predictions to write are inconsistent: flops must have K entries");
    if (const std::string problem = costio::extraCostsProblem(p.extraCosts, p.numExits); !problem.empty())
        throw ArgumentError("cost vectors to write are inconsistent: " + problem);
    if (!p.batchCosts.empty())
        if (const std::string problem = costio::batchCostsProblem(p.batchCosts, p.numExits); !problem.empty())
            throw ArgumentError("batch costs to write are inconsistent: " + problem);
    if (p.val.inputs && p.test && p.test->inputs && !sameSampleShape(*p.val.inputs, *p.test->inputs))
        throw ArgumentError("inputs to write differ between the splits: val has " +
                            describeInputs(p.val.inputs->kind(), p.val.inputs->shape()) + ", test " +
                            describeInputs(p.test->inputs->kind(), p.test->inputs->shape()));
}

void writeSplit(H5::H5File& file, const std::string& name, const SplitPredictions& split,
                const Predictions& p, int gzipLevel, std::unique_lock<std::mutex>& hdf5Lock) {
    H5::Group group = file.createGroup("/" + name);
    h5::writeFloats(group, "probs", split.probs,
                    {static_cast<hsize_t>(p.numExits), static_cast<hsize_t>(split.numSamples),
                     static_cast<hsize_t>(p.numClasses)},
                    gzipLevel);
    h5::writeInts(group, "labels", split.labels);
    if (split.inputs)
        h5::writeInputs(group, *split.inputs, gzipLevel, hdf5Lock);
}

/// Builds the whole file in memory (HDF5's core driver) and returns its bytes. HDF5 never touches the
/// disk, so a full disk or a missing folder cannot leave a half-closed HDF5 file behind in the library.
QByteArray buildImage(const Predictions& p, const PredictionsWriteOptions& options,
                      std::unique_lock<std::mutex>& hdf5Lock) {
    H5::FileAccPropList access;
    H5Pset_fapl_core(access.getId(), 1 << 20, 0);
    H5::H5File file("in-memory.h5", H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, access);
    H5::Group root = file.openGroup("/");
    h5::writeStringAttribute(root, "format", "eenet-predictions");
    h5::writeIntegerAttribute(root, "format_version", 1);
    h5::writeStringAttribute(root, "model", p.model);
    h5::writeStringAttribute(root, "dataset", p.dataset);
    // Always the file's own costs: a selected cost model (selectCostModel) is a view, not the file.
    const CostVector own = fileCosts(p);
    h5::writeStringAttribute(root, "cost_unit", own.unit);
    if (!p.description.empty())
        h5::writeStringAttribute(root, "description", p.description);

    H5::Group exits = file.createGroup("/exits");
    h5::writeDoubles(exits, "costs", own.values);
    if (!p.flops.empty()) {
        h5::writeDoubles(exits, "flops", p.flops);
        costio::writeFlopsUnit(exits, p.flopsUnit);
    }
    for (const CostVector& cost : p.extraCosts)
        costio::writeExtraCost(file, cost);
    if (!p.batchCosts.empty())
        costio::writeBatchCosts(file, p.batchCosts);
    if (!p.exitNames.empty())
        h5::writeStrings(exits, "names", p.exitNames);
    if (!p.classNames.empty()) {
        H5::Group classes = file.createGroup("/classes");
        h5::writeStrings(classes, "names", p.classNames);
    }
    writeSplit(file, "val", p.val, p, options.gzipLevel, hdf5Lock);
    if (p.test)
        writeSplit(file, "test", *p.test, p, options.gzipLevel, hdf5Lock);
    file.flush(H5F_SCOPE_GLOBAL);
    const ssize_t size = H5Fget_file_image(file.getId(), nullptr, 0);
    if (size <= 0)
        throw H5::FileIException("H5Fget_file_image", "cannot size the in-memory file");
    QByteArray image(static_cast<qsizetype>(size), Qt::Uninitialized);
    if (H5Fget_file_image(file.getId(), image.data(), static_cast<size_t>(size)) != size)
        throw H5::FileIException("H5Fget_file_image", "cannot copy the in-memory file");
    return image;
}

} // namespace

void writePredictions(const std::string& path, const Predictions& predictions,
                      const PredictionsWriteOptions& options) {
    checkShapes(predictions);
    QByteArray image;
    {
        std::unique_lock<std::mutex> lock(hdf5Mutex());
        h5::silenceErrorStack();
        try {
            image = buildImage(predictions, options, lock);
        } catch (const H5::Exception& e) {
            throw IoError(path, "cannot encode the predictions (HDF5: " + e.getDetailMsg() + ")");
        }
    }
    writeFileAtomically(path, image);
}

} // namespace eenet
