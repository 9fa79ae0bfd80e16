#include "import/detail/NpyArray.h"

#include "Error.h"
#include "import/detail/ZipArchive.h"
#include "io/detail/ReaderLimits.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <variant>

namespace eenet::cache {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicBytes = 6;
/// NumPy itself refuses headers over 10,000 bytes unless told otherwise.
constexpr std::uint32_t kMaxHeaderBytes = 64 * 1024;
constexpr std::size_t kMaxRank = 32;
/// Values converted per read: bounds the raw buffer, whatever the array's size.
constexpr std::size_t kValuesPerChunk = 1 << 16;

using Tuple = std::vector<std::int64_t>;
using Value = std::variant<std::string, bool, Tuple>;

/// The header's Python dict literal: string keys; string, True/False or tuple-of-integers values. Anything
/// else (a list of fields, for a structured dtype) is refused.
class HeaderParser {
public:
    HeaderParser(const std::string& text, const NpyArray& array)
        : m_text(text)
        , m_array(array) {}

    std::map<std::string, Value> dict() {
        expect('{');
        std::map<std::string, Value> entries;
        while (!consume('}')) {
            const std::string key = string();
            expect(':');
            if (entries.count(key))
                fail("names '" + key + "' twice");
            entries[key] = value();
            if (!consume(',')) {
                expect('}');
                break;
            }
        }
        skipSpace();
        if (m_pos != m_text.size())
            fail("has text after its closing brace");
        return entries;
    }

private:
    [[noreturn]] void fail(const std::string& problem) const {
        m_array.fail("has a malformed .npy header: it " + problem);
    }
    void skipSpace() {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos])))
            ++m_pos;
    }
    bool consume(char c) {
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }
    void expect(char c) {
        if (!consume(c))
            fail(std::string("lacks a '") + c + "' where one belongs");
    }
    std::string string() {
        skipSpace();
        const char quote = m_pos < m_text.size() ? m_text[m_pos] : '\0';
        if (quote != '\'' && quote != '"')
            fail("has a key or value that is not a string, True, False or a tuple");
        const std::size_t end = m_text.find(quote, m_pos + 1);
        if (end == std::string::npos)
            fail("has an unterminated string");
        std::string value = m_text.substr(m_pos + 1, end - m_pos - 1);
        m_pos = end + 1;
        return value;
    }
    Value value() {
        skipSpace();
        for (const bool literal : {true, false}) {
            const std::string word = literal ? "True" : "False";
            if (m_text.compare(m_pos, word.size(), word) == 0) {
                m_pos += word.size();
                return literal;
            }
        }
        if (consume('['))
            m_array.fail("is a structured array (its dtype lists fields); save each field as its own array");
        if (!consume('('))
            return string();
        Tuple tuple;
        while (!consume(')')) {
            skipSpace();
            std::size_t digits = 0;
            std::int64_t number = 0;
            for (; m_pos < m_text.size() && std::isdigit(static_cast<unsigned char>(m_text[m_pos]));
                 ++m_pos) {
                if (++digits > 18)
                    fail("declares a dimension too large to be real");
                number = number * 10 + (m_text[m_pos] - '0');
            }
            if (digits == 0 || tuple.size() == kMaxRank)
                fail("has a shape that is not a tuple of at most 32 integers");
            tuple.push_back(number);
            if (!consume(',')) {
                expect(')');
                break;
            }
        }
        return tuple;
    }

    const std::string& m_text;
    const NpyArray& m_array;
    std::size_t m_pos = 0;
};

std::string numericName(char kind, std::size_t bytes) {
    const std::string base = kind == 'f' ? "float" : kind == 'i' ? "int" : "uint";
    return base + std::to_string(bytes * 8);
}

