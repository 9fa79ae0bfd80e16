#include "Error.h"

#include <filesystem>
#include <fstream>
#include <utility>

namespace eenet {

FormatError::FormatError(std::string file, std::string dataset, std::string problem)
    : Error(file + ": " + dataset + ": " + problem)
    , m_file(std::move(file))
    , m_dataset(std::move(dataset))
    , m_problem(std::move(problem)) {}

IoError::IoError(std::string file, std::string problem)
    : Error(file + ": " + problem)
    , m_file(std::move(file))
    , m_problem(std::move(problem)) {}

void requireReadableFile(const std::string& path) {
    std::error_code error;
    if (!std::filesystem::exists(path, error))
        throw IoError(path, "no such file");
    if (!std::filesystem::is_regular_file(path, error) || !std::ifstream(path, std::ios::binary).is_open())
        throw IoError(path, "cannot read");
}

} // namespace eenet
