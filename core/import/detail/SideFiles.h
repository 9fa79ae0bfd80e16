#pragma once

// Private to core/import: the text files given beside a cache.

#include "import/detail/RawCache.h"

#include <string>

namespace eenet::cache {

/// A latency CSV (MSDNet forks call it seconds.csv): one cumulative latency in ms per line, no header; blank
/// lines are skipped. Throws IoError when it cannot be read, FormatError naming the line otherwise.
RawArray<double> readLatencies(const std::string& path);

/// One class name per line, in class order, UTF-8; a final newline ends the last name.
RawArray<std::string> readClassNames(const std::string& path);

} // namespace eenet::cache
