#pragma once

// Private to core/io: IEEE 754 half precision (binary16, numpy's float16) widened to float. HDF5 1.10 has no
// half type of its own and converts one with its generic soft conversion, about 40 times slower than reading
// the file (21 s for a 500 MB file on the project machine); the reader widens halves itself.

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace eenet::h5 {

/// The float of equal value: exact for every half, subnormals, zeros of either sign, infinities and NaNs
/// (payload kept) included. Integer operations and one subtraction of normal floats, so no denormal operand
/// ever slows the FPU down (F. Giesen's conversion).
inline float halfToFloat(std::uint16_t half) {
    constexpr std::uint32_t kExponentMask = 0x7c00u << 13; // a half's exponent, shifted into a float's place
    std::uint32_t bits = (half & 0x7fffu) << 13;
    const std::uint32_t exponent = bits & kExponentMask;
    bits += (127u - 15u) << 23; // rebias the exponent
    if (exponent == kExponentMask) {
        bits += (128u - 16u) << 23; // Inf and NaN: all ones
    } else if (exponent == 0) {
        // A subnormal (or zero) m x 2^-24: made the normal 2^-14 (1 + m / 1024), then 2^-14 taken off.
        bits += 1u << 23;
        float value = 0;
        std::memcpy(&value, &bits, sizeof value);
        value -= 6.103515625e-05f; // 2^-14
        std::memcpy(&bits, &value, sizeof bits);
    }
    bits |= static_cast<std::uint32_t>(half & 0x8000u) << 16;
    float result = 0;
    std::memcpy(&result, &bits, sizeof result);
    return result;
}

/// Widens `count` little-endian halves at `bytes` (as HDF5 reads them from the file) into `out`.
inline void widenHalves(const std::uint8_t* bytes, float* out, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i)
        out[i] = halfToFloat(static_cast<std::uint16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8)));
}

} // namespace eenet::h5
