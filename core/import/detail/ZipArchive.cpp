#include "import/detail/ZipArchive.h"

#include "Error.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <limits>

namespace eenet::cache {
namespace {

constexpr const char* kDirectory = "ZIP directory";
constexpr std::uint32_t kEndSignature = 0x06054b50;
constexpr std::uint32_t kEnd64Signature = 0x06064b50;
constexpr std::uint32_t kEnd64LocatorSignature = 0x07064b50;
constexpr std::uint32_t kDirectorySignature = 0x02014b50;
constexpr std::uint32_t kLocalSignature = 0x04034b50;
constexpr std::size_t kEndBytes = 22;
constexpr std::size_t kEnd64LocatorBytes = 20;
constexpr std::size_t kEnd64Bytes = 56;
constexpr std::size_t kLocalHeaderBytes = 30;
/// An .npz holds a handful of arrays, a torch.save file one record per tensor: thousands are not a cache.
constexpr std::uint64_t kMaxMembers = 65536;
constexpr std::uint64_t kMaxDirectoryBytes = 64ull * 1024 * 1024;
constexpr std::uint16_t kEncryptedFlag = 1;
constexpr std::uint32_t kSaturated32 = 0xffffffff;
constexpr std::size_t kInputChunk = 256 * 1024;

/// Little-endian fields of a header already in memory; reading past its end is a FormatError.
class Fields {
public:
    Fields(const std::vector<unsigned char>& bytes, std::size_t start, const std::string& path)
        : m_bytes(bytes)
        , m_pos(start)
        , m_path(path) {}

    std::uint64_t number(std::size_t width) {
        if (width > m_bytes.size() - std::min(m_pos, m_bytes.size()))
            throw FormatError(m_path, kDirectory, "is truncated: a header ends before its fields do");
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < width; ++i)
            value |= std::uint64_t(m_bytes[m_pos + i]) << (8 * i);
        m_pos += width;
        return value;
    }
    std::uint16_t u16() { return static_cast<std::uint16_t>(number(2)); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(number(4)); }
    std::uint64_t u64() { return number(8); }
    std::string text(std::size_t length) {
        if (length > m_bytes.size() - std::min(m_pos, m_bytes.size()))
            throw FormatError(m_path, kDirectory, "is truncated: a name ends past the directory");
        std::string value(m_bytes.begin() + static_cast<std::ptrdiff_t>(m_pos),
                          m_bytes.begin() + static_cast<std::ptrdiff_t>(m_pos + length));
        m_pos += length;
        return value;
    }
    void skip(std::size_t bytes) {
        if (bytes > m_bytes.size() - std::min(m_pos, m_bytes.size()))
            throw FormatError(m_path, kDirectory, "is truncated: a header ends before its fields do");
        m_pos += bytes;
    }
    std::size_t position() const { return m_pos; }

private:
    const std::vector<unsigned char>& m_bytes;
    std::size_t m_pos;
    const std::string& m_path;
};

std::vector<unsigned char> readAt(std::ifstream& file, std::uint64_t offset, std::size_t bytes,
                                  const std::string& path, const std::string& what) {
    std::vector<unsigned char> data(bytes);
    file.clear();
    file.seekg(static_cast<std::streamoff>(offset));
    file.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(bytes));
    if (static_cast<std::size_t>(file.gcount()) != bytes)
        throw FormatError(path, what,
                          "is truncated: the file ends at byte " + std::to_string(offset) + " + " +
                              std::to_string(file.gcount()));
    return data;
}

