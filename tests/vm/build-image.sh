#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds the Debian bookworm image of the VM test bed (bed 2 of the test-bed notes), or reuses a
# cached one. Usage: build-image.sh [SELINUX-MODULE...]   (each a .pp or .cil file, e.g. berth's)
#
# Two cached stages, each keyed by a hash of its inputs:
#   base-HASH.tar  mmdebstrap of image-packages with guest/ customisations (the slow part, ~45 s);
#                  HASH covers this script, image-packages, guest/* and the mirror lines.
#   img-HASH/      rootfs.img (ext4, labelled offline), vmlinuz, initrd.img, build-times;
#                  HASH covers the base hash and the SELinux modules given (~10 s to redo).
# The cache lives in $BERTH_VM_CACHE (default /var/cache/berth-vm), outside the git tree, so
# repeated runs on one machine reuse it and a fresh machine builds it.
# Prints the image directory on stdout; progress and timings on stderr. Needs root.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
cache=${BERTH_VM_CACHE:-/var/cache/berth-vm}
keep_images=3

say() { echo "build-image: $*" >&2; }
die() { say "error: $*"; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

[ "$(id -u)" = 0 ] || die "needs root (mmdebstrap, chroot, mkfs.ext4 -d with SELinux xattrs)"
for tool in mmdebstrap:mmdebstrap mkfs.ext4:e2fsprogs setfattr:attr tar:tar sha256sum:coreutils; do
        command -v "${tool%%:*}" > /dev/null ||
                die "${tool%%:*} not found: apt-get install --no-install-recommends ${tool#*:}"
done

modules=()
for m in "$@"; do
        [ -f "$m" ] || die "SELinux module $m does not exist"
        case $m in *.pp | *.cil) ;; *) die "SELinux module $m: expected a .pp or .cil file" ;; esac
        modules+=("$(readlink -f "$m")")
done

# Only Debian's archive, whatever else the build machine's apt is configured with.
mirrors=(${BERTH_VM_MIRROR:+"$BERTH_VM_MIRROR"})
[ ${#mirrors[@]} -gt 0 ] || mirrors=(
        "deb http://deb.debian.org/debian bookworm main"
        "deb http://deb.debian.org/debian bookworm-updates main"
        "deb http://deb.debian.org/debian-security bookworm-security main")
mapfile -t packages < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/image-packages")

base_key=$( {
        cat "$here/build-image.sh" "$here/image-packages"
        for f in "$here"/guest/*; do echo "$f" | sed "s|^$here/||"; cat "$f"; done
        printf '%s\n' "${mirrors[@]}"
} | sha256sum | cut -c1-16)
img_key=$( {
        echo "$base_key"
        for m in "${modules[@]}"; do basename "$m"; sha256sum < "$m"; done
} | sha256sum | cut -c1-16)
base=$cache/base-$base_key.tar
img=$cache/img-$img_key

mkdir -p "$cache"
exec 9> "$cache/.lock"
flock 9 # one build at a time; a second caller waits and then finds the image cached

if [ -f "$img/rootfs.img" ]; then
        say "cached image $img ($(cat "$img/build-times" 2>/dev/null || echo 'build time unknown'))"
        touch "$img"
        echo "$img"
        exit 0
fi

work=$(mktemp -d "$cache/.build.XXXXXX")
R=$work/root
cleanup() {
        mountpoint -q "$R/proc" 2> /dev/null && umount "$R/proc"
        rm -rf "$work"
}
trap cleanup EXIT

t0=$(now)
base_note="cached"
if [ ! -f "$base" ]; then
        say "building base $base with mmdebstrap (${#packages[@]} packages)"
        hooks=$here/guest
        mmdebstrap --variant=minbase --quiet \
                --include="$(IFS=,; echo "${packages[*]}")" \
                --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
                --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
                --essential-hook='mkdir -p "$1/etc/initramfs-tools/conf.d" "$1/usr/share/initramfs-tools/modules.d";
                        printf "MODULES=list\nCOMPRESS=gzip\n" > "$1/etc/initramfs-tools/conf.d/berth-vm";
                        printf "virtio_pci\nvirtio_blk\next4\ncrc32c_generic\n" > "$1/usr/share/initramfs-tools/modules.d/berth-vm"' \
                --customize-hook="\"$hooks/customize.sh\" \"\$1\"" \
                bookworm "$work/base.tar" "${mirrors[@]}" >&2 || die "mmdebstrap failed (network? mirror ${mirrors[0]})"
        mv "$work/base.tar" "$base"
        base_note="mmdebstrap $(secs "$t0" "$(now)")s"
fi
t1=$(now)

mkdir "$R"
tar -xpf "$base" --numeric-owner -C "$R"
kernel=$(ls "$R"/boot/vmlinuz-* 2> /dev/null | tail -n 1)
initrd=$(ls "$R"/boot/initrd.img-* 2> /dev/null | tail -n 1)
[ -n "$kernel" ] && [ -n "$initrd" ] || die "the image has no kernel or initrd in /boot (linux-image-amd64 in image-packages?)"

# SELinux: the 9p label module and the modules given, in one policy rebuild, then offline labelling
# (libselinux needs /proc in the chroot). Labelling in the guest would cost ~100 s and a reboot.
mkdir -p "$R/tmp/berth-vm-modules"
cp "$here/guest/berth-vm-9p.cil" "${modules[@]}" "$R/tmp/berth-vm-modules/"
mount -t proc proc "$R/proc"
args=()
for m in "$R"/tmp/berth-vm-modules/*; do args+=(-i "/tmp/berth-vm-modules/${m##*/}"); done
chroot "$R" semodule "${args[@]}" || die "semodule failed for ${modules[*]:-berth-vm-9p.cil}"
chroot "$R" setfiles -m -F -e /proc /etc/selinux/default/contexts/files/file_contexts /
umount "$R/proc"
rm -rf "$R/tmp/berth-vm-modules"
setfattr -n security.selinux -v system_u:object_r:proc_t:s0 "$R/proc"
t2=$(now)

mkdir "$work/img"
cp "$kernel" "$work/img/vmlinuz"
cp "$initrd" "$work/img/initrd.img"
# mkfs prints "Creating regular file" on stdout even with -q: stdout is the image path only.
mkfs.ext4 -q -F -L berth-vm -d "$R" "$work/img/rootfs.img" 2G >&2
t3=$(now)
times="built $(date -u +%FT%TZ): base $base_note, policy+labels $(secs "$t1" "$t2")s, mkfs $(secs "$t2" "$t3")s, total $(secs "$t0" "$t3")s"
echo "$times" > "$work/img/build-times"
printf '%s\n' "${modules[@]}" > "$work/img/modules"
mv "$work/img" "$img"
say "$times"

# Keep the cache bounded: the newest images, and only the base they were built from.
ls -1dt "$cache"/img-* | tail -n +$((keep_images + 1)) | xargs -r rm -rf
for b in "$cache"/base-*.tar; do [ "$b" = "$base" ] || rm -f "$b"; done
echo "$img"
