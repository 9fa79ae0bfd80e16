#!/usr/bin/env bash
# Installs what is missing, builds the studio (Release) and starts it on the shipped sample data.
# Usage: scripts/run.sh [FILE.h5]   (opens FILE instead of the sample)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh" --target eenet-studio eenet-cli

file=${1:-$root/sample_data/fashion_mnist_cnn4.h5}
studio=("$root/build/bin/eenet-studio" "$file")
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    echo "run: no display found; starting the studio on a virtual X display (xvfb-run). Stop it with Ctrl+C." >&2
    exec xvfb-run -a -s "-screen 0 1280x800x24" "${studio[@]}"
fi
exec "${studio[@]}"