/// The ZIP64 extended information field of a directory entry: each 32-bit field that is saturated (all ones)
/// is found there, in this order.
void applyZip64(ZipMember& member, const std::string& extra, const std::string& path) {
    const bool bytes = member.bytes == kSaturated32;
    const bool compressed = member.compressedBytes == kSaturated32;
    const bool offset = member.headerOffset == kSaturated32;
    if (!bytes && !compressed && !offset)
        return;
    const std::vector<unsigned char> data(extra.begin(), extra.end());
    Fields fields(data, 0, path);
    while (fields.position() + 4 <= data.size()) {
        const std::uint16_t id = fields.u16();
        const std::uint16_t size = fields.u16();
        if (id != 1) {
            fields.skip(size);
            continue;
        }
        if (bytes)
            member.bytes = fields.u64();
        if (compressed)
            member.compressedBytes = fields.u64();
        if (offset)
            member.headerOffset = fields.u64();
        return;
    }
    throw FormatError(path, kDirectory,
                      "member '" + member.name + "' has 32-bit sizes marked as ZIP64 but no ZIP64 field");
}

} // namespace

ZipArchive::ZipArchive(std::string path)
    : m_path(std::move(path)) {
    std::error_code error;
    const std::uint64_t fileBytes = std::filesystem::file_size(m_path, error);
    std::ifstream file(m_path, std::ios::binary);
    if (error || !file.is_open())
        throw IoError(m_path, "cannot be read (missing, a directory, or permission denied)");

    // The end record is the last 22 bytes, followed by a comment of at most 64 KiB.
    const std::size_t tailBytes =
        static_cast<std::size_t>(std::min<std::uint64_t>(fileBytes, kEndBytes + 65535));
    const std::uint64_t tailStart = fileBytes - tailBytes;
    const std::vector<unsigned char> tail = readAt(file, tailStart, tailBytes, m_path, kDirectory);
    std::size_t end = std::string::npos;
    for (std::size_t pos = tailBytes >= kEndBytes ? tailBytes - kEndBytes + 1 : 0; pos-- > 0;) {
        Fields fields(tail, pos, m_path);
        if (fields.u32() == kEndSignature) {
            end = pos;
            break;
        }
    }
    if (end == std::string::npos)
        throw FormatError(m_path, kDirectory, "not found: the file is not a ZIP archive, or it is truncated");
    Fields record(tail, end + 4, m_path);
    const std::uint16_t disk = record.u16();
    const std::uint16_t directoryDisk = record.u16();
    record.u16();
    std::uint64_t count = record.u16();
    std::uint64_t directoryBytes = record.u32();
    std::uint64_t directoryOffset = record.u32();
    std::uint64_t directoryEnd = tailStart + end;
    if (disk != 0 || directoryDisk != 0)
        throw FormatError(m_path, kDirectory, "spans several disks; only single-file archives are read");

    // ZIP64: a locator just before the end record points at the 64-bit end record.
    if (end >= kEnd64LocatorBytes) {
        Fields locator(tail, end - kEnd64LocatorBytes, m_path);
        if (locator.u32() == kEnd64LocatorSignature) {
            locator.u32();
            const std::uint64_t end64 = locator.u64();
            const std::uint64_t locatorStart = tailStart + end - kEnd64LocatorBytes;
            if (end64 > locatorStart || locatorStart - end64 < kEnd64Bytes)
                throw FormatError(m_path, kDirectory, "has a ZIP64 end record outside the file");
            const std::vector<unsigned char> data = readAt(file, end64, kEnd64Bytes, m_path, kDirectory);
            Fields record64(data, 0, m_path);
            if (record64.u32() != kEnd64Signature)
                throw FormatError(m_path, kDirectory,
                                  "has a ZIP64 locator that points at no ZIP64 end record");
            record64.skip(8 + 2 + 2 + 4 + 4 + 8);
            count = record64.u64();
            directoryBytes = record64.u64();
            directoryOffset = record64.u64();
            directoryEnd = end64;
        }
    }
    if (count > kMaxMembers)
        throw FormatError(m_path, kDirectory,
                          "lists " + std::to_string(count) + " members; at most " +
                              std::to_string(kMaxMembers) + " are read");
    if (directoryBytes > kMaxDirectoryBytes || directoryOffset > directoryEnd ||
        directoryBytes > directoryEnd - directoryOffset)
        throw FormatError(m_path, kDirectory,
                          "claims " + std::to_string(directoryBytes) + " bytes at offset " +
                              std::to_string(directoryOffset) +
                              ", outside the file: it is truncated or corrupt");
    m_directoryOffset = directoryOffset;

    const std::vector<unsigned char> directory =
        readAt(file, directoryOffset, static_cast<std::size_t>(directoryBytes), m_path, kDirectory);
    Fields entries(directory, 0, m_path);
    for (std::uint64_t i = 0; i < count; ++i) {
        if (entries.u32() != kDirectorySignature)
            throw FormatError(m_path, kDirectory,
                              "entry " + std::to_string(i) + " is corrupt (bad signature)");
        ZipMember member;
        entries.skip(4);
        member.flags = entries.u16();
        member.method = entries.u16();
        entries.skip(4);
        member.crc = entries.u32();
        member.compressedBytes = entries.u32();
        member.bytes = entries.u32();
        const std::uint16_t nameBytes = entries.u16();
        const std::uint16_t extraBytes = entries.u16();
        const std::uint16_t commentBytes = entries.u16();
        entries.skip(2 + 2 + 4);
        member.headerOffset = entries.u32();
        member.name = entries.text(nameBytes);
        applyZip64(member, entries.text(extraBytes), m_path);
        entries.skip(commentBytes);
        if (find(member.name))
            throw FormatError(m_path, kDirectory, "holds '" + member.name + "' twice; which one is meant?");
        if (member.headerOffset > directoryOffset || member.compressedBytes > directoryOffset)
            throw FormatError(m_path, kDirectory, "member '" + member.name + "' lies outside the file");
        m_members.push_back(std::move(member));
    }
}

