#include "import/detail/SideFiles.h"

#include "Error.h"
#include "io/detail/ReaderLimits.h"

#include <QString>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace eenet::cache {
namespace {

/// A latency per exit: a few KiB at most.
constexpr std::uintmax_t kMaxLatencyFileBytes = 1024 * 1024;
/// Class names: 21,841 ImageNet-21k synsets take 1 MiB.
constexpr std::uintmax_t kMaxClassFileBytes = 64 * 1024 * 1024;

std::vector<std::string> linesOf(const std::string& path, std::uintmax_t maxBytes, const std::string& what) {
    std::error_code error;
    const std::uintmax_t bytes = std::filesystem::file_size(path, error);
    std::ifstream file(path, std::ios::binary);
    if (error || !file.is_open())
        throw IoError(path, "cannot be read (missing, a directory, or permission denied)");
    if (bytes > maxBytes)
        throw FormatError(path, what,
                          "is " + std::to_string(bytes) + " bytes long; at most " + std::to_string(maxBytes) +
                              " are read");
    std::ostringstream text;
    text << file.rdbuf();
    std::string content = text.str();
    // Editors on Windows start UTF-8 files with a byte order mark; it is not part of the first line.
    if (content.rfind("\xEF\xBB\xBF", 0) == 0)
        content.erase(0, 3);
    std::vector<std::string> lines;
    std::istringstream stream(content);
    for (std::string line; std::getline(stream, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    return first == std::string::npos ? std::string()
                                      : text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

} // namespace

RawArray<double> readLatencies(const std::string& path) {
    RawArray<double> latencies{path, "latencies", "text", {}, {}};
    const std::vector<std::string> lines = linesOf(path, kMaxLatencyFileBytes, latencies.name);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string text = trimmed(lines[i]);
        if (text.empty())
            continue;
        // from_chars, not strtod: the studio runs under the user's locale, where "1.5" may not parse.
        double value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size())
            throw FormatError(path, "line " + std::to_string(i + 1),
                              "'" + text.substr(0, 40) +
                                  "' is not a number; the file holds one cumulative latency in ms per line, "
                                  "no header");
        latencies.values.push_back(value);
    }
    latencies.shape = {static_cast<std::int64_t>(latencies.values.size())};
    return latencies;
}

RawArray<std::string> readClassNames(const std::string& path) {
    RawArray<std::string> names{path, "class names", "text", {}, {}};
    names.values = linesOf(path, kMaxClassFileBytes, names.name);
    for (std::size_t i = 0; i < names.values.size(); ++i) {
        const std::string& name = names.values[i];
        const std::string where = "line " + std::to_string(i + 1);
        if (trimmed(name).empty())
            throw FormatError(path, where, "is empty; the file holds one class name per line");
        if (name.size() > limits::kMaxStringBytes)
            throw FormatError(path, where,
                              "holds a name of " + std::to_string(name.size()) +
                                  " bytes; names may be at most " + std::to_string(limits::kMaxStringBytes));
        const QByteArray bytes = QByteArray::fromStdString(name);
        if (QString::fromUtf8(bytes).toUtf8() != bytes)
            throw FormatError(path, where, "is not valid UTF-8; save the file as UTF-8");
    }
    names.shape = {static_cast<std::int64_t>(names.values.size())};
    return names;
}

} // namespace eenet::cache
