#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace eenet {

/// What a split's optional `inputs` dataset holds (docs/format.md, "Inputs").
enum class InputKind { None, Image, Text };

/// "image", "text" or "none", as `eenet-cli info --json` names them.
std::string inputKindName(InputKind kind);

/// One sample's input: a uint8 image (row-major height x width x channels, channels 1 or 3) or a text.
struct SampleInput {
    InputKind kind = InputKind::None;
    int height = 0;
    int width = 0;
    int channels = 0;
    std::vector<std::uint8_t> pixels;
    std::string text;
};

/// The inputs of one split, read on demand: only the samples asked for are read, through a small cache,
/// so a file whose inputs are many GB opens as fast as one without. Implementations are thread-safe
/// (const methods may be called from any thread at once).
class SampleInputs {
public:
    virtual ~SampleInputs() = default;

    virtual InputKind kind() const = 0;
    virtual int numSamples() const = 0;
    /// The dataset's shape: {N, H, W}, {N, H, W, 3} or {N}.
    virtual std::vector<int> shape() const = 0;
    /// Sample `index` in [0, numSamples()). Throws IoError or FormatError (naming file and dataset) when
    /// the stored data cannot be read, std::out_of_range for a bad index.
    virtual SampleInput read(int index) const = 0;
    /// Bytes of input data read from storage so far (what on-demand reading costs; tests measure it).
    virtual std::uint64_t bytesRead() const = 0;
};

/// "28 x 28 grey images", "224 x 224 RGB images", "texts" or "no inputs", for messages; `shape` as
/// SampleInputs::shape() gives it.
std::string describeInputs(InputKind kind, const std::vector<int>& shape);

/// True when `a` and `b` hold the same kind of input of the same size; their sample counts may differ. The
/// val and test splits of a file must agree so.
bool sameSampleShape(const SampleInputs& a, const SampleInputs& b);

/// Inputs held in memory: for the sample maker, synthetic data and tests. Every sample must have
/// the same kind and, for images, the same size.
class MemorySampleInputs final : public SampleInputs {
public:
    /// Throws std::invalid_argument when the samples are empty or differ in kind or size.
    explicit MemorySampleInputs(std::vector<SampleInput> samples);

    InputKind kind() const override;
    int numSamples() const override;
    std::vector<int> shape() const override;
    SampleInput read(int index) const override;
    std::uint64_t bytesRead() const override { return 0; }

private:
    std::vector<SampleInput> m_samples;
};

} // namespace eenet
