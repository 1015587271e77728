#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds berth.pp from policy/selinux/berth.{te,if,fc} with the distribution's policy development
# Makefile (Debian: selinux-policy-dev). The Makefile works in its current directory, so the
# sources are copied to a scratch directory first.
# usage: build-module.sh SRCDIR OUTPUT [MAKEFILE]
set -eu
src=$1 out=$2 makefile=${3:-/usr/share/selinux/devel/Makefile}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$src/berth.te" "$src/berth.if" "$src/berth.fc" "$tmp/"
make -s -C "$tmp" -f "$makefile" berth.pp >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
cp "$tmp/berth.pp" "$out"
