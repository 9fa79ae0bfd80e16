#!/usr/bin/env bash
# Installs what is missing, builds everything (Release, warnings as errors on a fresh tree) and runs the
# whole test suite headless. A formatting problem is reported and fails the run at the end, after the tests:
# it never hides a test result. A clang-format other than the pinned major version only reports.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh"
format_status=0
"$root/scripts/check-format.sh" || format_status=$?
EENET_PRESET=${EENET_PRESET:-ci} "$root/scripts/build.sh"
export QT_QPA_PLATFORM=offscreen
ctest --test-dir build --output-on-failure --parallel 2 "$@"
# Brief fuzzing of the file readers (3 targets x 20 s, tests/fuzz/README.md); after ctest, which under set -e
# ends the script first when a test fails.
"$root/scripts/fuzz.sh" 20
if ((format_status != 0)); then
    echo "test: the tests passed, but the formatting check failed (see above)" >&2
    exit "$format_status"
fi
