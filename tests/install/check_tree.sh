#!/usr/bin/env bash
# Checks an installed EENet Studio tree (a `cmake --install` prefix, or usr/ of an unpacked .deb):
# Debian's layout, no RPATH and no build or source path in the programs, and the programs run from there
# with nothing from the build tree: `eenet-cli info` on the installed sample, and the studio, headless,
# opening the installed sample by itself (no argument, no remembered file) and quitting once it is loaded.
# Usage: check_tree.sh PREFIX SOURCE_DIR BUILD_DIR
set -euo pipefail
prefix=$(realpath "$1")
source_dir=$(realpath "$2")
build_dir=$(realpath "$3")
fail() { echo "FAIL: $*" >&2; exit 1; }

sample=$prefix/share/eenet-studio/sample_data/fashion_mnist_cnn4.h5
doc=$prefix/share/doc/eenet-studio
expected=(
    bin/eenet-studio bin/eenet-cli bin/eenet-make-sample bin/eenet-make-synthetic bin/eenet-bench
    share/eenet-studio/sample_data/fashion_mnist_cnn4.h5 share/eenet-studio/sample_data/README.md
    share/eenet-studio/sample_data/fashion_mnist_cnn4.pt share/doc/eenet-studio/examples/early_exit_runtime.py
    share/applications/eenet-studio.desktop share/icons/hicolor/128x128/apps/eenet-studio.png
    share/doc/eenet-studio/copyright share/doc/eenet-studio/README.md share/doc/eenet-studio/format.md
    share/doc/eenet-studio/studio.md share/doc/eenet-studio/cli.md share/doc/eenet-studio/deploy.md
    share/doc/eenet-studio/screenshots/main-window.png share/doc/eenet-studio/examples/apply_scheduler.py
)
for file in "${expected[@]}"; do
    [[ -f $prefix/$file ]] || fail "$file is not installed"
done
[[ ! -e $prefix/bin/eenet-screenshots ]] || fail "eenet-screenshots is installed (a docs tool of the source tree)"
grep -q "Copyright (c) 2026 The EENet Studio authors" "$doc/copyright" || fail "copyright is not the MIT licence"
cmp -s "$source_dir/sample_data/fashion_mnist_cnn4.h5" "$sample" || fail "installed sample differs from the shipped one"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$prefix/share/applications/eenet-studio.desktop" || fail "desktop entry is invalid"
fi

for program in "$prefix"/bin/*; do
    if readelf -d "$program" | grep -E 'R(UN)?PATH'; then
        fail "$(basename "$program") has an RPATH"
    fi
    if grep -q -a -F -e "$source_dir/sample_data" -e "$build_dir/" "$program"; then
        fail "$(basename "$program") has the source sample's or the build tree's path compiled in"
    fi
done

# Run from elsewhere, with a fresh home (no remembered file, no saved settings) and no library path.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home"
mkdir -m 700 "$work/runtime"
run() {
    (cd "$work" && env -u LD_LIBRARY_PATH HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" \
        XDG_DATA_HOME="$work/home/.local/share" XDG_CACHE_HOME="$work/home/.cache" \
        XDG_RUNTIME_DIR="$work/runtime" QT_QPA_PLATFORM=offscreen OPENBLAS_NUM_THREADS=1 timeout 300 "$@")
}

run "$prefix/bin/eenet-cli" info "$sample" || fail "installed eenet-cli info failed"
info=$(run "$prefix/bin/eenet-cli" info --json "$sample") || fail "installed eenet-cli info --json failed"
counts=$(python3 -c 'import json, sys; d = json.load(sys.stdin)
print(d["num_exits"], d["num_classes"], d["num_val"], d["num_test"])' <<<"$info")
read -r exits classes val test <<<"$counts"

out=$(run "$prefix/bin/eenet-studio" --quit-after-load) || fail "installed eenet-studio --quit-after-load failed"
echo "$out"
want="Loaded $sample: $exits exits, $classes classes, $val validation and $test test samples"
grep -q -x -F "$want" <<<"$out" || fail "the studio did not load the installed sample; wanted: $want"

# Without its sample the installed studio fails honestly (exit 1, names the installed path); it does
# not fall back on the source tree's sample.
mv "$sample" "$sample.away"
status=0
err=$(run "$prefix/bin/eenet-studio" --quit-after-load 2>&1 >/dev/null) || status=$?
mv "$sample.away" "$sample"
echo "$err"
[[ $status -eq 1 ]] || fail "studio without its sample exited $status, wanted 1"
grep -q -F "eenet-studio: error: $sample" <<<"$err" || fail "studio without its sample did not name $sample"
echo "PASS: $prefix"