/// The dtype of `descr` ("<f4", "|u1", "<U3"), or a FormatError saying why it cannot be read.
void parseDescr(const std::string& descr, NpyHeader& header, const NpyArray& array) {
    const char order = descr.empty() ? '\0' : descr[0];
    const char kind = descr.size() > 1 ? descr[1] : '\0';
    if (kind == 'O')
        array.fail("is an object array (pickled Python objects), which is not read; save numbers");
    std::size_t bytes = 0;
    for (std::size_t i = 2; i < descr.size() && std::isdigit(static_cast<unsigned char>(descr[i])); ++i)
        bytes = std::min<std::size_t>(bytes * 10 + std::size_t(descr[i] - '0'), 1 << 20);
    const bool numeric =
        (kind == 'f' && (bytes == 2 || bytes == 4 || bytes == 8)) ||
        ((kind == 'i' || kind == 'u') && (bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8));
    const bool text = (kind == 'U' || kind == 'S') && bytes >= 1;
    if ((order != '<' && order != '>' && order != '|') || (!numeric && !text) ||
        descr.size() != 2 + std::to_string(bytes).size())
        array.fail("has dtype '" + descr +
                   "', which is not read; use float16, float32 or float64 for predictions and costs, an "
                   "integer type for labels");
    const std::size_t unit = kind == 'U' ? 4 : kind == 'S' ? 1 : bytes;
    if (order == '>' && unit > 1)
        array.fail("is big-endian ('" + descr + "'); save it little-endian, e.g. a.astype('<" +
                   descr.substr(1) + "')");
    header.kind = kind;
    header.itemBytes = kind == 'U' ? 4 * bytes : bytes;
    header.dtype = numeric ? numericName(kind, bytes) : descr;
}

float halfToFloat(std::uint16_t half) {
    const std::uint32_t sign = std::uint32_t(half & 0x8000u) << 16;
    const std::uint32_t exponent = (half >> 10) & 0x1fu;
    std::uint32_t mantissa = half & 0x3ffu;
    std::uint32_t bits = sign;
    if (exponent == 0x1f) {
        bits |= 0x7f800000u | (mantissa << 13);
    } else if (exponent != 0) {
        bits |= ((exponent + 127 - 15) << 23) | (mantissa << 13);
    } else if (mantissa != 0) {
        // Subnormal: shift the mantissa up to an implicit leading 1, lowering the exponent as it goes.
        std::uint32_t shifts = 0;
        while (!(mantissa & 0x400u)) {
            mantissa <<= 1;
            ++shifts;
        }
        bits |= ((127 - 15 + 1 - shifts) << 23) | ((mantissa & 0x3ffu) << 13);
    }
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

std::uint64_t littleEndian(const unsigned char* bytes, std::size_t width) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i)
        value |= std::uint64_t(bytes[i]) << (8 * i);
    return value;
}

double toDouble(const unsigned char* bytes, const NpyHeader& header) {
    const std::uint64_t raw = littleEndian(bytes, header.itemBytes);
    if (header.kind == 'f') {
        if (header.itemBytes == 2)
            return halfToFloat(static_cast<std::uint16_t>(raw));
        if (header.itemBytes == 4) {
            float value;
            const auto bits = static_cast<std::uint32_t>(raw);
            std::memcpy(&value, &bits, sizeof value);
            return value;
        }
        double value;
        std::memcpy(&value, &raw, sizeof value);
        return value;
    }
    if (header.kind == 'u')
        return static_cast<double>(raw);
    const unsigned shift = static_cast<unsigned>(64 - 8 * header.itemBytes);
    return static_cast<double>(static_cast<std::int64_t>(raw << shift) >> shift); // sign-extended
}

void appendUtf8(std::string& out, std::uint32_t code) {
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xc0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xe0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (code & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (code & 0x3f));
    }
}

} // namespace

