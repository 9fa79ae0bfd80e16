#!/usr/bin/env bash
# Fails when a C++ file is not formatted with the repository's .clang-format.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.cpp' '*.h')
if ((${#files[@]} == 0)); then
    exit 0
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! clang-format --dry-run -Werror "${files[@]}" 2>"$log"; then
    echo "check-format: these files need 'clang-format -i':" >&2
    grep -o '^[^:]*:[0-9]*:' "$log" | cut -d: -f1 | sort -u >&2
    exit 1
fi
echo "check-format: ${#files[@]} files formatted"
