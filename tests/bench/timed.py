#!/usr/bin/env python3
"""Run a command and write "WALL USER SYS MAXRSS_KIB EXIT" to --output:
wall seconds from spawn to exit (microseconds, unlike /usr/bin/time's
hundredths), and the CPU time and peak RSS of the command and the
children it waited for, as /usr/bin/time reports them (spawned from this
Python process, the command's peak RSS would start at Python's: Linux
keeps the high-water mark across exec). stdin, stdout and stderr are the
command's. For scripts/bench.

Usage: timed.py --output FILE COMMAND [ARG...]
"""
import os
import sys
import time


def main():
    if len(sys.argv) < 4 or sys.argv[1] != "--output":
        sys.exit(__doc__)
    out, argv = sys.argv[2], sys.argv[3:]
    usage = out + ".usage"
    argv = ["/usr/bin/time", "-f", "%U %S %M", "-o", usage] + argv
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ)
    _, status, _ = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    with open(usage) as f:
        # "Command exited with non-zero status N" comes first then
        user, system, rss = f.read().split()[-3:]
    with open(out, "w") as f:
        f.write("%.6f %s %s %s %d\n" % (wall, user, system, rss, code))
    sys.exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    main()
