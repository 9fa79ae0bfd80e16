#pragma once

#include "policy/DeployedPolicy.h"

#include <string>

namespace eenet {

/// The TorchScript source of a policy with `score` (the methods writeTorchScriptPolicy documents), kept
/// apart from the LibTorch code that compiles it.
std::string torchScriptSource(DeployedPolicy::Score score);

} // namespace eenet
