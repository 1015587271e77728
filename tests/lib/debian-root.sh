#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The one maker of cached Debian bookworm roots for tests: prints the path of a root made by
# mmdebstrap --variant=VARIANT --include=PKGS, making it first when it is not cached.
# Cache: $BERTH_TEST_ROOT_CACHE (default /var/cache/berth-test/roots, kept 0700, as a Directory=
# root must sit below a root-only directory), one directory per variant and package list, keyed
# by their hash (the same key for the same list: tests asking for the same root share it); made
# under a temporary name, then renamed, so a root is only used once complete; one maker at a
# time per key (flock). Exits non-zero when it cannot make the root: callers report a failure.
# Usage: debian-root.sh VARIANT PKG[,PKG...]   (e.g. minbase systemd,systemd-sysv,dbus,procps)
set -eu
[ $# = 2 ] || { echo "usage: debian-root.sh VARIANT PKG[,PKG...]" >&2; exit 2; }
variant=$1 pkgs=$2
cache=${BERTH_TEST_ROOT_CACHE:-/var/cache/berth-test/roots}
key=$(printf 'bookworm %s %s\n' "$variant" "$pkgs" | sha256sum | cut -c1-16)
mkdir -p "$cache"
chmod 0700 "$(dirname "$cache")" "$cache"
root=$cache/$key
if [ -f "$root/.complete" ]; then
        echo "$root"
        exit 0
fi
command -v mmdebstrap >/dev/null || { echo "mmdebstrap is not installed (apt-get install mmdebstrap)" >&2; exit 2; }
exec 9>"$cache/.lock-$key"
flock 9
if [ ! -f "$root/.complete" ]; then
        tmp=$cache/.tmp-$key-$$
        rm -rf "$tmp"
        mmdebstrap --quiet --variant="$variant" --include="$pkgs" bookworm "$tmp" >&2 || { rm -rf "$tmp"; exit 1; }
        touch "$tmp/.complete"
        rm -rf "$root"
        mv "$tmp" "$root"
fi
echo "$root"
