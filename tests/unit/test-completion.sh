#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Loads berth's completion for one shell in that shell and asserts the candidates offered for a
# few command lines: verbs, options (read from the binary's --help), option values, container
# names from the config search path, and files for import/verify.
# Usage: test-completion.sh bash|zsh|fish BUILD_DIR SOURCE_ROOT
set -u
shell=$1 build=$(readlink -f "$2") src=$(readlink -f "$3")
. "$src/tests/lib/tap.sh"
installed() { command -v "$1" >/dev/null; }
if ! installed "$shell"; then # a failure, not a skip: .ci/packages installs it
        fail "$shell is installed (apt-get install $shell)"
        tap_done
        exit 1
fi

T=$(mktemp -d /tmp/berth-test-completion.XXXXXX)
trap 'rm -rf "$T"' EXIT
export PATH=$build:$PATH
mkdir -p "$T/etc/web.container.d" "$T/lib" "$T/cwd/subdir" "$T/cwd/layout" "$T/zdot"
touch "$T/etc/web.container" "$T/etc/db.container" "$T/etc/web.container.d/limits.conf" "$T/etc/notes.txt"
touch "$T/lib/web.container" "$T/lib/api.container"
touch "$T/cwd/root.tar.gz" "$T/cwd/root.tar.zst" "$T/cwd/notes.txt" "$T/cwd/mine.container"
export BERTH_CONFIG_PATH=$T/etc:$T/lib:$T/missing
export BERTH_STATE_DIR=$T/state
# Imported images (berth images lists the directories of the image directory).
export BERTH_IMAGE_DIR=$T/images
mkdir -p "$T/images/img1" "$T/images/img2" "$T/images/.images"
# Two "running" containers as `berth list` sees them: a state file and a lock this script holds.
for n in run1 web; do
        mkdir -p "$T/state/$n"
        printf 'NAME=%s\nSUPERVISOR=%s\nLEADER=%s\nSINCE=0\nROOT=/\n' $n $$ $$ >"$T/state/$n/state"
        exec {fd}>"$T/state/$n/lock"
        flock -x "$fd"
done
cd "$T/cwd"

# Candidates for a command line, sorted, unique, space-separated.
complete_line() {
        case $shell in
        bash)
                bash --norc --noprofile -c '
                        source /usr/share/bash-completion/bash_completion
                        source "$1"
                        compopt() { :; } # the builtin only works inside a real completion
                        read -ra COMP_WORDS <<<"$2"
                        [[ $2 == *" " ]] && COMP_WORDS+=("")
                        COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) COMP_LINE=$2 COMP_POINT=${#2}
                        _berth berth "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
                        printf "%s\n" "${COMPREPLY[@]}"' _ "$src/shell-completion/bash/berth" "$1"
                ;;
        zsh) timeout 20 zsh -f "$src/tests/lib/zsh-complete.zsh" "$src/shell-completion/zsh" "$T/zdot" "$1" ;;
        fish)
                fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$src/shell-completion/fish/berth.fish" "$1" |
                        cut -f1 | sed 's/^--[a-z-]*=\(.\)/\1/' # fish repeats "--opt=" before values
                ;;
        esac | sed -e 's:/$::' -e 's:.*/::' | if [ -n "${COMPLETE_KEEP_DUPS:-}" ]; then sort; else sort -u; fi |
                grep -v '^$' | tr '\n' ' ' | sed 's/ $//'
}

expect() { check_eq "$shell: '$1' offers: $2" "$(complete_line "$1")" "$2"; }
# Only checks that the candidates include these words (shells add their own extras for paths).
expect_has() {
        local got w missing=
        got=" $(complete_line "$1") "
        for w in $2; do [[ $got == *" $w "* ]] || missing+=" $w"; done
        if [ -z "$missing" ]; then ok "$shell: '$1' offers $2"; else fail "$shell: '$1' offers $2"; diag "got:$got missing:$missing"; fi
}
expect_lacks() {
        local got w extra=
        got=" $(complete_line "$1") "
        for w in $2; do [[ $got == *" $w "* ]] && extra+=" $w"; done
        if [ -z "$extra" ]; then ok "$shell: '$1' does not offer $2"; else fail "$shell: '$1' does not offer $2"; diag "got:$got"; fi
}

