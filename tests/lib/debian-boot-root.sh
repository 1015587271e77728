#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Prints the path of a cached bootable Debian bookworm root (mmdebstrap --variant=minbase with
# systemd, systemd-sysv, dbus, procps: what Boot=yes runs), making it first when not cached.
# Cache: $BERTH_TEST_ROOT_CACHE (default /var/cache/berth-test/roots, kept 0700, as a Directory=
# root must sit below a root-only directory), one directory per package list keyed by its hash;
# a root is used only once complete (made under a temporary name, then renamed).
set -eu
pkgs=systemd,systemd-sysv,dbus,procps
cache=${BERTH_TEST_ROOT_CACHE:-/var/cache/berth-test/roots}
key=$(printf 'bookworm minbase %s\n' "$pkgs" | sha256sum | cut -c1-16)
mkdir -p "$cache"
chmod 0700 "$(dirname "$cache")" "$cache"
root=$cache/$key
if [ -f "$root/.complete" ]; then
        echo "$root"
        exit 0
fi
command -v mmdebstrap >/dev/null || { echo "mmdebstrap is not installed" >&2; exit 2; }
exec 9>"$cache/.lock-$key"
flock 9
if [ ! -f "$root/.complete" ]; then
        tmp=$cache/.tmp-$key-$$
        rm -rf "$tmp"
        mmdebstrap --quiet --variant=minbase --include="$pkgs" bookworm "$tmp" >&2 || { rm -rf "$tmp"; exit 1; }
        touch "$tmp/.complete"
        rm -rf "$root"
        mv "$tmp" "$root"
fi
echo "$root"
