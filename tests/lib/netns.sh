# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by tests that need a peer network namespace without a named netns file to leave behind:
# a sleeping process holds it. netns_holder VAR starts one and sets VAR to its PID once the
# process really has a network namespace of its own (unshare(2) done), not after a guess at how
# long that takes; exits the test with a failure when it never has. The caller kills the PID.
netns_holder() {
        local -n _pid=$1
        local ours
        ours=$(readlink /proc/self/ns/net)
        unshare --net sleep 600 &
        _pid=$!
        for _ in $(seq 200); do
                local theirs
                theirs=$(readlink "/proc/$_pid/ns/net" 2>/dev/null) || break
                [ -n "$theirs" ] && [ "$theirs" != "$ours" ] && return 0
                sleep 0.05
        done
        echo "Bail out! the namespace holder $_pid never got a network namespace of its own"
        exit 1
}
