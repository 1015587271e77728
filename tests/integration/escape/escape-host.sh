# SPDX-License-Identifier: LGPL-2.1-or-later
# The detectors of the escape suite's host-side section (issue 13): each one looks at what an
# attack left on the host side and says whether the host was touched. Sourced by escape.sh, which
# runs the attacks against berth, and by escape-selftest.sh, which reproduces each hole by hand
# (no berth guard in the way) and asserts that the same detector reports it. Each returns 0 when
# the host is untouched and prints what it found otherwise (as TAP comments).

# host_dev_untouched OUT: the attack printed "dev-opened" when it opened a device node that an
# image (or a bind source) carried outside berth's own /dev.
host_dev_untouched() {
        ! grep -F dev-opened "$1" | sed 's/^/#   /' | grep .
}

# host_store_clean DIR: an imported tree holds no device node, no setuid/setgid file (a setgid
# directory is harmless and kept) and no
# security.capability attribute (a file capability): none of them can come from an image.
host_store_clean() {
        local found
        found=$(find "$1" \( -type b -o -type c -o \( -type f -perm /6000 \) \) -printf '%y %m %P\n'
                getfattr -R -h -m '^security\.capability$' --absolute-names "$1" 2>/dev/null | sed -n 's/^# file: /xattr /p')
        [ -z "$found" ] || { echo "$found" | sed 's/^/#   /'; return 1; }
}

# host_secret_unread SECRET FILE...: the host's secret (a string only in a host file the image
# or container pointed a symlink at) shows up in none of the files (the container's output, the
# imported tree).
host_secret_unread() {
        local secret=$1
        shift
        ! grep -rlF -- "$secret" "$@" 2>/dev/null | sed 's/^/#   found in /' | grep .
}

# host_tty_queue_empty OUT: escape-tty.py's report shows nothing pushed into the terminal's input
# queue (what the administrator's shell would read next).
host_tty_queue_empty() {
        local q
        q=$(sed -n 's/^INPUT-QUEUE: //p' "$1")
        [ "$q" = "b''" ] || { echo "#   input queue: ${q:-no report}"; return 1; }
}

# host_journal_sane OUT MARKER: of escape-journal.py's entries, those carrying MARKER (lines the
# payload wrote to its stdout, each starting with a "<N>" of its choice) keep the priority of
# stdout (info, 6): the payload chose none (an emergency is walled to every terminal, "<3>berth:"
# forges berth's errors), and none is filed as berth's own (SYSLOG_IDENTIFIER=berth).
host_journal_sane() {
        local bad
        bad=$(grep -F -- "$2" "$1" | awk '$1 == "ENTRY" && ($2 != 6 || $3 == "berth")')
        [ -z "$bad" ] || { echo "$bad" | sed 's/^/#   /'; return 1; }
}

# host_no_raw_controls FILE: what berth showed the administrator holds no control character
# other than newline and tab (ESC would start a terminal escape sequence: retitle, rewrite,
# paste into the shell on some terminals).
host_no_raw_controls() {
        local found
        found=$(LC_ALL=C grep -naP '[\x00-\x08\x0b-\x1f\x7f]' "$1" | cat -v)
        [ -z "$found" ] || { echo "$found" | sed 's/^/#   /'; return 1; }
}
