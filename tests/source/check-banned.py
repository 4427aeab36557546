#!/usr/bin/python3
"""check-banned: fail on unsafe C functions (STYLE.md, after curl's checksrc).

Usage: check-banned.py FILE_OR_DIR...   prints FILE:LINE: message per hit,
exits 1 if there is any. Comments and string literals are ignored, so a
comment that names strcpy is fine; a call is not.
"""
import os
import re
import sys

BANNED = {
    "strcpy": "use memcpy with a known length, or xstrdup",
    "strcat": "use struct buf",
    "sprintf": "use snprintf or buf_printf",
    "vsprintf": "use vsnprintf or buf_vprintf",
    "gets": "use fgets or getline",
    "atoi": "use a checked strtoul/strtoull parser",
    "atol": "use a checked strtoul/strtoull parser",
    "atoll": "use a checked strtoull parser",
    "strtok": "use strsep or a real tokenizer",
    "tmpnam": "use mkstemp",
    "mktemp": "use mkstemp",
    # curses printf-style calls: server text must never be a format.
    "printw": "use waddnstr with escaped text",
    "wprintw": "use waddnstr with escaped text",
    "mvprintw": "use mvwaddnstr with escaped text",
    "mvwprintw": "use mvwaddnstr with escaped text",
}
CALL = re.compile(r"\b(" + "|".join(BANNED) + r")\s*\(")
TOKENS = re.compile(
    r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
    re.S)


def blank(match):
    """Keep newlines so line numbers stay right; drop everything else."""
    text = match.group(0)
    return "".join("\n" if c == "\n" else " " for c in text)


def check_file(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        code = TOKENS.sub(blank, f.read())
    hits = 0
    for lineno, line in enumerate(code.split("\n"), 1):
        for m in CALL.finditer(line):
            print("%s:%d: %s() is banned: %s"
                  % (path, lineno, m.group(1), BANNED[m.group(1)]))
            hits += 1
    return hits


def c_files(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _dirs, files in os.walk(p):
                for name in sorted(files):
                    if name.endswith((".c", ".h")):
                        yield os.path.join(root, name)
        else:
            yield p


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    hits = sum(check_file(f) for f in c_files(argv))
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
