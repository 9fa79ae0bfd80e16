#!/usr/bin/env bash
# Builds the .deb with CPack into a temporary directory, checks its Depends and that every file is under
# /usr, unpacks it with dpkg-deb and checks the unpacked usr/ with check_tree.sh (programs run from there).
# Usage: deb_package.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir=$(realpath "$1")
build_dir=$(realpath "$2")
fail() { echo "FAIL: $*" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1 ||
    { cat "$tmp/cpack.log"; fail "cpack -G DEB"; }
debs=("$tmp"/pkg/*.deb)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || fail "cpack made no single .deb: ${debs[*]}"
deb=${debs[0]}
basename "$deb"
dpkg-deb -I "$deb"

[[ $(dpkg-deb -f "$deb" Package) == eenet-studio ]] || fail "package name"
dpkg-deb -f "$deb" Maintainer | grep -q . || fail "no Maintainer"
[[ $(dpkg-deb -f "$deb" Section) == science ]] || fail "section"
depends=$(dpkg-deb -f "$deb" Depends)
names=$(tr ',|' '\n' <<<"$depends" | awk '{print $1}')
# The packages of the libraries the programs link (dpkg-shlibdeps; Qt's print support comes through
# libqcustomplot2.1-qt6, QtConcurrent is header-only as used), and what is loaded at run time.
for package in libc6 libstdc++6 libqt6core6 libqt6gui6 libqt6widgets6 libqt6svg6 libqcustomplot2.1-qt6 \
    libtorch1.13 libhdf5-103-1 libhdf5-cpp-103-1 zlib1g libopenblas0-pthread qt6-qpa-plugins; do
    grep -q -x -F "$package" <<<"$names" || fail "Depends lacks $package: $depends"
done

outside=$(dpkg-deb -c "$deb" | awk '{print $6}' | grep -v -E '^\./(usr/.*)?$' || true)
[[ -z $outside ]] || fail "files outside /usr: $outside"

dpkg-deb -x "$deb" "$tmp/root"
"$here/check_tree.sh" "$tmp/root/usr" "$source_dir" "$build_dir"
echo "PASS"