const ZipMember* ZipArchive::find(const std::string& name) const {
    const auto it = std::find_if(m_members.begin(), m_members.end(),
                                 [&name](const ZipMember& member) { return member.name == name; });
    return it == m_members.end() ? nullptr : &*it;
}

struct ZipMemberReader::Inflater {
    z_stream stream{};
    bool ended = false;
    std::vector<unsigned char> input = std::vector<unsigned char>(kInputChunk);
    ~Inflater() { inflateEnd(&stream); }
};

ZipMemberReader::ZipMemberReader(const ZipArchive& archive, const ZipMember& member, std::string what)
    : m_path(archive.path())
    , m_what(std::move(what))
    , m_member(member)
    , m_file(m_path, std::ios::binary)
    , m_compressedLeft(member.compressedBytes)
    , m_remaining(member.bytes) {
    if (!m_file.is_open())
        throw IoError(m_path, "cannot be read any more");
    if (member.flags & kEncryptedFlag)
        fail("is encrypted; store it without a password");
    if (member.method != 0 && member.method != 8)
        fail("is compressed with ZIP method " + std::to_string(member.method) +
             "; only stored and deflated members (np.savez, np.savez_compressed) are read");
    const std::vector<unsigned char> header =
        readAt(m_file, member.headerOffset, kLocalHeaderBytes, m_path, m_what);
    Fields fields(header, 0, m_path);
    if (fields.u32() != kLocalSignature)
        fail("has a corrupt local header (bad signature)");
    fields.skip(22);
    const std::uint16_t nameBytes = fields.u16();
    const std::uint16_t extraBytes = fields.u16();
    // The local header's sizes may be ZIP64 placeholders (np.savez always writes them): the directory's
    // count.
    const std::uint64_t dataStart = member.headerOffset + kLocalHeaderBytes + nameBytes + extraBytes;
    if (dataStart > archive.dataEnd() || member.compressedBytes > archive.dataEnd() - dataStart)
        fail("claims " + std::to_string(member.compressedBytes) +
             " bytes of data past the end of the archive's members: it is truncated or corrupt");
    if (member.method == 0 && member.compressedBytes != member.bytes)
        fail("is stored uncompressed but its sizes differ (" + std::to_string(member.compressedBytes) +
             " and " + std::to_string(member.bytes) + " bytes)");
    m_file.seekg(static_cast<std::streamoff>(dataStart));
    if (member.method == 8) {
        m_inflater = std::make_unique<Inflater>();
        // Negative window bits: raw deflate data, as ZIP stores it (no zlib header).
        if (inflateInit2(&m_inflater->stream, -MAX_WBITS) != Z_OK)
            fail("cannot be inflated (zlib could not start)");
    }
}

