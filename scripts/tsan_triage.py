#!/usr/bin/python3
"""Sorts ThreadSanitizer reports by where the racing accesses execute (used by scripts/sanitize.sh tsan).

Debian's Qt is not built for ThreadSanitizer: its mutexes, atomics and thread-pool handovers are invisible to
TSan, so TSan reports races between accesses that Qt's own code orders correctly. Those reports have no frame
of their own to suppress by name (libQt6Gui carries no symbols), and a whole-library suppression would hide
our races too. Instead each report is judged by the first frame of each racing access below the sanitizer's
interceptors (memmove, operator new, ...): when that frame is in the project's sources for any access, the
race is in our code and fails the run; when every access starts in an uninstrumented library, it is counted
and listed as such.

Usage: tsan_triage.py SOURCE_DIR LOG_FILE...   (exit 1 when a report is in our code)
"""
import re
import sys

ACCESS = re.compile(r"^  (Previous )?(Atomic )?(read|write|Read|Write)[^\n]*:$", re.MULTILINE)
FRAME = re.compile(r"^\s+#\d+ (\S+) (\S+)(?: \(([^)]*)\))?", re.MULTILINE)
INTERCEPTOR = re.compile(r"libtsan\.so|tsan_|sanitizer_common")


def first_frame(stack):
    """The first frame of an access stack that is not the sanitizer's own interceptor."""
    for function, location, module in FRAME.findall(stack):
        if INTERCEPTOR.search(location) or INTERCEPTOR.search(module or ""):
            continue
        return function, location, module
    return None


def access_stacks(report):
    starts = [m.end() for m in ACCESS.finditer(report)]
    stacks = []
    for start in starts:
        end = report.find("\n\n", start)
        stacks.append(report[start:end if end >= 0 else len(report)])
    return stacks


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    source = sys.argv[1].rstrip("/") + "/"
    ours, library = [], 0
    for path in sys.argv[2:]:
        text = open(path, errors="replace").read()
        for report in text.split("WARNING: ThreadSanitizer:")[1:]:
            frames = [first_frame(stack) for stack in access_stacks(report)]
            if any(f and f[1].startswith(source) for f in frames):
                ours.append((path, report.split("\n==================")[0]))
            else:
                library += 1
    print(f"tsan: {library} reports inside uninstrumented libraries (Qt's own synchronisation, not ours), "
          f"{len(ours)} in our code")
    for path, report in ours:
        print(f"--- {path}\nWARNING: ThreadSanitizer:{report}")
    return 1 if ours else 0


if __name__ == "__main__":
    sys.exit(main())
