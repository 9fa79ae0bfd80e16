#pragma once

#include <string>

namespace eenet {

/// The two splits of a predictions file: validation (what every policy is fitted on) and test.
enum class Split { Val, Test };

/// "val" or "test", as the CLI's JSON and the scheduler files name them.
std::string splitName(Split split);

} // namespace eenet
