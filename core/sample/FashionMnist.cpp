#include "sample/FashionMnist.h"

#include "Error.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace eenet {

namespace {

constexpr std::uint32_t kLabelsMagic = 0x00000801; // IDX: unsigned byte, 1 dimension
constexpr std::uint32_t kImagesMagic = 0x00000803; // IDX: unsigned byte, 3 dimensions
constexpr int kImageSide = 28;

struct GzCloser {
    void operator()(gzFile_s* file) const { gzclose(file); }
};
using GzHandle = std::unique_ptr<gzFile_s, GzCloser>;

/// Reads exactly `size` bytes or throws: a short read means a truncated or corrupt file, which must not
/// silently become zero pixels.
void readExactly(gzFile file, const std::string& path, const std::string& what, void* out, size_t size) {
    auto* bytes = static_cast<unsigned char*>(out);
    size_t done = 0;
    while (done < size) {
        // gzread takes an unsigned count; read in chunks so 47 MB of pixels never overflows it.
        const unsigned chunk = static_cast<unsigned>(std::min<size_t>(size - done, 1u << 24));
        const int got = gzread(file, bytes + done, chunk);
        if (got < 0) {
            int code = 0;
            const char* message = gzerror(file, &code);
            throw IoError(path, "cannot read " + what + ": " + (message ? message : "zlib error"));
        }
        if (got == 0)
            throw FormatError(path, what,
                              "file ends after " + std::to_string(done) + " of " + std::to_string(size) +
                                  " bytes");
        done += static_cast<size_t>(got);
    }
}

std::uint32_t readBigEndian(gzFile file, const std::string& path, const std::string& what) {
    std::array<unsigned char, 4> b{};
    readExactly(file, path, what, b.data(), b.size());
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
           std::uint32_t{b[3]};
}

GzHandle openGz(const std::string& path) {
    errno = 0;
    GzHandle file(gzopen(path.c_str(), "rb"));
    if (!file) {
        const std::string reason = errno != 0 ? std::strerror(errno) : "zlib could not open it";
        throw IoError(path, "cannot open Fashion-MNIST file: " + reason);
    }
    return file;
}

void checkMagic(std::uint32_t magic, std::uint32_t expected, const std::string& path) {
    if (magic != expected) {
        char text[64];
        std::snprintf(text, sizeof text, "magic number 0x%08x, expected 0x%08x", magic, expected);
        throw FormatError(path, "IDX header", text);
    }
}

int keptCount(std::uint32_t stored, int maxCount, const std::string& path) {
    if (stored == 0 || stored > 1000000)
        throw FormatError(path, "IDX header", "implausible item count " + std::to_string(stored));
    const int available = static_cast<int>(stored);
    if (maxCount > available)
        throw ArgumentError(path + ": " + std::to_string(maxCount) + " items requested, the file holds " +
                            std::to_string(available));
    return maxCount < 0 ? available : maxCount;
}

} // namespace

std::vector<std::string> FashionMnist::classNames() {
    return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
}

FashionMnist FashionMnist::load(const std::string& dir, FashionMnistPart part, int maxCount) {
    const std::string prefix = dir + "/" + (part == FashionMnistPart::Train ? "train" : "t10k");
    const std::string imagesPath = prefix + "-images-idx3-ubyte.gz";
    const std::string labelsPath = prefix + "-labels-idx1-ubyte.gz";

    FashionMnist data;
    std::uint32_t storedImages = 0;
    {
        GzHandle file = openGz(imagesPath);
        checkMagic(readBigEndian(file.get(), imagesPath, "IDX header"), kImagesMagic, imagesPath);
        storedImages = readBigEndian(file.get(), imagesPath, "IDX header");
        const std::uint32_t rows = readBigEndian(file.get(), imagesPath, "IDX header");
        const std::uint32_t cols = readBigEndian(file.get(), imagesPath, "IDX header");
        if (rows != kImageSide || cols != kImageSide)
            throw FormatError(imagesPath, "IDX header",
                              "images are " + std::to_string(rows) + "x" + std::to_string(cols) +
                                  ", expected 28x28");
        data.count = keptCount(storedImages, maxCount, imagesPath);
        data.rows = kImageSide;
        data.cols = kImageSide;
        data.pixels.resize(static_cast<size_t>(data.count) * kImageSide * kImageSide);
        readExactly(file.get(), imagesPath, "pixels", data.pixels.data(), data.pixels.size());
    }
    {
        GzHandle file = openGz(labelsPath);
        checkMagic(readBigEndian(file.get(), labelsPath, "IDX header"), kLabelsMagic, labelsPath);
        const std::uint32_t stored = readBigEndian(file.get(), labelsPath, "IDX header");
        if (stored != storedImages)
            throw FormatError(labelsPath, "IDX header",
                              std::to_string(stored) + " labels, but the images file holds " +
                                  std::to_string(storedImages) + " images");
        const int count = data.count;
        data.labels.resize(static_cast<size_t>(count));
        readExactly(file.get(), labelsPath, "labels", data.labels.data(), data.labels.size());
    }
    for (size_t i = 0; i < data.labels.size(); ++i) {
        if (data.labels[i] >= kNumClasses)
            throw FormatError(labelsPath, "labels",
                              "label " + std::to_string(data.labels[i]) + " at item " + std::to_string(i) +
                                  " is not in [0, 10)");
    }
    return data;
}

} // namespace eenet
