#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Turns run.sh's raw results (OUT/*.tsv, OUT/d-N.json, OUT/load.txt, OUT/notes.txt) into one
markdown report: machine, kernel, versions, load, one table per measurement with median, p90 and
the ratio to berth, and how close each run gets to the issue's targets (reported, not asserted).

usage: report.py markdown --out DIR --only a,b,c,d,e --command CMD --versions NAME=VERSION..."""
import collections
import datetime
import json
import math
import os
import platform
import sys


def read_tsv(path):
    """bench-rr lines: name, iteration, wall ns, user us, sys us, status -> {name: [(ms, cpu ms)]}"""
    runs = collections.OrderedDict()
    if not os.path.exists(path):
        return runs
    for line in open(path):
        f = line.split("\t")
        if len(f) < 6 or f[5].strip() != "0":
            continue
        runs.setdefault(f[0], []).append((int(f[2]) / 1e6, (int(f[3]) + int(f[4])) / 1e3))
    return runs


def pct(values, p):
    """nearest-rank percentile"""
    v = sorted(values)
    return v[max(0, math.ceil(p / 100 * len(v)) - 1)]


def fmt(ms):
    if ms is None:
        return "–"
    if ms >= 100:
        return f"{ms:.0f}"
    if ms >= 10:
        return f"{ms:.1f}"
    if ms >= 1:
        return f"{ms:.2f}"
    return f"{ms:.3f}"


def timing_table(runs, ref, label="tool", unit="ms"):
    scale = 1000.0 if unit == "µs" else 1.0
    lines = [f"| {label} | median {unit} | p90 {unit} | min {unit} | CPU {unit} (median) | ratio to {ref} | runs |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    med = {n: pct([w for w, _ in r], 50) for n, r in runs.items()}
    # the reference first, then fastest to slowest
    for name, r in sorted(runs.items(), key=lambda kv: (kv[0] != ref, med[kv[0]])):
        walls = [w for w, _ in r]
        cpus = [c for _, c in r]
        ratio = f"{med[name] / med[ref]:.2f}x" if ref in med and med[ref] > 0 else "–"
        lines.append(f"| {name} | {fmt(med[name] * scale)} | {fmt(pct(walls, 90) * scale)} | "
                     f"{fmt(min(walls) * scale)} | {fmt(pct(cpus, 50) * scale)} | {ratio} | {len(r)} |")
    return lines, med


def probe_table(path):
    """OUT/a-MODE-probe.tsv (tool, 'uid_map=.. seccomp=.. ...') -> markdown lines"""
    if not os.path.exists(path):
        return []
    lines = ["What each payload saw (one untimed run with a probe instead of /bin/true):", "",
             "| tool | uid_map (inside:outside:count) | seccomp mode | capabilities in bounding set | "
             "no_new_privs | network devices | /proc/timer_list | PID |",
             "|---|---|---:|---:|---:|---:|---|---:|"]
    for line in open(path):
        tool, _, seen = line.rstrip("\n").partition("\t")
        kv = dict(w.split("=", 1) for w in seen.split() if "=" in w) if seen.startswith("uid_map=") else {}
        if not kv:
            lines.append(f"| {tool} | {seen} | | | | | | |")
            continue
        try:
            caps = str(bin(int(kv.get("capbnd", ""), 16)).count("1"))
        except ValueError:
            caps = "–"
        nd = kv.get("netdevs", "")
        lines.append(f"| {tool} | {kv.get('uid_map') if kv.get('uid_map') != '::' else 'no /proc'} | "
                     f"{kv.get('seccomp') or '–'} | {caps} | {kv.get('nnp') or '–'} | "
                     f"{nd if nd and not nd.startswith('-') else '–'} | {kv.get('timer_list')} | {kv.get('pid')} |")
    return lines + [""]


def berth_caveat(probe_path):
    """' (but ...)' when the probe shows berth's default run lacked part of its default confinement"""
    if not os.path.exists(probe_path):
        return ""
    for line in open(probe_path):
        tool, _, seen = line.rstrip("\n").partition("\t")
        if tool != "berth":
            continue
        kv = dict(w.split("=", 1) for w in seen.split() if "=" in w)
        missing = []
        if kv.get("uid_map", "").startswith("0:0:"):
            missing.append("no user namespace")
        if kv.get("seccomp") != "2":
            missing.append("no seccomp filter")
        try:
            if bin(int(kv.get("capbnd", "0"), 16)).count("1") > 20:
                missing.append("full capability bounding set")
        except ValueError:
            pass
        if missing:
            return (" — but this berth's default run had " + ", ".join(missing) +
                    " (see the probe): not yet its full default confinement")
    return ""


