#!/usr/bin/env bash
# Fuzzes the file readers (predictions HDF5, scheduler JSON, session JSON) with libFuzzer + ASan + UBSan.
# Usage: scripts/fuzz.sh [seconds-per-target]   (default 60)
#
# Configures and builds tests/fuzz/ in build-fuzz/ with clang (once; later runs rebuild only what changed),
# then runs each target for the given time on its corpus: build-fuzz/corpus/<target>/ (grows from run to run)
# seeded from tests/fuzz/corpus/<target>/. Prints one line per target; exits 1 when a target finds a crash, a
# leak, a timeout (10 s per input) or an allocation over 2 GB in our code. The inputs land in
# build-fuzz/findings/<target>/; reproduce one with build-fuzz/fuzz_<target> FILE.
#
# Findings whose faulting frame is inside Debian's HDF5 C library (1.10.8, not instrumented) are upstream
# defects core cannot fix (tests/fuzz/README.md): they are listed, and do not fail the run. A crash in HDF5's
# C++ wrapper counts as ours: it comes from how we call it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${1:-60}
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh [seconds-per-target]" >&2; exit 2; }
targets=(predictions scheduler session)
build=build-fuzz
# The suppression files name upstream HDF5 defects only, each with its reason. allocator_may_return_null: an
# impossible malloc fails as it does in production (HDF5 checks for NULL); libFuzzer still reports any single
# allocation over 2 GB (-rss_limit_mb) as a finding.
export ASAN_OPTIONS="suppressions=$root/tests/fuzz/asan.supp:allocator_may_return_null=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# One job, lowest priority: the machine is shared with the main (LibTorch) build.
if [[ ! -f $build/CMakeCache.txt ]]; then
    if ! nice -n 19 cmake -S tests/fuzz -B $build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 >"$log" 2>&1; then
        cat "$log" >&2
        echo "fuzz: configuring $build failed (scripts/setup.sh installs clang and libclang-rt-14-dev)" >&2
        exit 1
    fi
fi
if ! nice -n 19 cmake --build $build --parallel 1 >"$log" 2>&1; then
    cat "$log" >&2
    echo "fuzz: building $build failed" >&2
    exit 1
fi

# Prints "hdf5" when the first frame of the report that is not the sanitizer, libc or an allocator (nor an
# interceptor such as strdup, a frame in the fuzz binary without a source line) is inside
# libhdf5, "none" when the input runs clean on its own (a fork-mode job's timeout on a loaded machine, or a
# crash that needed the state earlier inputs left in HDF5's globals), else "ours". Leaks are always ours:
# HDF5 only leaks what its caller leaves open.
faulting_library() {
    local binary=$1 input=$2 report status=0
    report=$(timeout 60 "$binary" -timeout=10 -rss_limit_mb=2048 "$input" 2>&1) || status=$?
    if ((status == 0)) && ! grep -qE '^==[0-9]+==ERROR|^SUMMARY: ' <<<"$report"; then
        echo none
        return
    fi
    if grep -q 'LeakSanitizer' <<<"$report"; then
        echo ours
        return
    fi
    grep -E '^ +#[0-9]+ ' <<<"$report" |
        grep -vE 'in (__interceptor_|__asan|__sanitizer|__ubsan|__mem|malloc|calloc|realloc|operator new|fuzzer::)|libc\.so|sysdeps/|compiler-rt|/fuzz_[a-z]+\+0x' |
        head -1 | grep -q 'libhdf5_serial\.so' && echo hdf5 || echo ours
}

failed=0
for target in "${targets[@]}"; do
    corpus=$build/corpus/$target
    findings=$build/findings/$target
    mkdir -p "$corpus"
    rm -rf "$findings"
    mkdir -p "$findings"
    # Fork mode keeps fuzzing after a finding, so one upstream HDF5 crash does not end the run.
    nice -n 19 "$build/fuzz_$target" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -timeout=10 -rss_limit_mb=2048 -max_total_time="$seconds" -artifact_prefix="$findings/" \
        "$corpus" "tests/fuzz/corpus/$target" >"$log" 2>&1 || true
    # The fork-mode parent prints "#<executions>: cov: N ft: N corp: N exec/s N ..." after each job.
    stats=$(grep -E '^#[0-9]+: cov:' "$log" | tail -1 || true)
    executions=$(sed -E 's/^#([0-9]+):.*/\1/' <<<"$stats")
    coverage=$(sed -E 's/.* cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+).*/cov \1, ft \2, corpus \3/' <<<"$stats")
    if [[ -z "$stats" ]]; then
        tail -20 "$log" >&2
        echo "fuzz: $target did not run" >&2
        failed=1
        continue
    fi
    ours=()
    upstream=()
    unreproduced=()
    for input in "$findings"/*; do
        [[ -e "$input" ]] || continue
        case $(faulting_library "$build/fuzz_$target" "$input") in
        hdf5) upstream+=("$input") ;;
        none) unreproduced+=("$input") ;;
        *) ours+=("$input") ;;
        esac
    done
    line="fuzz: $target: ${executions:-0} executions in ${seconds} s ($((${executions:-0} / (seconds > 0 ? seconds : 1)))/s), $coverage"
    if ((${#ours[@]} > 0)); then
        echo "$line: ${#ours[@]} FINDINGS: ${ours[*]}" >&2
        failed=1
    elif ((${#upstream[@]} > 0)); then
        echo "$line: no findings in our code; ${#upstream[@]} crashes inside libhdf5 (upstream): ${upstream[*]}"
    else
        echo "$line: no findings"
    fi
    if ((${#unreproduced[@]} > 0)); then
        echo "fuzz: $target: ${#unreproduced[@]} findings that run clean on their own (listed, not failing): ${unreproduced[*]}"
    fi
done
exit $failed
