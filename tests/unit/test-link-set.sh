#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The berth binary -- what every `berth run` and berth@.service loads -- links only what the run
# path uses (issue 16): its DT_NEEDED names none of libarchive or json-c, nor does the closure
# ldd resolves (which is what the dynamic loader maps), nor libcrypto (signatures, issue 18). Those belong to berth-import, which
# `berth import` executes; that path works from the build directory.
# Usage: test-link-set.sh BERTH BERTH_IMPORT TAP_SH
set -u
BERTH=$1 IMPORT=$2
. "$3"

needed() { readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }

berth_needed=$(needed "$BERTH")
check "readelf reads berth's dynamic section" test -n "$berth_needed"
diag "berth DT_NEEDED: $(echo $berth_needed)"
for lib in libarchive libjson-c libcrypto libssl; do
        check_eq "berth's DT_NEEDED has no $lib" "$(grep -c "^$lib\." <<<"$berth_needed")" 0
done
closure=$(ldd "$BERTH" 2>&1)
diag "berth maps $(grep -c . <<<"$closure") shared objects (ldd lines, vdso and loader included)"
for lib in libarchive libjson-c libcrypto libssl libxml2 libicuuc libstdc++; do
        check_eq "berth's ldd closure has no $lib" "$(grep -c "^[[:space:]]*$lib\." <<<"$closure")" 0
done
# libselinux (and the libpcre2 it needs) is dlopen()ed only where SELinux is on (issue 16).
for lib in libselinux libpcre2-8; do
        check_eq "berth's ldd closure has no $lib (opened on demand)" "$(grep -c "^[[:space:]]*$lib\." <<<"$closure")" 0
done

import_needed=$(needed "$IMPORT")
# libcrypto (issue 18): cosign signatures are verified in berth-import only.
for lib in libarchive libjson-c libcrypto; do
        check "berth-import links $lib" grep -q "^$lib\." <<<"$import_needed"
done
out=$("$BERTH" import --help 2>&1)
check_eq "berth import --help runs berth-import: exit status 0" $? 0
check "berth import --help prints import's help" grep -q '^berth import \[OPTIONS...\] NAME --oci DIR\[:TAG\]$' <<<"$out"
"$BERTH" import >/dev/null 2>&1
check_eq "berth import without arguments: berth-import's usage status 2" $? 2

tap_done
