#!/usr/bin/env bash
# `cmake --install` of the build tree to a temporary prefix, checked by check_tree.sh; and the build tree's
# own studio, which finds the sample through build/share/eenet-studio/sample_data (a link CMake makes).
# Usage: install_tree.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir=$(realpath "$1")
build_dir=$(realpath "$2")
fail() { echo "FAIL: $*" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build_dir" --prefix "$tmp/prefix" >"$tmp/install.log" ||
    { cat "$tmp/install.log"; fail "cmake --install"; }
"$here/check_tree.sh" "$tmp/prefix" "$source_dir" "$build_dir"

mkdir -p "$tmp/home"
mkdir -m 700 "$tmp/runtime"
out=$(cd "$tmp" && HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_RUNTIME_DIR="$tmp/runtime" \
    QT_QPA_PLATFORM=offscreen OPENBLAS_NUM_THREADS=1 timeout 300 "$build_dir/bin/eenet-studio" --quit-after-load) ||
    fail "build tree's eenet-studio --quit-after-load failed"
echo "$out"
grep -q -F "Loaded $build_dir/share/eenet-studio/sample_data/fashion_mnist_cnn4.h5:" <<<"$out" ||
    fail "the build tree's studio did not open the sample through $build_dir/share"
echo "PASS"
