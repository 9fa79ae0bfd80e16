#!/usr/bin/env bash
# Installs every Debian package EENet Studio needs to build, run and test. Idempotent: installs only what is
# missing, and touches apt only then.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config clang-format
    clang libclang-rt-14-dev            # libFuzzer + sanitizers for scripts/fuzz.sh
    qt6-base-dev qt6-svg-dev libqcustomplot-dev
    libtorch-dev libopenblas0-pthread   # LibTorch is ~30x slower on the reference BLAS
    libhdf5-dev libeigen3-dev zlib1g-dev
    xvfb xauth imagemagick
    dataset-fashion-mnist
    python3 python3-torch python3-h5py python3-numpy
)

missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
    echo "setup: all ${#packages[@]} packages are installed"
    exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
    sudo=(sudo)
fi
"${sudo[@]}" apt-get update
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
