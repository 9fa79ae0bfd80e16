#pragma once

// Private to core/import: a small, strict reader of ZIP archives (PKWARE APPNOTE 6.3), enough for NumPy's
// .npz files (np.savez stores its members, np.savez_compressed deflates them; both write ZIP64 fields) and
// for listing the members of a torch.save file. The archive is untrusted: every offset and size is checked
// against the file before it is used, a member is inflated with zlib straight into the caller's buffer and
// never past the size the directory declares, and its CRC-32 is checked once it has been read.

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace eenet::cache {

struct ZipMember {
    std::string name;
    std::uint16_t method = 0; ///< 0 stored, 8 deflated; others are refused when read
    std::uint16_t flags = 0;
    std::uint32_t crc = 0;
    std::uint64_t compressedBytes = 0;
    std::uint64_t bytes = 0; ///< uncompressed
    std::uint64_t headerOffset = 0;
};

/// The central directory of one archive. Throws IoError when the file cannot be read and FormatError (the
/// file, "ZIP directory", the problem) when it is not a ZIP archive or its directory is damaged.
class ZipArchive {
public:
    explicit ZipArchive(std::string path);

    const std::string& path() const { return m_path; }
    const std::vector<ZipMember>& members() const { return m_members; }
    /// nullptr when no member has this name.
    const ZipMember* find(const std::string& name) const;
    /// Where the members' data must end: the central directory's offset.
    std::uint64_t dataEnd() const { return m_directoryOffset; }

private:
    std::string m_path;
    std::vector<ZipMember> m_members;
    std::uint64_t m_directoryOffset = 0;
};

/// Reads one member's bytes in order. `what` names the member in errors (an array's name). Throws FormatError
/// when the member is encrypted, uses another compression than store or deflate, is truncated or corrupt.
class ZipMemberReader {
public:
    ZipMemberReader(const ZipArchive& archive, const ZipMember& member, std::string what);
    ~ZipMemberReader();
    ZipMemberReader(const ZipMemberReader&) = delete;
    ZipMemberReader& operator=(const ZipMemberReader&) = delete;

    /// Uncompressed bytes not read yet.
    std::uint64_t remaining() const { return m_remaining; }
    /// Exactly `bytes` bytes into `buffer`; at most remaining().
    void read(void* buffer, std::size_t bytes);
    /// Once every byte is read: checks that the data ends there and that its CRC-32 matches.
    void finish();

private:
    [[noreturn]] void fail(const std::string& problem) const;
    void readCompressed(void* buffer, std::size_t bytes);
    std::size_t readRaw(void* buffer, std::size_t bytes);

    struct Inflater;
    std::string m_path;
    std::string m_what;
    ZipMember m_member;
    std::ifstream m_file;
    std::uint64_t m_compressedLeft = 0;
    std::uint64_t m_remaining = 0;
    std::uint32_t m_crc = 0;
    std::unique_ptr<Inflater> m_inflater; ///< deflated members only
};

} // namespace eenet::cache
