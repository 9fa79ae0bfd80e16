#pragma once

#include <stdexcept>
#include <string>

namespace eenet {

/// Base of every error core throws. The UI and the CLI catch this type once, at their boundary.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A file's content breaks the predictions format: names the file, the dataset (or attribute) and the
/// problem.
class FormatError : public Error {
public:
    FormatError(std::string file, std::string dataset, std::string problem);

    const std::string& file() const { return m_file; }
    const std::string& dataset() const { return m_dataset; }
    const std::string& problem() const { return m_problem; }

private:
    std::string m_file;
    std::string m_dataset;
    std::string m_problem;
};

/// A file could not be opened, read or written at the operating-system level.
class IoError : public Error {
public:
    IoError(std::string file, std::string problem);

    const std::string& file() const { return m_file; }
    /// What went wrong, without the file: for rethrowing under the name the user chose.
    const std::string& problem() const { return m_problem; }

private:
    std::string m_file;
    std::string m_problem;
};

/// A caller passed an argument outside its valid range (a budget outside [c_1, c_K], a bad option).
class ArgumentError : public Error {
public:
    using Error::Error;
};

/// A long computation stopped because its caller asked it to.
class CancelledError : public Error {
public:
    CancelledError()
        : Error("cancelled") {}
};

/// Throws IoError naming `path` unless it is an existing, readable regular file: the first check of every
/// reader whose library would give a vaguer message (TorchScript archives).
void requireReadableFile(const std::string& path);

} // namespace eenet
