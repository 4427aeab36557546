#!/usr/bin/env python3
"""Summarize scripts/bench's JSON lines (one per run) as a Markdown table:
per workload and tool the median wall time, its ratio to the raw drain's
median in the same workload, the median CPU time (user + system) and the
median peak RSS, over the rounds that succeeded.

Usage: bench-table.py RESULTS.jsonl
"""
import json
import statistics
import sys


def main():
    runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    header = next((r for r in runs if r.get("kind") == "header"), {})
    runs = [r for r in runs if r.get("kind") == "run"]
    order = []
    for r in runs:
        key = (r["workload"], r["tool"])
        if key not in order:
            order.append(key)
    print("%d messages (+1 of %s MB), %s rounds, %s; %s" % (
        header.get("messages", 0), header.get("big_mb", "?"),
        header.get("rounds", "?"), header.get("machine", "?"),
        header.get("date", "?")))
    print()
    print("| workload | tool | wall (median) | × raw | CPU | peak RSS |"
          " ok/runs |")
    print("|---|---|---:|---:|---:|---:|---:|")
    raw = {}
    for (w, tool) in order:
        if tool == "raw":
            walls = [r["wall"] for r in runs if r["workload"] == w and
                     r["tool"] == tool and r["rc"] == 0]
            if walls:
                raw[w] = statistics.median(walls)
    for (w, tool) in order:
        mine = [r for r in runs if r["workload"] == w and r["tool"] == tool]
        good = [r for r in mine if r["rc"] == 0]
        if not good:
            print("| %s | %s | failed | | | | 0/%d |" % (w, tool, len(mine)))
            continue
        wall = statistics.median(r["wall"] for r in good)
        cpu = statistics.median(r["user"] + r["sys"] for r in good)
        rss = statistics.median(r["rss_kib"] for r in good) / 1024
        ratio = "%.2f×" % (wall / raw[w]) if raw.get(w) else "-"
        print("| %s | %s | %.3f s | %s | %.3f s | %.1f MB | %d/%d |" % (
            w, tool, wall, ratio, cpu, rss, len(good), len(mine)))
    # The TUI workload: its wall is the whole index; "first" is the
    # first screen of rows (scripts/bench, TUI).
    tui = [k for k in order if any("first" in r for r in runs
                                   if (r["workload"], r["tool"]) == k)]
    if tui:
        print()
        print("| workload | tool | first screen (median) | whole index |"
              " × raw W2 |")
        print("|---|---|---:|---:|---:|")
    for (w, tool) in tui:
        good = [r for r in runs if r["workload"] == w and
                r["tool"] == tool and r["rc"] == 0]
        if not good:
            continue
        first = statistics.median(r["first"] for r in good)
        wall = statistics.median(r["wall"] for r in good)
        ratio = "%.2f×" % (wall / raw[w]) if raw.get(w) else "-"
        print("| %s | %s | %.3f s | %.3f s | %s |" % (w, tool, first, wall,
                                                    ratio))


if __name__ == "__main__":
    main()
