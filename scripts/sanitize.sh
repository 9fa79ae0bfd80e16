#!/usr/bin/env bash
# The suite under the sanitizers:
#   asan  every test under AddressSanitizer + UndefinedBehaviorSanitizer, leaks checked (LeakSanitizer),
#         in build-asan/;
#   tsan  the tests with worker threads (CTest label "threads": controllers, main window, session, stress)
#         under ThreadSanitizer, in build-tsan/. tests/sanitizers/tsan.supp suppresses named reports inside
#         uninstrumented Qt, each with its reason; scripts/tsan_triage.py sorts the rest by where the racing
#         accesses execute, and any report in the project's own code fails the run.
# Usage: scripts/sanitize.sh [asan] [tsan]   (both when none is named)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh"
jobs=${EENET_BUILD_JOBS:-2}
export QT_QPA_PLATFORM=offscreen

configure() {
    # Always: a test added since the tree was configured must be listed before its target is built.
    cmake --preset "$1" >/dev/null
}

run_asan() {
    configure asan
    cmake --build build-asan --parallel "$jobs"
    # tst_samplemaker trains a CNN for minutes (10x slower here); the packaging tests install the Release tree.
    ctest --preset asan --parallel 2 -E 'tst_samplemaker|tst_installtree|tst_debpackage'
}

run_tsan() {
    configure tsan
    mapfile -t targets < <(ctest --test-dir build-tsan -N -L threads | sed -n 's/^ *Test *#[0-9]*: *//p')
    cmake --build build-tsan --parallel "$jobs" --target "${targets[@]}"
    # The reports go to build-tsan/tsan-logs/ (the tsan test preset) instead of failing each test: a test
    # fails on its own checks, and tsan_triage.py then fails the run on any report in our code.
    rm -rf build-tsan/tsan-logs
    mkdir -p build-tsan/tsan-logs
    local status=0
    # TSan runs the code 5-15x slower: the stress test's 10,000 moves need more than QTest's 5-minute
    # watchdog per test function (and CTest's 15 minutes).
    QTEST_FUNCTION_TIMEOUT=3600000 ctest --preset tsan -L threads --timeout 3600 || status=1
    shopt -s nullglob
    local logs=(build-tsan/tsan-logs/report.*)
    if ((${#logs[@]} > 0)); then
        /usr/bin/python3 scripts/tsan_triage.py "$root" "${logs[@]}" || status=1
    else
        echo "tsan: no reports"
    fi
    return "$status"
}

suites=("$@")
((${#suites[@]} > 0)) || suites=(asan tsan)
for suite in "${suites[@]}"; do
    case "$suite" in
    asan) run_asan ;;
    tsan) run_tsan ;;
    *) echo "sanitize: unknown suite '$suite' (asan or tsan)" >&2; exit 2 ;;
    esac
done