# Long options as a verb's --help lists them ("--opt=" when it takes a value), sorted.
help_options() {
        berth $1 --help 2>/dev/null | grep -E '^ +-' | grep -oE -- '--[a-z][a-z0-9-]*=?' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# Verbs and global options: what `berth --help` lists.
expect "berth st" "start status stop"
expect "berth " "audit cat cleanup copy-from copy-to exec images import list logs reload restart rm-image run start status stop verify"
expect "berth --" "$(help_options "")"
expect "berth import web --" "--help --keep-setuid --max-size= --oci= --verify-key="
# Every verb's options are exactly those its --help lists.
for verb in audit cat copy-from copy-to exec images import list logs reload restart rm-image run start status stop verify; do
        expect "berth $verb --" "$(help_options $verb)"
done
# Container names from every directory of the search path, once each, only *.container.
expect "berth start " "api db web"
expect "berth cat w" "web"
expect "berth restart a" "api"
expect_lacks "berth start " "limits notes web.container.d"
# verify: configured names and .container files.
expect_has "berth verify " "api db web mine.container"
expect_lacks "berth verify " "notes.txt root.tar.gz"
# audit: the same as verify.
expect_has "berth audit " "api db web mine.container"
expect_lacks "berth audit " "notes.txt root.tar.gz"
expect "berth audit --output=j" "json json-pretty"
# import: NAME is new (nothing offered), then tarballs; --oci takes a directory.
expect "berth import " ""
expect_has "berth import web " "root.tar.gz root.tar.zst"
expect_lacks "berth import web " "notes.txt mine.container"
expect_has "berth import web --oci " "layout subdir"
expect_lacks "berth import web --oci " "notes.txt root.tar.gz"
# rm-image: the imported images.
expect "berth rm-image " "img1 img2"
# berth --config-path= on the line replaces the search path.
expect "berth --config-path=$T/lib start " "api web"
expect "berth --config-path $T/lib cat " "api web"
expect_has "berth --config-path=$T/l" "lib"

# Running containers (first column of `berth list --no-legend`) for stop, status and exec.
expect "berth stop " "run1 web"
expect "berth stop web " "run1 web"
expect "berth status r" "run1"
# status and logs: running and declared names, each once (web is both).
expect "berth status " "api db run1 web"
expect "berth logs " "api db run1 web"
COMPLETE_KEEP_DUPS=1 expect "berth status " "api db run1 web"
COMPLETE_KEEP_DUPS=1 expect "berth logs " "api db run1 web"
expect "berth status web " ""
expect "berth exec " "run1 web"
expect "berth exec web " ""
# exec's options with a value (--user, --env, --working-directory): the value is not a name.
expect "berth exec --user " ""
expect "berth exec --user root --env K=V " "run1 web"
expect_has "berth exec --" "--no-stdin --tty --no-tty --user= --env="
# Option values.
expect "berth list --output=j" "json json-pretty"
expect "berth list --output " "json json-pretty text"
# copy-to NAME HOST-PATH [PATH], copy-from NAME PATH [HOST-PATH]: running names, then host files
# where the host path goes, nothing for the container's path.
expect "berth copy-to " "run1 web"
expect "berth copy-from --force " "run1 web"
expect_has "berth copy-to web " "notes.txt root.tar.gz"
expect "berth copy-to web notes.txt " ""
expect "berth copy-from web " ""
expect_has "berth copy-from web /etc/x " "notes.txt root.tar.gz"
# exec: after "NAME --" the words belong to the container's command.
expect "berth exec web -- l" ""

tap_done
