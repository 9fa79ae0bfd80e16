#pragma once

#include "data/Predictions.h"
#include "eval/Split.h"

#include <memory>
#include <string>
#include <vector>

namespace eenet {

/// What flows between the stages of a multi-exit model for a batch of samples: the stored inputs before
/// stage 0, then each block's output. LibTorch holds it inside core; it is opaque here so that the CLI and
/// the studio never compile LibTorch headers. Copies share the data, which nothing modifies.
class ExitActivations {
public:
    ExitActivations();

    /// Samples [first, first + count) of `inputs`, exactly as the file stores them: uint8 [n, H, W] for grey
    /// images, [n, H, W, 3] for RGB. This is what stage 0 takes. Throws ArgumentError for texts or a range
    /// outside the inputs, and what SampleInputs::read throws.
    static ExitActivations fromInputs(const SampleInputs& inputs, int first, int count);

    /// Samples in the batch (the first dimension).
    int numSamples() const;

    /// The samples at `rows` (indices into this batch, in that order), e.g. those still running after an
    /// exit. Throws std::out_of_range for an index outside the batch.
    ExitActivations select(const std::vector<int>& rows) const;

private:
    friend class ExitModel;
    struct Tensor;
    std::shared_ptr<const Tensor> m_tensor;
};

/// One exit's output for a batch: the softmax of the head's logits, row-major [numSamples, numClasses].
struct ExitOutput {
    int numSamples = 0;
    int numClasses = 0;
    std::vector<float> probs;
};

/// A multi-exit network saved as TorchScript with the interface docs/deploy.md ("The model") describes:
///
///     num_exits() -> int
///     stage(k: int, x: Tensor) -> Tensor    block k on stage k - 1's output; for k = 0 the stored inputs
///     head(k: int, h: Tensor) -> Tensor     exit k's logits [n, C] from stage k's output
///
/// (k 0-based). An early-exit runtime runs stage(0), head(0), decides who leaves, then stage(1) on the
/// samples still running, and so on. Made by loadExitModel. Not thread-safe: one thread uses a model at a
/// time (a TorchScript module may keep state between calls); LibTorch's thread pools are the caller's to set.
class ExitModel {
public:
    ExitModel(ExitModel&&) noexcept;
    ExitModel& operator=(ExitModel&&) noexcept;
    ~ExitModel();

    /// The file it was loaded from, for messages.
    const std::string& path() const;
    /// What the model's num_exits() returned when it was loaded.
    int numExits() const;

    /// Runs block `k` (0-based) on `x`: the stored inputs for k = 0, stage k - 1's output otherwise. Throws
    /// ArgumentError for k outside [0, numExits()), FormatError naming the file and `stage` when the model
    /// fails or returns anything but a tensor with x's samples.
    ExitActivations stage(int k, const ExitActivations& x) const;

    /// Exit `k`'s probabilities: the softmax over classes of head(k, h), `h` being stage k's output. Throws
    /// as stage() does (naming `head`) when the model fails or returns anything but float logits [n, C].
    ExitOutput probabilities(int k, const ExitActivations& h) const;

private:
    friend ExitModel loadExitModel(const std::string& path);
    struct Impl;
    explicit ExitModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// Loads a multi-exit TorchScript model and checks that it has num_exits() -> int (returning a positive
/// number), stage(k: int, x: Tensor) -> Tensor and head(k: int, h: Tensor) -> Tensor. Throws IoError when
/// `path` is missing or unreadable, FormatError naming `path` (and the method) when it is not a TorchScript
/// archive, lacks a method or has one of another signature.
ExitModel loadExitModel(const std::string& path);

/// The largest absolute difference between a model's probabilities and a file's that checkModelAgainst
/// accepts: float32 rounding in another summation order stays far below it.
constexpr double kExitModelTolerance = 1e-5;

/// What checkModelAgainst compared.
struct ModelCheck {
    /// Samples of the split run through every exit.
    int samples = 0;
    /// Largest |model - file| over every exit, sample and class.
    double maxDifference = 0.0;
};

/// Runs `model` stage by stage on the first `count` stored inputs of `split` (all of them when the split has
/// fewer) and compares each exit's probabilities with those `predictions` stores. Throws ArgumentError when
/// the split is missing, stores no images or `count` < 1; Error naming both files when the model's exits or
/// classes are not the file's or a probability differs by more than `tolerance` (naming the exit, 1-based as
/// the studio shows them, the sample, 0-based, the class and the two values); and what the model's methods
/// throw.
ModelCheck checkModelAgainst(const ExitModel& model, const Predictions& predictions, Split split, int count,
                             double tolerance = kExitModelTolerance);

} // namespace eenet
