#include "Error.h"

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

} // namespace eenet
