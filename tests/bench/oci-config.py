#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes an OCI runtime config.json for the bench root, used by crun and runc alike.

usage: oci-config.py secure|minimal ROOTFS OUT.json [--seccomp DOCKER-PROFILE.json] [--uid-base N]
        [-- ARGV...]

secure:  the nearest equivalent of berth's default confinement: user namespace (one 64K range),
         pid/net/ipc/uts/mount/cgroup namespaces, podman's 11 capabilities, no_new_privs,
         Docker's masked and read-only /proc paths, and the seccomp allowlist that podman hands
         crun/runc (containers-common's seccomp.json, converted to the OCI form for amd64).
minimal: the least a runtime accepts: a mount namespace, /proc, nothing else.
No rlimits (crun here refuses to raise them) and no cgroup resources (hybrid cgroups)."""
import json
import sys

# podman's default set (containers.conf default_capabilities: Docker's 14 less MKNOD, NET_RAW,
# AUDIT_WRITE)
PODMAN_CAPS = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
               "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID",
               "CAP_SYS_CHROOT"]
MASKED = ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
          "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
          "/sys/firmware", "/sys/devices/virtual/powercap"]
READONLY = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]


def seccomp_from_docker_profile(path, caps):
    """Docker/containers-common profile -> OCI linux.seccomp for amd64 with the given caps."""
    prof = json.load(open(path))
    out = {"defaultAction": prof["defaultAction"],
           "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
           "syscalls": []}
    if "defaultErrnoRet" in prof:
        out["defaultErrnoRet"] = prof["defaultErrnoRet"]
    for rule in prof["syscalls"]:
        inc = rule.get("includes") or {}
        exc = rule.get("excludes") or {}
        if inc.get("arches") and "amd64" not in inc["arches"]:
            continue
        if exc.get("arches") and "amd64" in exc["arches"]:
            continue
        if inc.get("caps") and not all(c in caps for c in inc["caps"]):
            continue
        if exc.get("caps") and any(c in caps for c in exc["caps"]):
            continue
        r = {"names": rule["names"], "action": rule["action"]}
        if rule.get("args"):
            r["args"] = [{k: a[k] for k in ("index", "value", "valueTwo", "op")} for a in rule["args"]]
        if "errnoRet" in rule:
            r["errnoRet"] = rule["errnoRet"]
        out["syscalls"].append(r)
    return out


def main(argv):
    args = argv[1:]
    payload = ["/bin/true"]
    if "--" in args:
        payload = args[args.index("--") + 1:]
        args = args[:args.index("--")]
    mode, rootfs, out_path = args[0], args[1], args[2]
    opts = dict(zip(args[3::2], args[4::2]))
    uid_base = int(opts.get("--uid-base", 524288))

    cfg = {
        "ociVersion": "1.0.2",
        "process": {"terminal": False, "user": {"uid": 0, "gid": 0}, "args": payload,
                    "env": ["PATH=/bin:/sbin:/usr/bin:/usr/sbin"], "cwd": "/"},
        "root": {"path": rootfs, "readonly": False},
        "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
        "linux": {"namespaces": [{"type": "mount"}]},
    }
    if mode == "secure":
        caps = PODMAN_CAPS
        cfg["hostname"] = "bench"
        cfg["process"]["capabilities"] = {k: caps for k in ("bounding", "effective", "permitted")}
        cfg["process"]["noNewPrivileges"] = True
        cfg["mounts"] += [
            {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
             "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
            {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
             "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
            {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
             "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
            {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
             "options": ["nosuid", "noexec", "nodev"]},
            {"destination": "/sys", "type": "sysfs", "source": "sysfs",
             "options": ["nosuid", "noexec", "nodev", "ro"]},
            {"destination": "/run", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "mode=755"]},
            {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "mode=1777"]},
        ]
        cfg["linux"] = {
            "namespaces": [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount", "cgroup", "user")],
            "uidMappings": [{"containerID": 0, "hostID": uid_base, "size": 65536}],
            "gidMappings": [{"containerID": 0, "hostID": uid_base, "size": 65536}],
            "maskedPaths": MASKED,
            "readonlyPaths": READONLY,
        }
        if "--seccomp" in opts:
            cfg["linux"]["seccomp"] = seccomp_from_docker_profile(opts["--seccomp"], caps)
    elif mode != "minimal":
        sys.exit(f"oci-config.py: unknown mode {mode}")
    with open(out_path, "w") as f:
        json.dump(cfg, f, indent=1)


if __name__ == "__main__":
    main(sys.argv)
