#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Credentials into a Boot=yes guest (issue 19), under systemd (test bed 1): a real Debian bookworm
# root with systemd 252, whose service credcheck.service asks its own init for the credentials
# (LoadCredential=ID without a path: the system credentials). Host side: makes (or reuses) that
# root, then boots bed 1 with creds-boot-bed.sh. The root is cached below the build directory
# (which bed 1 shares, so it can be idmapped there), in a 0700 directory, keyed by its packages.
# usage: creds-boot.sh SOURCE_DIR BUILD_DIR
set -u
SRC=$1 BUILD=$2
# The guest's service: sha256 digests of what its init passed it, into /out (a Bind= of the bed's).
UNIT='[Unit]
Description=berth credentials check
[Service]
Type=oneshot
LoadCredential=token
LoadCredential=sealed
ExecStart=/bin/sh -c '"'"'for c in token sealed; do echo "$$c=$$(sha256sum <"$$CREDENTIALS_DIRECTORY/$$c" | cut -c1-16)"; done >/out/result'"'"'
[Install]
WantedBy=multi-user.target'
PKGS=systemd,systemd-sysv,dbus
cache=$BUILD/test-roots
key=$(printf 'bookworm minbase %s\n' "$PKGS" | sha256sum | cut -c1-16)
root=$cache/$key
mkdir -p "$cache" && chmod 0700 "$cache"
if [ ! -f "$root/.complete" ]; then
        if ! command -v mmdebstrap >/dev/null; then
                echo "1..0 # SKIP mmdebstrap is not installed (apt-get install mmdebstrap)"
                exit 0
        fi
        exec 9>"$cache/.lock-$key"
        flock 9
        if [ ! -f "$root/.complete" ]; then
                tmp=$cache/.tmp-$key-$$
                rm -rf "$tmp"
                if ! mmdebstrap --quiet --variant=minbase --include="$PKGS" bookworm "$tmp" >"$cache/.log-$key" 2>&1; then
                        rm -rf "$tmp"
                        echo "1..0 # SKIP could not build a Debian root (network?), see $cache/.log-$key"
                        exit 0
                fi
                touch "$tmp/.complete"
                mv "$tmp" "$root"
        fi
        exec 9>&-
fi
# The test's own unit, written each run (the cache is keyed by the packages only).
printf '%s\n' "$UNIT" >"$root/etc/systemd/system/credcheck.service"
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
ln -sfn ../credcheck.service "$root/etc/systemd/system/multi-user.target.wants/credcheck.service"
exec "$SRC/tests/system/bed.sh" "$SRC" "$BUILD" "$SRC/tests/system/creds-boot-bed.sh" "$root"
