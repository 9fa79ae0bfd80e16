#pragma once

// Shared by the fuzz targets: the readers take paths, so every input goes through a file in memory.

#include <cstddef>
#include <cstdint>
#include <string>

namespace eenet::fuzz {

/// Writes the input to this process's scratch file (under /dev/shm when it exists) and returns its path.
/// Aborts when it cannot write: a harness failure must not look like a clean run.
const std::string& writeInput(const std::uint8_t* data, std::size_t size);

} // namespace eenet::fuzz
