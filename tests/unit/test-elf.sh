#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The berth binary is hardened (meson.build's hardening block), read from its ELF with readelf:
# a position-independent executable, full RELRO (GNU_RELRO segment and BIND_NOW), the stack
# protector referenced, fortified libc calls in an optimized unsanitized build; and
# `berth --version` claims exactly what the binary has.
# usage: test-elf.sh BERTH TAP_SH FORTIFY(true|false)
set -u
BERTH=$1
. "$2"
FORTIFY=$3

header=$(readelf -hW "$BERTH")
segments=$(readelf -lW "$BERTH")
dynamic=$(readelf -dW "$BERTH")
symbols=$(readelf --dyn-syms -W "$BERTH")
features=$("$BERTH" --version | sed -n 3p)
diag "berth --version: $features"
has() { grep -qE -- "$2" <<<"$1"; }
claims() { grep -qw -- "+$1" <<<" $features "; }

check "ELF type is DYN (a position-independent executable)" has "$header" '^ *Type: +DYN '
check "FLAGS_1 has PIE" has "$dynamic" '\(FLAGS_1\).* PIE( |$)'
check "a GNU_RELRO segment" has "$segments" '^ *GNU_RELRO '
check "BIND_NOW (FLAGS BIND_NOW or FLAGS_1 NOW): the GOT is read-only after start" \
        has "$dynamic" '\(FLAGS\).*BIND_NOW|\(FLAGS_1\).* NOW( |$)'
check "__stack_chk_fail is referenced (stack protector)" has "$symbols" ' UND __stack_chk_fail(@|$)'
if [ "$FORTIFY" = true ]; then
        n=$(grep -cE ' UND __[a-z0-9_]+_chk@' <<<"$symbols")
        check "fortified libc calls are referenced ($n __*_chk functions)" test "$n" -gt 0
else
        n=$(grep -cE ' UND __[a-z0-9_]+_chk@' <<<"$symbols")
        diag "not a fortified build (optimization off or sanitized): $n __*_chk functions"
fi

for f in PIE STACK-PROTECTOR-STRONG RELRO BIND-NOW; do
        check "berth --version claims +$f" claims "$f"
done
if [ "$FORTIFY" = true ]; then
        check "berth --version claims +FORTIFY=2" claims FORTIFY=2
else
        check "berth --version claims -FORTIFY=2" grep -qw -- "-FORTIFY=2" <<<"$features"
fi
check "berth --version lists the libraries" has "$("$BERTH" --version | sed -n 2p)" '\+SECCOMP .*\+SELINUX'
tap_done