NpyArray::NpyArray(const ZipArchive& archive, const ZipMember& member, std::string array)
    : m_archive(archive)
    , m_member(member)
    , m_array(std::move(array)) {
    ZipMemberReader reader(archive, member, m_array);
    unsigned char prefix[kMagicBytes + 2] = {};
    if (reader.remaining() < sizeof prefix)
        fail("is not a .npy array: it is shorter than the .npy magic string");
    reader.read(prefix, sizeof prefix);
    if (std::memcmp(prefix, kMagic, kMagicBytes) != 0)
        fail("is not a .npy array: it lacks the .npy magic string");
    const unsigned major = prefix[kMagicBytes];
    if (major < 1 || major > 3)
        fail("is in .npy format version " + std::to_string(major) + "; versions 1 to 3 are read");
    const std::size_t lengthBytes = major == 1 ? 2 : 4;
    unsigned char length[4] = {};
    if (reader.remaining() < lengthBytes)
        fail("is truncated inside its .npy header");
    reader.read(length, lengthBytes);
    const std::uint64_t headerBytes = littleEndian(length, lengthBytes);
    if (headerBytes > kMaxHeaderBytes || headerBytes > reader.remaining())
        fail("declares a .npy header of " + std::to_string(headerBytes) + " bytes; at most " +
             std::to_string(std::min<std::uint64_t>(kMaxHeaderBytes, reader.remaining())) + " are possible");
    std::string text(static_cast<std::size_t>(headerBytes), '\0');
    reader.read(text.data(), text.size());
    m_dataStart = sizeof prefix + lengthBytes + headerBytes;

    const std::map<std::string, Value> entries = HeaderParser(text, *this).dict();
    const auto descr = entries.find("descr");
    const auto fortran = entries.find("fortran_order");
    const auto shape = entries.find("shape");
    if (entries.size() != 3 || descr == entries.end() || fortran == entries.end() || shape == entries.end() ||
        !std::holds_alternative<std::string>(descr->second) ||
        !std::holds_alternative<bool>(fortran->second) || !std::holds_alternative<Tuple>(shape->second))
        fail("has a malformed .npy header: it must hold exactly 'descr', 'fortran_order' and 'shape'");
    parseDescr(std::get<std::string>(descr->second), m_header, *this);
    m_header.shape = std::get<Tuple>(shape->second);
    if (std::get<bool>(fortran->second) && m_header.shape.size() > 1)
        fail("is stored in Fortran (column-major) order; save np.ascontiguousarray(a) instead");

    long double count = 1;
    for (std::int64_t dim : m_header.shape)
        count *= static_cast<long double>(dim);
    const long double dataBytes = count * static_cast<long double>(m_header.itemBytes);
    if (dataBytes != static_cast<long double>(reader.remaining()))
        fail("declares " + std::to_string(static_cast<double>(dataBytes)) + " bytes of values but holds " +
             std::to_string(reader.remaining()) + ": the array is truncated or corrupt");
    m_header.count = static_cast<std::uint64_t>(count);
}

void NpyArray::fail(const std::string& problem) const {
    throw FormatError(m_archive.path(), m_array, problem);
}

template <typename T> std::vector<T> NpyArray::numbers() const {
    if (!isNumeric())
        fail("holds " + m_header.dtype + " strings, expected numbers");
    if (static_cast<long double>(m_header.count) > limits::kMaxValues)
        fail("holds " + std::to_string(m_header.count) + " values; at most " +
             std::to_string(static_cast<std::uint64_t>(limits::kMaxValues)) + " are read");
    ZipMemberReader reader(m_archive, m_member, m_array);
    std::vector<unsigned char> skipped(static_cast<std::size_t>(m_dataStart));
    reader.read(skipped.data(), skipped.size());

    std::vector<T> values(static_cast<std::size_t>(m_header.count));
    std::vector<unsigned char> raw(kValuesPerChunk * m_header.itemBytes);
    for (std::size_t start = 0; start < values.size(); start += kValuesPerChunk) {
        const std::size_t chunk = std::min(kValuesPerChunk, values.size() - start);
        reader.read(raw.data(), chunk * m_header.itemBytes);
        for (std::size_t i = 0; i < chunk; ++i)
            values[start + i] = static_cast<T>(toDouble(raw.data() + i * m_header.itemBytes, m_header));
    }
    reader.finish();
    return values;
}

std::vector<float> NpyArray::floats() const {
    return numbers<float>();
}

std::vector<double> NpyArray::doubles() const {
    return numbers<double>();
}

std::string NpyArray::text() const {
    if (isNumeric() || m_header.count != 1 || m_header.shape.size() > 1)
        fail("must be one string (e.g. cost_unit=\"ms\" in np.savez), but holds " +
             std::to_string(m_header.count) + " " + m_header.dtype + " values");
    if (m_header.itemBytes > limits::kMaxStringBytes * 4)
        fail("is a string of " + std::to_string(m_header.itemBytes) + " bytes; strings may be at most " +
             std::to_string(limits::kMaxStringBytes) + " bytes");
    ZipMemberReader reader(m_archive, m_member, m_array);
    std::vector<unsigned char> bytes(static_cast<std::size_t>(m_dataStart) + m_header.itemBytes);
    reader.read(bytes.data(), bytes.size());
    reader.finish();
    const unsigned char* data = bytes.data() + m_dataStart;
    std::string value;
    const std::size_t unit = m_header.kind == 'U' ? 4 : 1;
    for (std::size_t i = 0; i < m_header.itemBytes; i += unit) {
        const auto code = static_cast<std::uint32_t>(littleEndian(data + i, unit));
        if (code == 0)
            break; // NumPy pads shorter strings with NULs
        if (code > 0x10ffff || (code >= 0xd800 && code < 0xe000) || (unit == 1 && code >= 0x80))
            fail("holds a character that is not valid text (code " + std::to_string(code) + ")");
        appendUtf8(value, code);
    }
    return value;
}

} // namespace eenet::cache
