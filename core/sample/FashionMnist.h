#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace eenet {

/// The two parts of Fashion-MNIST as the IDX files ship them (train-*: 60k images, t10k-*: 10k images).
enum class FashionMnistPart { Train, Test };

/// Images and labels of one Fashion-MNIST part, exactly as stored: row-major uint8 pixels, labels in [0, 10).
struct FashionMnist {
    int count = 0;
    int rows = 0;
    int cols = 0;
    /// count * rows * cols bytes; image i starts at i * rows * cols.
    std::vector<std::uint8_t> pixels;
    std::vector<std::uint8_t> labels;

    static constexpr int kNumClasses = 10;

    /// The official class names, in label order.
    static std::vector<std::string> classNames();

    /// Reads `<dir>/train-images-idx3-ubyte.gz` and its labels (or the t10k pair) with zlib, keeping the
    /// first `maxCount` items (all when negative). Throws IoError when a file cannot be opened or read,
    /// FormatError when a magic number, a size or a label is wrong, ArgumentError when `maxCount` exceeds
    /// the file's item count.
    static FashionMnist load(const std::string& dir, FashionMnistPart part, int maxCount = -1);
};

} // namespace eenet
