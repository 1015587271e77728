#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The vm suite (meson test --suite vm): one boot of the VM test bed in the SELinux mode given
# (permissive | enforcing), running every guest check of tests/vm/guest-checks.sh in that boot.
# Builds or reuses the image (build-image.sh), copies the berth of this build into a job directory,
# boots it (vm-run.sh) and relays the guest's TAP lines as its own, prefixed with the mode.
# Env: BERTH_BUILD_ROOT / BERTH_SOURCE_ROOT (set by meson), BERTH_VM_CACHE (image cache),
# BERTH_VM_KEEP=1 keeps the whole job directory (disks and copies too), also when everything
# passed; after a failure only its logs stay (the prepared roots' qcow2 overlays the guest wrote
# to and the copied tree would cost hundreds of MB in /var/tmp per failed run).
set -u
mode=${1:?usage: vm-test.sh permissive|enforcing}
here=$(dirname "$(readlink -f "$0")")
src=${BERTH_SOURCE_ROOT:-$(readlink -f "$here/../..")}
build=${BERTH_BUILD_ROOT:-$src/build}
. "$src/tests/lib/tap.sh"
. "$here/tap-relay.sh"

job=$(mktemp -d /var/tmp/berth-vm-job.XXXXXX)
keep=${BERTH_VM_KEEP:-0}
finish() {
        if [ "$keep" = 1 ]; then
                diag "job directory kept: $job"
        elif [ "$TAP_FAILED" -gt 0 ]; then
                rm -rf "$job/root" "$job/src" "$job/build" "$job"/prepared/*.qcow2
                diag "logs kept for debugging: $job (console.log, out.log, *.log)"
        else
                rm -rf "$job"
        fi
}
trap finish EXIT

# Tools and image. A missing tool is a failure with the package to install, never a skip.
for tool in qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils mmdebstrap:mmdebstrap mkfs.ext4:e2fsprogs \
        setfattr:attr; do
        if ! command -v "${tool%%:*}" > /dev/null; then
                fail "[$mode] ${tool%%:*} is installed (apt-get install --no-install-recommends ${tool#*:})"
                tap_done
                exit 1
        fi
done
[ -x "$build/berth" ] || { fail "[$mode] berth is built in $build"; tap_done; exit 1; }

# berth's SELinux module(s) as built by meson go into the image (semodule at build time).
mapfile -t modules < <(find "$build/policy/selinux" -maxdepth 1 -name '*.pp' 2> /dev/null | sort)
# The Debian packages of the shared libraries this build of berth links (they change as features land).
mapfile -t libpkgs < <(ldd "$build/berth" | awk '$3 ~ /^\// { print $3 }' | while read -r lib; do
        dpkg -S "$lib" 2> /dev/null || dpkg -S "$(readlink -f "$lib")" 2> /dev/null ||
                dpkg -S "$(readlink -f "$lib" | sed 's|^/usr||')" 2> /dev/null || echo "unpackaged:$lib" >&2
done | cut -d: -f1 | sort -u | sed 's/^/--package=/')
t0=$(date +%s)
if img=$("$here/build-image.sh" "${libpkgs[@]}" "${modules[@]}" 2> "$job/build-image.log"); then
        ok "[$mode] image ready in $(($(date +%s) - t0))s: $img"
        sed -n 's/^build-image: /# image: /p' "$job/build-image.log"
else
        fail "[$mode] image build"
        sed 's/^/# /' "$job/build-image.log" | tail -n 30
        tap_done
        exit 1
fi

# The job: this build of berth installed the way a package would be (binary, units, generator,
# policy) into job/root for the guest to copy into its /, the checks, the TAP helpers.
if ! meson install -C "$build" --destdir "$job/root" --no-rebuild --quiet > "$job/install.log" 2>&1; then
        fail "[$mode] meson install of this build into the job directory"
        sed 's/^/# /' "$job/install.log" | tail -n 20
        tap_done
        exit 1
fi
cp "$here/guest-checks.sh" "$here/tap-relay.sh" "$src/tests/lib/tap.sh" "$job/"

# The system suite (tests/system) runs in the guest too, on real cgroup v2 and SELinux. Every
# test of meson's "system" suite goes through tests/system/bed.sh SRC BUILD SCRIPT ARGS; the guest
# already has systemd as PID 1, so it runs SCRIPT ARGS the way bed.sh does inside bed 1 (a
# service of the manager with BERTH_SRC, BERTH_BUILD, BED_SHARE), on copies of the source's
# tests/, units/ and policy/ and of the build's tests/ (job/src, job/build).
mkdir -p "$job/src" "$job/build"
cp -R "$src/tests" "$src/units" "$src/policy" "$job/src/"
[ -d "$build/tests" ] && cp -R "$build/tests" "$job/build/"
if ! python3 - "$src" "$build" > "$job/system-tests" 2> "$job/system-tests.err" <<'PY'
import json, os, subprocess, sys
src, build = (os.path.realpath(p) for p in sys.argv[1:])
def rel(p):
    p = os.path.normpath(p)
    for root, name in ((build, "build"), (src, "src")):
        if p == root or p.startswith(root + "/"):
            return name + p[len(root):]
    return p
for t in json.loads(subprocess.check_output(["meson", "introspect", "--tests", build])):
    if not any(s.split(":")[-1] == "system" for s in t["suite"]):
        continue
    cmd = t["cmd"]
    # Bed 1 only: tests that boot their own bed (system-poweroff, system-creds-boot) and those
    # marked BERTH_VM=no, which check systemd's semantics, not what only the guest's cgroup v2
    # controllers and SELinux enforce; they keep the guest's run inside its time budget.
    if (t.get("env") or {}).get("BERTH_VM") == "no" or not cmd[0].endswith("tests/system/bed.sh"):
        continue
    if len(cmd) < 4:
        sys.exit(f"system test {t['name']} does not run a script through tests/system/bed.sh: {cmd}")
    env = ";".join(f"{k}={rel(v)}" for k, v in sorted((t.get("env") or {}).items()))
    print("\t".join([t["name"], env or "-"] + [rel(a) for a in cmd[3:]]))
PY
then
        fail "[$mode] list the system suite's tests for the guest"
        sed 's/^/# /' "$job/system-tests.err"
fi
# BERTH_VM_SYSTEM_TESTS=REGEX (debugging): only the system tests whose name matches run.
if [ -n "${BERTH_VM_SYSTEM_TESTS+set}" ]; then
        if [ -n "$BERTH_VM_SYSTEM_TESTS" ]; then
                grep -E "^(${BERTH_VM_SYSTEM_TESTS})"$'\t' "$job/system-tests" > "$job/system-tests.new"
        else
                : > "$job/system-tests.new"
        fi
        mv "$job/system-tests.new" "$job/system-tests"
        printf '%s\n' "$BERTH_VM_SYSTEM_TESTS" > "$job/system-tests.filter"
fi

# Prepared roots (BED_PREPARE): as bed.sh does for bed 1, the host runs a system test's
# BED_PREPARE command (once for all the tests naming it) and the directory it prints reaches the
# guest at the same path, given to the test as BED_PREPARED. Under TCG, copying a Debian root
# through 9p and the guest's tar costs minutes; instead the directory becomes an ext4 image
# (mkfs.ext4 -d keeps owners, modes and xattrs), cached under $BERTH_VM_CACHE/prepared by the
# directory's identity, and the guest gets a qcow2 overlay of it as a virtio disk (serial pN,
# vm-run.sh attaches JOB/prepared/*.qcow2) that it mounts at the same path, below a root-only
# 0700 directory as Directory= requires. Writes (SELinux relabel at start) go to the overlay.
vm_cache=${BERTH_VM_CACHE:-/var/cache/berth-vm}
prepared_image() { # DIR: prints the path of the cached ext4 image of DIR, making it when missing
        local dir=$1 key img tmp size files
        key=$(stat -c '%n %i %Y' "$dir" "$dir/.complete" 2> /dev/null | sha256sum | cut -c1-16)
        img=$vm_cache/prepared/$key.img
        mkdir -p "$vm_cache/prepared"
        (
                flock 9
                [ -f "$img" ] && exit 0
                size=$(du -sm "$dir" | cut -f1)
                files=$(find "$dir" -xdev | wc -l)
                tmp=$img.tmp.$$
                mkfs.ext4 -q -F -N $((files * 5 / 4 + 1024)) -d "$dir" "$tmp" $((size * 5 / 4 + 128))M > /dev/null &&
                        mv "$tmp" "$img" || { rm -f "$tmp"; exit 1; }
                # the newest 4 are kept (several checkouts and root lists share the cache)
                ls -t "$vm_cache"/prepared/*.img | tail -n +5 | xargs -r rm -f
        ) 9> "$vm_cache/prepared/.lock" || return 1
        echo "$img"
}
mkdir -p "$job/prepared"
: > "$job/prepared/list"
declare -A prepared=()
# The enforcing boot runs only the system tests that prove a policy fact no other check does
# (BERTH_VM_ENFORCING_TESTS, a regex of names; default system-boot-debian: a booted Debian under
# Boot=yes in berth_container_t), to stay inside its time budget; guest-checks.sh asserts that
# they caused no AVC denial of berth_container_t.
if [ "$mode" != permissive ]; then
        enforcing_tests=${BERTH_VM_ENFORCING_TESTS-system-boot-debian}
        if [ -n "$enforcing_tests" ]; then
                grep -E "^(${enforcing_tests})"$'\t' "$job/system-tests" > "$job/system-tests.new"
        else
                : > "$job/system-tests.new"
        fi
        mv "$job/system-tests.new" "$job/system-tests"
        [ -n "${BERTH_VM_ENFORCING_TESTS+set}" ] && printf '%s\n' "$enforcing_tests" > "$job/system-tests.filter"
fi
while IFS=$'\t' read -r -a t; do
        cmd=$(tr ';' '\n' <<< "${t[1]}" | sed -n 's/^BED_PREPARE=//p')
        if [ -z "$cmd" ] || [ -n "${prepared[$cmd]+set}" ]; then
                printf '%s\n' "$(IFS=$'\t'; echo "${t[*]}")" >> "$job/system-tests.new"
                continue
        fi
        case $cmd in src/*) host_cmd=$src/${cmd#src/} ;; build/*) host_cmd=$build/${cmd#build/} ;; *) host_cmd=$cmd ;; esac
        t1=$(date +%s)
        n=p$((${#prepared[@]} + 1))
        if dir=$("$host_cmd" 2>> "$job/prepare.log") && [ -d "$dir" ] && pimg=$(prepared_image "$dir" 2>> "$job/prepare.log") &&
                qemu-img create -q -f qcow2 -F raw -b "$pimg" "$job/prepared/$n.qcow2" >> "$job/prepare.log" 2>&1; then
                prepared[$cmd]=$n
                printf '%s\t%s\t%s\n' "$cmd" "$n" "$dir" >> "$job/prepared/list"
                ok "[$mode] BED_PREPARE $cmd on the host: $dir as disk $n in $(($(date +%s) - t1))s"
                printf '%s\n' "$(IFS=$'\t'; echo "${t[*]}")" >> "$job/system-tests.new"
        else
                prepared[$cmd]=failed
                # A failure, never a skip: the tests needing it cannot run (bed.sh bails out too).
                fail "[$mode] BED_PREPARE $cmd on the host (see $job/prepare.log)"
                tail -n 5 "$job/prepare.log" | sed 's/^/# /'
        fi
done < "$job/system-tests"
# Tests whose BED_PREPARE failed earlier in the list are dropped too (failed once above).
touch "$job/system-tests.new"
while IFS=$'\t' read -r -a t; do
        cmd=$(tr ';' '\n' <<< "${t[1]}" | sed -n 's/^BED_PREPARE=//p')
        [ -n "$cmd" ] && [ "${prepared[$cmd]}" = failed ] && continue
        printf '%s\n' "$(IFS=$'\t'; echo "${t[*]}")"
done < "$job/system-tests.new" > "$job/system-tests"
rm -f "$job/system-tests.new"
printf '#!/bin/sh\nexec ./guest-checks.sh %s\n' "$mode" > "$job/run.sh"
chmod +x "$job/run.sh" "$job/guest-checks.sh"

"$here/vm-run.sh" --selinux="$mode" --timeout=1700 "$img" "$job" > "$job/relay.out" 2> "$job/vm-run.log"
rc=$?
sed 's/^vm-run: /# vm-run: /' "$job/vm-run.log"
if [ "$rc" -ge 124 ] && [ "$rc" -le 126 ]; then
        fail "[$mode] the guest booted and ran the job (vm-run exit $rc; see $job/console.log)"
        # What the guest got through before the timeout (its plan is missing: a failure too).
        [ -s "$job/out.log" ] && tap_relay "[$mode] " "$job/out.log"
        tap_done
        exit 1
fi

# The guest's checks become ours; a missing or short plan is a failure.
tap_relay "[$mode] " "$job/relay.out"
if [ "$rc" -ne 0 ] && [ "$RELAY_FAILED" -eq 0 ]; then
        fail "[$mode] guest job exit status $rc without a failed check"
fi
tap_done
