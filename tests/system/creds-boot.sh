#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Credentials into a Boot=yes guest (issue 19), under systemd (test bed 1): a real Debian bookworm
# root with systemd 252, whose service credcheck.service asks its own init for the credentials
# (LoadCredential=ID without a path: the system credentials). Host side: makes (or reuses) that
# root (tests/lib/debian-boot-root.sh, cached, shared with system-boot-debian), copies it below
# the build directory with the test's unit, then boots bed 1 with creds-boot-bed.sh.
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
# The bootable root shared with system-boot-debian (one cache, made once), copied below the build
# directory (which bed 1 shares, so it can be idmapped there; 0700 as a Directory= root must sit
# below a root-only directory): the test writes its own unit into the copy, never into the cache.
if ! shared=$("$SRC/tests/lib/debian-boot-root.sh"); then
        echo "Bail out! could not make the Debian root (tests/lib/debian-root.sh: mmdebstrap, network)"
        exit 1
fi
cache=$BUILD/test-roots
root=$cache/creds-boot
mkdir -p "$cache" && chmod 0700 "$cache"
rm -rf "$root" "$root.tmp"
if ! cp -a --reflink=auto "$shared" "$root.tmp" || ! mv "$root.tmp" "$root"; then
        rm -rf "$root.tmp"
        echo "Bail out! could not copy the Debian root $shared to $root"
        exit 1
fi
# The test's own unit, in the fresh copy.
printf '%s\n' "$UNIT" >"$root/etc/systemd/system/credcheck.service"
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
ln -sfn ../credcheck.service "$root/etc/systemd/system/multi-user.target.wants/credcheck.service"
exec "$SRC/tests/system/bed.sh" "$SRC" "$BUILD" "$SRC/tests/system/creds-boot-bed.sh" "$root"
