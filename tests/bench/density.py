#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Density measurement for run.sh d): given the PIDs of N `berth run` supervisors started at once,
waits until every one has its payload (a descendant named PAYLOAD) running, then reads the
proportional set size (Pss in /proc/PID/smaps_rollup) of each supervisor and of every other
berth process in its tree (same command name as the supervisor, e.g. a helper it forked), and
prints JSON.

usage: density.py N START_USEC PAYLOAD_COMM PID..."""
import json
import os
import sys
import time


def children_map():
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        kids.setdefault(ppid, []).append((int(d), comm))
    return kids


def tree(pid, kids):
    out = []
    todo = [pid]
    while todo:
        p = todo.pop()
        for c, comm in kids.get(p, []):
            out.append((c, comm))
            todo.append(c)
    return out


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def main():
    n, start_usec, payload = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    pids = [int(p) for p in sys.argv[4:]]
    t0 = time.monotonic()
    while True:
        kids = children_map()
        up = [p for p in pids if any(comm == payload for _, comm in tree(p, kids))]
        if len(up) == len(pids) or time.monotonic() - t0 > 120:
            break
        time.sleep(0.1)
    wait_usec = int((time.monotonic() - t0) * 1e6)
    sup = [pss_kib(p) for p in up]
    sup = [s for s in sup if s is not None]
    helpers = []
    for p in up:
        try:
            with open(f"/proc/{p}/comm") as f:
                own = f.read().strip()
        except OSError:
            continue
        for c, comm in tree(p, kids):
            if comm == own:
                s = pss_kib(c)
                if s is not None:
                    helpers.append(s)
    res = {
        "n": n,
        "up": len(up),
        "start_all_usec": start_usec + wait_usec,
        "supervisor_pss_kib_total": sum(sup),
        "supervisor_pss_kib_per_container": sum(sup) / len(sup) if sup else None,
        "other_berth_processes": len(helpers),
        "other_pss_kib_total": sum(helpers),
        "total_pss_kib_per_container": (sum(sup) + sum(helpers)) / len(up) if up else None,
    }
    json.dump(res, sys.stdout, indent=1)
    print()
    return 0 if len(up) == n else 1


if __name__ == "__main__":
    sys.exit(main())
