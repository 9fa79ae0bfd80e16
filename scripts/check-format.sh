#!/usr/bin/env bash
# Fails (exit 1) when a C++ file is not formatted with the repository's .clang-format. .clang-format is
# written for clang-format 14 (Debian 12): with no clang-format, or another major version whose output may
# differ, it only reports and exits 0, so a tool version never decides whether the code is right.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
pinned_major=14
if ! command -v clang-format >/dev/null; then
    echo "check-format: clang-format is not installed; formatting not checked (scripts/setup.sh installs it)" >&2
    exit 0
fi
version=$(clang-format --version | grep -o 'version [0-9]*' | grep -o '[0-9]*$' || true)
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.cpp' '*.h')
if ((${#files[@]} == 0)); then
    exit 0
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! clang-format --dry-run -Werror "${files[@]}" 2>"$log"; then
    echo "check-format: these files need 'clang-format -i':" >&2
    grep -o '^[^:]*:[0-9]*:' "$log" | cut -d: -f1 | sort -u >&2
    if [[ "$version" != "$pinned_major" ]]; then
        echo "check-format: clang-format $version is not the pinned $pinned_major; reported only" >&2
        exit 0
    fi
    exit 1
fi
echo "check-format: ${#files[@]} files formatted"
