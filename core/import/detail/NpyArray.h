#pragma once

// Private to core/import: one array of an .npz, in NumPy's .npy format (numpy.lib.format, versions 1 to 3): a
// magic string, a Python dict literal ({'descr': '<f4', 'fortran_order': False, 'shape': (3, 5, 4), }) and
// the values in C order. Read are little-endian float16/32/64, signed and unsigned integers of 1 to 8 bytes,
// and string scalars; Fortran order, big-endian, object (pickled) and structured arrays are refused by name.

#include <cstdint>
#include <string>
#include <vector>

namespace eenet::cache {

class ZipArchive;
struct ZipMember;

struct NpyHeader {
    char kind = 0; ///< 'f' float, 'i' signed, 'u' unsigned integer, 'U' UTF-32 text, 'S' bytes
    std::size_t itemBytes = 0;
    std::vector<std::int64_t> shape;
    std::string dtype; ///< NumPy's name: "float32", "int64", "<U2"
    std::uint64_t count = 1;
};

/// Reads the header of `member` (named `array` in errors) on construction, and checks that the member holds
/// exactly the bytes it declares. Throws FormatError naming the file and the array.
class NpyArray {
public:
    NpyArray(const ZipArchive& archive, const ZipMember& member, std::string array);

    const NpyHeader& header() const { return m_header; }
    const std::string& name() const { return m_array; }
    bool isNumeric() const { return m_header.kind == 'f' || m_header.kind == 'i' || m_header.kind == 'u'; }

    /// Every value converted to float; a numeric array of at most limits::kMaxValues values.
    std::vector<float> floats() const;
    /// Every value converted to double; a numeric array of at most limits::kMaxValues values.
    std::vector<double> doubles() const;
    /// A string scalar (shape () or (1,)) as UTF-8, at most limits::kMaxStringBytes.
    std::string text() const;

    [[noreturn]] void fail(const std::string& problem) const;

private:
    template <typename T> std::vector<T> numbers() const;

    const ZipArchive& m_archive;
    const ZipMember& m_member;
    std::string m_array;
    NpyHeader m_header;
    std::uint64_t m_dataStart = 0;
};

} // namespace eenet::cache