def machine():
    cpu = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = 0
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal:"):
            mem = int(line.split()[1]) / 1024 / 1024
    cg = "hybrid (v1 controllers, v2 at /sys/fs/cgroup/unified)" if os.path.isdir(
        "/sys/fs/cgroup/unified") else ("v2" if os.path.exists("/sys/fs/cgroup/cgroup.controllers") else "v1")
    return cpu, os.cpu_count(), mem, cg


def sharedobjs_table(path):
    """OUT/a-sharedobjs.tsv (tool, count, names) -> markdown lines"""
    if not os.path.exists(path):
        return []
    lines = ["Shared objects each tool's binary maps at exec (`ldd`, the loader included, not the vdso; "
             "libraries opened later, such as NSS modules, not counted):", "",
             "| tool | shared objects | which |", "|---|---:|---|"]
    for line in open(path):
        tool, count, names = (line.rstrip("\n").split("\t") + ["", ""])[:3]
        lines.append(f"| {tool} | {count} | {names} |")
    return lines + [""]


def markdown(opts):
    out = opts["--out"]
    only = opts.get("--only", "a,b,c,d,e,p").split(",")
    md = []
    targets = []
    cpu, ncpu, mem, cg = machine()
    md += ["# berth benchmarks", "",
           f"Made {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} by "
           f"`{opts['--command']}` (as root).", "",
           "| machine | |", "|---|---|",
           f"| CPU | {cpu}, {ncpu} cores |", f"| memory | {mem:.1f} GiB |",
           f"| kernel | {platform.release()} |", f"| cgroups | {cg} |"]
    for v in opts.get("--versions", []):
        k, _, val = v.partition("=")
        md.append(f"| {k} | {val} |")
    if os.path.exists(f"{out}/load.txt"):
        loads = [line.split(" ", 2) for line in open(f"{out}/load.txt")]
        md.append("| load (1/5/15 min) before → after | " +
                  "; ".join(f"{a[0]} {a[2].strip()}" for a in loads if a[1] == "load-before") + " |")
    md += ["", "Times are wall clock from fork to reap of the tool's command (bench-rr), tools run "
           "interleaved round-robin; CPU is user+sys of the command and all its descendants (bench-rr is their child subreaper, so processes a tool orphans are counted too; kernel work deferred to kernel threads, such as a network namespace's teardown, is counted for no tool). "
           "The machine is shared with other builds: compare ratios, not absolute numbers.", ""]

    if "a" in only:
        for kind, title in (("secure", "berth's default confinement and each tool's nearest equivalent"),
                            ("min", "the minimum each tool allows")):
            runs = read_tsv(f"{out}/a-{kind}.tsv")
            if not runs:
                continue
            md += [f"## a) start-to-exit of /bin/true: {title}", ""]
            t, med = timing_table(runs, "berth")
            md += t + [""] + probe_table(f"{out}/a-{kind}-probe.tsv")
            if kind == "secure":
                md += ["berth: its defaults (no [Security] or [Network] section). crun and runc: the "
                       "same OCI config.json (user namespace 0→524288/64K without idmapping the root, "
                       "pid/net/ipc/uts/mount/cgroup namespaces, podman's 11 capabilities, no_new_privs, "
                       "Docker's masked and read-only paths, podman's seccomp profile). systemd-nspawn: "
                       "`--private-users=pick --private-network --register=no --keep-unit` (its own "
                       "seccomp filter and capability set). bwrap: `--unshare-all` (a one-uid user "
                       "namespace), podman's capabilities, masked paths, berth's seccomp program when "
                       "it could be exported. The probe table shows what each actually applied.", ""]
                md += sharedobjs_table(f"{out}/a-sharedobjs.tsv")
                if "berth" in med and "crun" in med:
                    targets.append(f"berth with full default confinement within crun's time: berth "
                                   f"{fmt(med['berth'])} ms vs crun {fmt(med['crun'])} ms "
                                   f"({med['berth'] / med['crun']:.2f}x crun's; target ≤ 1.00x)"
                                   + berth_caveat(f"{out}/a-secure-probe.tsv"))
            else:
                md += ["berth: `PrivateUsers=no`, `NoNewPrivileges=no`, `Private=no` (the seccomp "
                       "allowlist cannot be turned off; `Capability=all` is refused on this host, whose "
                       "bounding set lacks some capabilities). crun/runc: a mount namespace and "
                       "/proc only. systemd-nspawn: its defaults (`--register=no --keep-unit`). bwrap: "
                       "`--ro-bind ROOT /`.", ""]
                sec = read_tsv(f"{out}/a-secure.tsv")
                if "berth" in sec:
                    # issue 16: berth with everything on against the peers with everything off
                    bw = pct([w for w, _ in sec["berth"]], 50)
                    bc = pct([c for _, c in sec["berth"]], 50)
                    for peer, goal in (("crun", 1.0), ("bwrap", 1.25)):
                        if peer in runs:
                            pw = pct([w for w, _ in runs[peer]], 50)
                            pc = pct([c for _, c in runs[peer]], 50)
                            targets.append(f"berth (full default confinement) against {peer} with the minimum "
                                           f"it allows: {fmt(bw)} ms vs {fmt(pw)} ms wall "
                                           f"({bw / pw:.2f}x; target ≤ {goal:.2f}x), CPU per start "
                                           f"{fmt(bc)} ms vs {fmt(pc)} ms ({bc / pc if pc else 0:.2f}x)"
                                           + berth_caveat(f"{out}/a-secure-probe.tsv"))
                if "berth" in med and "systemd-nspawn" in med:
                    if "berth" in sec:
                        b = pct([w for w, _ in sec["berth"]], 50)
                        targets.append(f"berth (full default confinement) at least 5x faster than "
                                       f"systemd-nspawn with its defaults: {med['systemd-nspawn'] / b:.1f}x "
                                       f"({fmt(b)} ms vs {fmt(med['systemd-nspawn'])} ms; target ≥ 5x)"
                                       + berth_caveat(f"{out}/a-secure-probe.tsv"))

    if "b" in only:
        runs = read_tsv(f"{out}/b-systemd.tsv")
        md += ["## b) start-to-exit through systemd (test bed 1)", ""]
        if runs:
            ref = "berth@.service" if "berth@.service" in runs else next(iter(runs))
            t, _ = timing_table(runs, ref, label="unit")
            md += t + ["", "Each command runs inside test bed 1 (systemd 252 as PID 1 in namespaces) and "
                       "returns when the unit has run /bin/true and stopped. `systemd-run (floor)` runs "
                       "/bin/true itself in a transient service: what systemd alone costs.", ""]
            bmed = {n: pct([w for w, _ in r], 50) for n, r in runs.items()}
            if "berth@.service" in bmed and "systemd-nspawn@.service" in bmed:
                b, ns = bmed["berth@.service"], bmed["systemd-nspawn@.service"]
                floor = bmed.get("systemd-run (floor)")
                targets.append(f"under systemd, berth@.service at most 0.5x systemd-nspawn@.service: "
                               f"{fmt(b)} ms vs {fmt(ns)} ms ({b / ns:.2f}x; target ≤ 0.50x)"
                               + (f"; systemd's own floor (systemd-run of /bin/true) {fmt(floor)} ms, "
                                  f"berth above it {fmt(b - floor)} ms" if floor else ""))
        else:
            md += ["Not measured in this run (see notes).", ""]

    if "c" in only:
        rows = []
        for f in sorted(os.listdir(out)):
            if f.startswith("c-") and f.endswith(".tsv") and not f.endswith("-chown.tsv"):
                n = int(f[2:-4])
                runs = read_tsv(f"{out}/{f}")
                runs.update(read_tsv(f"{out}/c-{n}-chown.tsv"))
                m = {k: (pct([w for w, _ in r], 50), pct([w for w, _ in r], 90)) for k, r in runs.items()}
                rows.append((n, m))
        rows.sort()
        if rows:
            md += ["## c) ID mapping cost as the root grows", "",
                   "| files | idmapped mount median ms | p90 ms | chown -R median ms | p90 ms | chown / idmap | "
                   "berth run median ms | p90 ms |",
                   "|---:|---:|---:|---:|---:|---:|---:|---:|"]
            for n, m in rows:
                i = m.get("idmapped-mount", (None, None))
                c = m.get("chown-R", (None, None))
                b = m.get("berth-run", (None, None))
                ratio = f"{c[0] / i[0]:.0f}x" if i[0] and c[0] else "–"
                md.append(f"| {n} | {fmt(i[0])} | {fmt(i[1])} | {fmt(c[0])} | {fmt(c[1])} | {ratio} | "
                          f"{fmt(b[0])} | {fmt(b[1])} |")
            md += ["", "idmapped mount and berth run interleaved, chown -R in a round of its own. idmapped mount: a fresh user namespace, open_tree + mount_setattr(MOUNT_ATTR_IDMAP) "
                   "+ move_mount + umount in a private mount namespace, the owner checked. chown -R: "
                   "lchown of every entry (nftw), alternating between two ranges so each run rewrites "
                   "every inode. berth run: its default `/bin/true` run on a copy of the bench root "
                   "holding that many more files (the probe in a) shows whether this berth maps IDs). "
                   "Trees of 100 empty files per directory on a fresh ext4 (in a memory-backed image, so "
                   "the disk's latency is not in the numbers; on a real disk chown -R costs more).", ""]
            for key, what in (("idmapped-mount", "idmapped mount"), ("berth-run", "berth run")):
                first, last = rows[0][1].get(key), rows[-1][1].get(key)
                if first and last:
                    targets.append(f"ID mapping cost flat in root size ({what}): {fmt(first[0])} ms at "
                                   f"{rows[0][0]} files, {fmt(last[0])} ms at {rows[-1][0]} files "
                                   f"({last[0] / first[0]:.2f}x; target ≈ 1x)"
                                   + (berth_caveat(f"{out}/a-secure-probe.tsv") if key == "berth-run" else ""))

    if "d" in only:
        rows = []
        for f in sorted(os.listdir(out)):
            if f.startswith("d-") and f.endswith(".json"):
                d = json.load(open(f"{out}/{f}"))
                cli = read_tsv(f"{out}/d-{d['n']}-cli.tsv")
                rows.append((d, cli))
        rows.sort(key=lambda x: x[0]["n"])
        if rows:
            md += ["## d) density: idle containers at once", "",
                   "| containers | up | start all s | stop all s | supervisor PSS KiB per container | other "
                   "berth processes (PSS KiB total) | berth list median / p90 ms | berth status median / p90 ms |",
                   "|---:|---:|---:|---:|---:|---:|---:|---:|"]
            for d, cli in rows:
                def mp(name):
                    r = cli.get(name)
                    return f"{fmt(pct([w for w, _ in r], 50))} / {fmt(pct([w for w, _ in r], 90))}" if r else "–"
                per = d["supervisor_pss_kib_per_container"]
                stop = f"{out}/d-{d['n']}-stop-usec.txt"
                stop = f"{int(open(stop).read()) / 1e6:.1f}" if os.path.exists(stop) else "–"
                md.append(f"| {d['n']} | {d['up']} | {d['start_all_usec'] / 1e6:.1f} | {stop} | "
                          + (f"{per:.0f} |" if per is not None else "– |"))
                md[-1] += (f" {d['other_berth_processes']} ({d['other_pss_kib_total']}) | {mp('berth-list')} | "
                           f"{mp('berth-status')} |")
            md += ["", "`berth run --register=no` of an idle shell (`sleep 3600 & wait`, exits on SIGTERM) "
                   "with default confinement, all started at once; up = supervisors whose payload runs; "
                   "PSS from /proc/PID/smaps_rollup of each supervisor once every payload runs; stop = "
                   "SIGTERM to every supervisor until all have exited.", ""]
            big = rows[-1]
            if big[0]["supervisor_pss_kib_per_container"] is not None:
                targets.append(f"supervisor under 1 MiB PSS per container: "
                               f"{big[0]['supervisor_pss_kib_per_container']:.0f} KiB at {big[0]['n']} "
                               f"containers (target < 1024 KiB)")
            if "berth-list" in big[1]:
                targets.append(f"`berth list` under 50 ms with {big[0]['n']} containers: "
                               f"{fmt(pct([w for w, _ in big[1]['berth-list']], 50))} ms median (target < 50 ms"
                               f"{'' if big[0]['n'] >= 500 else ', measured at 500'})")

    if "e" in only:
        runs = read_tsv(f"{out}/e-seccomp.tsv")
        if runs:
            md += ["## e) seccomp filter: compile and load (default allowlist)", ""]
            ref = "build+compile+load" if "build+compile+load" in runs else next(iter(runs))
            t, _ = timing_table(runs, ref, label="step", unit="µs")
            md += t + ["", "Through the core library (src/security/seccomp-filter.h), default config and "
                       "capability set. build: seccomp_build_filter() (libseccomp rules); compile: "
                       "seccomp_filter_export() (BPF generation, in the supervisor before the root is "
                       "touched); load: seccomp_bpf_load() of that BPF in a fresh child (what a start pays "
                       "there); load-lib-allowlist: the same with libseccomp's allowlist program in place of "
                       "berth's own (src/security/seccomp-bpf.c; what a start paid before issue 16's "
                       "generator); seccomp_load: libseccomp's own load of the argument programs, which "
                       "generates their BPF again (what berth paid there before it loaded its own BPF); cache-read: "
                       "seccomp_compile() answered from the cache (key, read, checks); build+compile+load: "
                       "a first start; cache+load: every later start of a filter seen before. "
                       "The CPU column is not measured here (0).", ""]

    if "p" in only and os.path.exists(f"{out}/p-stat-berth.csv"):
        md += ["## p) profile of `berth run` (default config, /bin/true)", ""]
        stats = {}
        for tool in ("berth", "crun"):
            path = f"{out}/p-stat-{tool}.csv"
            if os.path.exists(path):
                for line in open(path):
                    f = line.strip().split(",")
                    if len(f) > 3 and not line.startswith("#"):
                        stats.setdefault(tool, {})[f[2]] = f[0]
        if stats:
            md += ["`perf stat -r REPS` (whole process tree; task-clock is CPU time, not wall time):", "",
                   "| tool | task-clock ms | page faults | context switches |", "|---|---:|---:|---:|"]
            for tool, st in stats.items():
                md.append(f"| {tool} | {st.get('task-clock', '–')} | {st.get('page-faults', '–')} | "
                          f"{st.get('context-switches', '–')} |")
            md.append("")
        for name, title in (("p-dso.txt", "CPU samples by object (`perf record -e cpu-clock`, every process "
                                          "of the runs)"),
                            ("p-sym.txt", "Hottest functions in the berth processes (self time, ≥ 1%)"),
                            ("p-syscalls.txt", "System calls of one run (`strace -f -c`, whole tree)")):
            path = f"{out}/{name}"
            if os.path.exists(path):
                text = [line.rstrip() for line in open(path) if line.strip() and not line.startswith("#")]
                if name == "p-sym.txt":
                    text = text[:25]
                if name == "p-syscalls.txt":
                    head, rows = text[:2], text[2:-2]
                    rows.sort(key=lambda r: -int(r.split()[3]) if len(r.split()) > 4 else 0)
                    text = head + rows[:15] + text[-2:]
                md += [f"{title}:", "", "```"] + text + ["```", ""]

    md += ["## Targets from issues 8 and 16 (reported, not asserted)", ""]
    md += [f"- {t}" for t in targets] if targets else ["- none measured in this run"]
    md.append("")
    if os.path.exists(f"{out}/notes.txt"):
        md += ["## Notes", ""] + [f"- {line.strip()}" for line in open(f"{out}/notes.txt") if line.strip()] + [""]
    print("\n".join(md))


def main(argv):
    if len(argv) < 2 or argv[1] != "markdown":
        sys.exit(__doc__)
    opts = {}
    key = None
    for a in argv[2:]:
        if a.startswith("--"):
            key = a
            opts[key] = [] if key == "--versions" else ""
        elif key == "--versions":
            opts[key].append(a)
        elif key:
            opts[key] = a
            key = None
    markdown(opts)


if __name__ == "__main__":
    main(sys.argv)
