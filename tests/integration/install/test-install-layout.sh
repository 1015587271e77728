#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# `meson install` puts every file where Debian expects it: configures a fresh build with
# --prefix=/usr (as a Debian package would), installs it into a temporary DESTDIR, and compares
# each file's place with the directory Debian's own packages name (pkg-config of systemd,
# bash-completion and fish; the directory systemd's own zsh completions use). Nothing else may
# be installed. The installed berth must run, and so must the one in the build directory.
# Usage: test-install-layout.sh SOURCE_ROOT BUILD_DIR TAP_SH
set -u
src=$1 build=$2
. "$3"

T=$(mktemp -d /tmp/berth-test-install.XXXXXX)
trap 'rm -rf "$T"' EXIT

quiet() { "$@" >/dev/null 2>&1; }
check "berth runs from the build directory" quiet "$build/berth" --version
check "berth --help runs from the build directory" quiet "$build/berth" --help

if ! meson setup "$T/build" "$src" --prefix=/usr >"$T/log" 2>&1 ||
        ! meson install -C "$T/build" --destdir "$T/root" >>"$T/log" 2>&1; then
        fail "meson setup and install with --prefix=/usr"
        diag "$(tail -20 "$T/log")"
        tap_done
        exit
fi
ok "meson setup and install with --prefix=/usr"

unitdir=$(pkg-config --variable=systemdsystemunitdir systemd)
gendir=$(pkg-config --variable=systemdsystemgeneratordir systemd)
tmpfilesdir=$(pkg-config --variable=tmpfilesdir systemd)
bashdir=$(pkg-config --variable=completionsdir bash-completion)
fishdir=$(pkg-config --variable=completionsdir fish 2>/dev/null || echo /usr/share/fish/vendor_completions.d)
zshdir=$(dirname "$(dpkg -S /usr/share/zsh/vendor-completions/_loginctl 2>/dev/null | cut -d' ' -f2)")
[ "$zshdir" = . ] && zshdir=/usr/share/zsh/vendor-completions

expected=(
        /usr/bin/berth
        /usr/libexec/berth/berth-import
        "$unitdir/berth@.service"
        "$gendir/berth-generator"
        "$tmpfilesdir/berth.conf"
        /usr/share/man/man1/berth.1
        /usr/share/man/man5/berth.container.5
        /usr/share/man/man8/berth@.service.8
        "$bashdir/berth"
        "$zshdir/_berth"
        "$fishdir/berth.fish"
)
for f in "${expected[@]}"; do
        check "installed: $f" test -f "$T/root$f"
done
for f in /usr/bin/berth /usr/libexec/berth/berth-import "$gendir/berth-generator"; do
        check "executable: $f" test -x "$T/root$f"
done
# The SELinux policy module, when the build makes one, goes where Debian's selinux-policy
# packages put theirs.
pp=$(cd "$T/root" && find . -name '*.pp' -o -name '*.pp.bz2' | sed 's/^\.//')
for f in $pp; do
        case $f in
        /usr/share/selinux/packages/* | /usr/share/selinux/default/*) ok "SELinux module in Debian's directory: $f" ;;
        *) fail "SELinux module in Debian's directory: $f" ;;
        esac
        expected+=("$f")
done
[ -z "$pp" ] && diag "this build makes no SELinux module"

stray=$(cd "$T/root" && find . -type f -o -type l | sed 's/^\.//' | sort |
        grep -vxF -f <(printf '%s\n' "${expected[@]}"))
check_eq "nothing installed anywhere else" "$stray" ""

# The version line only: the feature lines below it describe each build's options.
check_eq "installed berth runs" "$("$T/root/usr/bin/berth" --version 2>&1 | head -n1)" "$("$build/berth" --version | head -n1)"
# berth import executes the helper where it was installed (nothing beside /usr/bin/berth): with
# the DESTDIR's libexec bound over /usr/libexec in a private mount namespace, the installed
# berth finds and runs it.
check "installed berth import runs /usr/libexec/berth/berth-import" \
        unshare -m sh -c 'mount --bind "$1/usr/libexec" /usr/libexec && "$1/usr/bin/berth" import --help | grep -q "^berth import \[OPTIONS...\] NAME --oci DIR\[:TAG\]$"' _ "$T/root"
check "the unit runs the installed binary" grep -qE '^ExecStart=/usr/bin/berth run' "$T/root$unitdir/berth@.service"
for page in man1/berth.1:berth man5/berth.container.5:berth.container 'man8/berth@.service.8:berth@.service'; do
        f=${page%%:*} name=${page#*:}
        check "man page $f is roff named $name" grep -qE "^\.TH \"?$name\"? " "$T/root/usr/share/man/$f"
done
check "bash loads the installed completion" quiet bash -c ". /usr/share/bash-completion/bash_completion; . '$T/root$bashdir/berth'; complete -p berth"
check "fish loads the installed completion" fish --no-config -c "source '$T/root$fishdir/berth.fish'; complete -c berth | grep -q ."
check "zsh parses the installed completion" zsh -n "$T/root$zshdir/_berth"

tap_done
