#!/usr/bin/python3
"""tui-keys-screen.py: read a tmux capture of imapwb for tui-keys.sh.

    tui-keys-screen.py help   < capture-pane -p      the help dialog
    tui-keys-screen.py cursor < capture-pane -p -e   the view's cursor row

help prints one line a key row: SECTION<TAB>KEYS<TAB>TEXT, and a last line
"complete" or "cut" (whether the dialog showed every line). cursor prints
LINE<TAB>TEXT for the first row of the views' pane (right of the
separator, below the tab bar) drawn in reverse video: its line number on
the screen (1-based) and its text.
"""

import re
import sys

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def help_rows(text):
    lines = text.split("\n")
    tops = [i for i, l in enumerate(lines) if "┌" in l]
    if not tops:
        print("no help dialog on the screen", file=sys.stderr)
        return 1
    top = tops[-1]
    left = lines[top].index("┌")
    width = lines[top].index("┐") - left
    section = ""
    complete = False
    for line in lines[top + 1:]:
        start = left if line[left:left + 1] in ("│", "└") else \
            min(i for i in (line.find("│"), line.find("└")) if i >= 0)
        if line[start] == "└":
            break
        inner = line[start + 1:start + width]
        body = inner[1:].rstrip() if inner.startswith(" ") else inner.rstrip()
        if body.startswith("Press any key to close."):
            complete = True
        if body.startswith("  "):
            m = re.match(r"  (\S(?:.*?\S)?)\s{2,}(\S.*)$", body)
            if m:
                print("%s\t%s\t%s" % (section, m.group(1), m.group(2)))
        elif body.endswith(":") and body and not body.startswith(" "):
            section = body
    print("complete" if complete else "cut")
    return 0


def cursor(text):
    for n, line in enumerate(text.split("\n")[1:], start=2):
        reverse = False
        chars = []
        pos = 0
        for m in SGR.finditer(line):
            chars += [(c, reverse) for c in line[pos:m.start()]]
            codes = m.group(1).split(";") if m.group(1) else ["0"]
            for code in codes:
                if code in ("", "0"):
                    reverse = False
                elif code == "7":
                    reverse = True
                elif code == "27":
                    reverse = False
            pos = m.end()
        chars += [(c, reverse) for c in line[pos:]]
        plain = "".join(c for c, _ in chars)
        sep = plain.find("│")
        if sep < 0:
            continue
        right = chars[sep + 1:]
        if any(r and c != " " for c, r in right):
            print("%d\t%s" % (n, "".join(c for c, _ in right).rstrip()))
            return 0
    print("0\t")
    return 0


def main():
    text = sys.stdin.read()
    if sys.argv[1:] == ["help"]:
        return help_rows(text)
    if sys.argv[1:] == ["cursor"]:
        return cursor(text)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
