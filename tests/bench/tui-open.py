#!/usr/bin/env python3
"""Time a terminal client opening a mailbox, as a user sees it: run the
command in a tmux pane (its own tmux server, COLSxROWS), poll
capture-pane every ~10 ms, and write

    WALL USER SYS MAXRSS_KIB EXIT FIRST

to --output (the format of timed.py, plus FIRST): FIRST is the seconds
from the start until the screen first matches --first (the first screen
of index rows), WALL until it matches --done (the whole index loaded),
then the command gets SIGTERM; CPU time and peak RSS are /usr/bin/time's.
The clock starts when the pane, already up, is told to exec the command,
so tmux's own start is not counted. EXIT is 0 when both patterns were
seen, 1 when the command ended or --timeout passed first (the last
screen goes to stderr). For scripts/bench's TUI workload.

--keys sends tmux key names (space-separated) once the first screen is
there.

Usage: tui-open.py --output FILE --first ERE --done ERE [--size 200x50]
                   [--timeout S] [--keys KEYS] COMMAND [ARG...]
"""
import argparse
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time


def tmux(sock, *args):
    return subprocess.run(["tmux", "-L", sock, "-f", "/dev/null"] +
                          list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True,
                          errors="replace").stdout


def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("--output", required=True)
    ap.add_argument("--first", required=True)
    ap.add_argument("--done", required=True)
    ap.add_argument("--size", default="200x50")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--keys", default="")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    # killed (scripts/bench's timeout): still end the tmux server
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    first_re, done_re = re.compile(a.first, re.M), re.compile(a.done, re.M)
    cols, rows = a.size.split("x")
    tmp = tempfile.mkdtemp(prefix="tui-open.")
    sock = "bench-tui-%d" % os.getpid()
    go, usage = os.path.join(tmp, "go"), os.path.join(tmp, "usage")
    os.mkfifo(go)
    # the pane waits for "go", then becomes /usr/bin/time running the
    # command; the environment is this one's
    pane = "read _ <%s; exec /usr/bin/time -f '%%U %%S %%M' -o %s %s" % (
        shlex.quote(go), shlex.quote(usage),
        " ".join(shlex.quote(w) for w in a.command))
    tmux(sock, "new-session", "-d", "-s", "b", "-x", cols, "-y", rows,
         "sh", "-c", pane)
    tmux(sock, "set-option", "-t", "b", "remain-on-exit", "on")
    pid = int(tmux(sock, "display-message", "-p", "-t", "b",
                   "#{pane_pid}").strip())
    first = wall = None
    screen = ""
    try:
        start = time.perf_counter()
        with open(go, "w") as f:
            f.write("go\n")
        while True:
            now = time.perf_counter() - start
            screen = tmux(sock, "capture-pane", "-p", "-t", "b")
            if first is None and first_re.search(screen):
                first = now
                if a.keys:
                    tmux(sock, "send-keys", "-t", "b", *a.keys.split())
            if first is not None and done_re.search(screen):
                wall = now
                break
            if now > a.timeout or not alive(pid):
                break
            time.sleep(0.01)
        for child in children(pid):
            os.kill(child, signal.SIGTERM)
        for _ in range(500):
            if not alive(pid):
                break
            time.sleep(0.01)
        while not os.path.exists(usage) and alive(pid):
            time.sleep(0.01)
        user = system = rss = "0"
        if os.path.exists(usage):
            with open(usage) as f:
                user, system, rss = f.read().split()[-3:]
    finally:
        tmux(sock, "kill-server")
        for p in (go, usage):
            if os.path.exists(p):
                os.unlink(p)
        os.rmdir(tmp)
    code = 0 if wall is not None else 1
    if code:
        sys.stderr.write("tui-open: %s not seen; the last screen:\n%s\n" % (
            "--first" if first is None else "--done", screen))
    with open(a.output, "w") as f:
        f.write("%.6f %s %s %s %d %.6f\n" % (
            wall if wall is not None else time.perf_counter() - start,
            user, system, rss, code, first if first is not None else -1))
    sys.exit(code)


if __name__ == "__main__":
    main()
