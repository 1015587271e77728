#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The vm suite (meson test --suite vm): one boot of the VM test bed in the SELinux mode given
# (permissive | enforcing), running every guest check of tests/vm/guest-checks.sh in that boot.
# Builds or reuses the image (build-image.sh), copies the berth of this build into a job directory,
# boots it (vm-run.sh) and relays the guest's TAP lines as its own, prefixed with the mode.
# Env: BERTH_BUILD_ROOT / BERTH_SOURCE_ROOT (set by meson), BERTH_VM_CACHE (image cache),
# BERTH_VM_KEEP=1 keeps the job directory (console.log, out.log) also when everything passed.
set -u
mode=${1:?usage: vm-test.sh permissive|enforcing}
here=$(dirname "$(readlink -f "$0")")
src=${BERTH_SOURCE_ROOT:-$(readlink -f "$here/../..")}
build=${BERTH_BUILD_ROOT:-$src/build}
. "$src/tests/lib/tap.sh"

job=$(mktemp -d /var/tmp/berth-vm-job.XXXXXX)
keep=${BERTH_VM_KEEP:-0}
finish() {
        if [ "$keep" = 1 ] || [ "$TAP_FAILED" -gt 0 ]; then
                diag "job directory kept for debugging: $job (console.log, out.log)"
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
t0=$(date +%s)
if img=$("$here/build-image.sh" "${modules[@]}" 2> "$job/build-image.log"); then
        ok "[$mode] image ready in $(($(date +%s) - t0))s: $img"
        sed -n 's/^build-image: /# image: /p' "$job/build-image.log"
else
        fail "[$mode] image build"
        sed 's/^/# /' "$job/build-image.log" | tail -n 30
        tap_done
        exit 1
fi

# The job: berth from this build, the checks, the TAP helpers.
mkdir -p "$job/bin"
cp "$build/berth" "$job/bin/berth"
cp "$here/guest-checks.sh" "$src/tests/lib/tap.sh" "$job/"
printf '#!/bin/sh\nexec ./guest-checks.sh %s\n' "$mode" > "$job/run.sh"
chmod +x "$job/run.sh" "$job/guest-checks.sh"

"$here/vm-run.sh" --selinux="$mode" --timeout=420 "$img" "$job" > "$job/relay.out" 2> "$job/vm-run.log"
rc=$?
sed 's/^vm-run: /# vm-run: /' "$job/vm-run.log"
if [ "$rc" -ge 124 ] && [ "$rc" -le 126 ]; then
        fail "[$mode] the guest booted and ran the job (vm-run exit $rc; see $job/console.log)"
        tap_done
        exit 1
fi

# Relay the guest's TAP: each check becomes one of ours; a missing or short plan is a failure.
plan=
seen=0
guest_failed=0
while IFS= read -r line; do
        case $line in
        "ok "*) seen=$((seen + 1)); ok "[$mode] $(echo "$line" | sed -E 's/^ok [0-9]+ - //')" ;;
        "not ok "*)
                seen=$((seen + 1)); guest_failed=$((guest_failed + 1))
                fail "[$mode] $(echo "$line" | sed -E 's/^not ok [0-9]+ - //')" ;;
        1..*) plan=${line#1..} ;;
        "#"*) echo "$line" ;;
        *) echo "# guest: $line" ;;
        esac
done < "$job/relay.out"
check_eq "[$mode] the guest ran every check it planned" "$seen" "${plan:-no plan}"
if [ "$rc" -ne 0 ] && [ "$guest_failed" -eq 0 ]; then
        fail "[$mode] guest job exit status $rc without a failed check"
fi
tap_done