ZipMemberReader::~ZipMemberReader() = default;

void ZipMemberReader::fail(const std::string& problem) const {
    throw FormatError(m_path, m_what, problem);
}

std::size_t ZipMemberReader::readRaw(void* buffer, std::size_t bytes) {
    const std::size_t wanted = static_cast<std::size_t>(std::min<std::uint64_t>(bytes, m_compressedLeft));
    m_file.read(static_cast<char*>(buffer), static_cast<std::streamsize>(wanted));
    const auto got = static_cast<std::size_t>(m_file.gcount());
    if (got != wanted)
        fail("is truncated: the file ends inside its data");
    m_compressedLeft -= got;
    return got;
}

void ZipMemberReader::readCompressed(void* buffer, std::size_t bytes) {
    z_stream& stream = m_inflater->stream;
    stream.next_out = static_cast<Bytef*>(buffer);
    stream.avail_out = static_cast<uInt>(bytes);
    while (stream.avail_out > 0) {
        if (m_inflater->ended)
            fail("decompresses to fewer bytes than the ZIP directory says (" +
                 std::to_string(m_member.bytes) + "): it is corrupt");
        if (stream.avail_in == 0) {
            if (m_compressedLeft == 0)
                fail("is truncated: its compressed data ends before the array does");
            stream.avail_in = static_cast<uInt>(readRaw(m_inflater->input.data(), m_inflater->input.size()));
            stream.next_in = m_inflater->input.data();
        }
        const int status = inflate(&stream, Z_NO_FLUSH);
        if (status == Z_STREAM_END)
            m_inflater->ended = true;
        // Z_BUF_ERROR only means "no progress": fine when the input ran out (it is refilled), corrupt
        // otherwise.
        else if (status != Z_OK && !(status == Z_BUF_ERROR && stream.avail_in == 0))
            fail(std::string("has corrupt compressed data (zlib: ") + (stream.msg ? stream.msg : "error") +
                 ")");
    }
}

void ZipMemberReader::read(void* buffer, std::size_t bytes) {
    if (bytes > m_remaining)
        fail("holds " + std::to_string(m_member.bytes) + " bytes, fewer than its array needs");
    constexpr std::size_t kPiece = std::numeric_limits<uInt>::max() / 2;
    auto* out = static_cast<unsigned char*>(buffer);
    for (std::size_t done = 0; done < bytes;) {
        const std::size_t piece = std::min(kPiece, bytes - done);
        if (m_inflater)
            readCompressed(out + done, piece);
        else if (readRaw(out + done, piece) != piece)
            fail("is truncated: the file ends inside its data");
        m_crc = static_cast<std::uint32_t>(crc32(m_crc, out + done, static_cast<uInt>(piece)));
        done += piece;
    }
    m_remaining -= bytes;
}

void ZipMemberReader::finish() {
    if (m_remaining != 0)
        fail("holds " + std::to_string(m_remaining) + " bytes more than its array");
    if (m_inflater && !m_inflater->ended) {
        // The last output byte may come before the stream's end marker: one more call must end it, empty.
        unsigned char extra = 0;
        z_stream& stream = m_inflater->stream;
        stream.next_out = &extra;
        stream.avail_out = 1;
        if (stream.avail_in == 0 && m_compressedLeft > 0) {
            stream.avail_in = static_cast<uInt>(readRaw(m_inflater->input.data(), m_inflater->input.size()));
            stream.next_in = m_inflater->input.data();
        }
        if (inflate(&stream, Z_NO_FLUSH) != Z_STREAM_END || stream.avail_out == 0)
            fail("decompresses to more bytes than the ZIP directory says, or is corrupt");
    }
    if (m_crc != m_member.crc)
        fail("fails its CRC-32 check: the archive is corrupt");
}

} // namespace eenet::cache
