#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench-rr counts the CPU time of processes a command orphans: bubblewrap's monitor exits before
# its sandbox's init, whose work was lost from the CPU column when only reaped children counted.
# The same fixed amount of work, once in the command itself and once in a child it leaves
# behind, must be reported alike.
# usage: test-bench-rr.sh BENCH-RR
set -u
rr=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..2"
cat >"$tmp/work.sh" <<'EOT'
i=0
while [ $i -lt 200000 ]; do i=$((i + 1)); done
EOT
printf 'sh %s/work.sh &\nexit 0\n' "$tmp" >"$tmp/orphan.sh"
if "$rr" -n 3 -w 0 -o "$tmp/out.tsv" "direct=sh $tmp/work.sh" "orphan=sh $tmp/orphan.sh" 2>"$tmp/err"; then
        echo "ok 1 - bench-rr ran both commands"
else
        echo "not ok 1 - bench-rr failed: $(cat "$tmp/err")"
fi
# median user+sys per command (3 runs), in microseconds
cpu() { awk -F'\t' -v n="$1" '$1 == n { print $4 + $5 }' "$tmp/out.tsv" | sort -n | sed -n 2p; }
direct=$(cpu direct) orphan=$(cpu orphan)
if [ -n "$direct" ] && [ -n "$orphan" ] && [ "$direct" -gt 10000 ] && [ $((orphan * 2)) -ge "$direct" ]; then
        echo "ok 2 - the orphan's CPU is counted (direct ${direct} us, orphaned ${orphan} us)"
else
        echo "not ok 2 - the orphan's CPU is not counted (direct ${direct:-none} us, orphaned ${orphan:-none} us)"
fi
