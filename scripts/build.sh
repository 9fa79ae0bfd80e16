#!/usr/bin/env bash
# Configures (once) and builds the Release tree in build/; executables land in build/bin/.
# Usage: scripts/build.sh [cmake --build arguments, e.g. --target eenet-studio]
# EENET_PRESET picks the configure preset of a new tree: release (default) or ci (warnings as errors).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if [[ ! -f build/CMakeCache.txt ]]; then
    cmake --preset "${EENET_PRESET:-release}"
fi
# Two jobs: LibTorch-heavy translation units take ~2 GB each, and the target machine has 2 cores.
cmake --build build --parallel "${EENET_BUILD_JOBS:-2}" "$@"
