#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds a libFuzzer target with clang (meson -Dfuzz=true: fuzzer coverage + ASan + UBSan over the
# whole build) and runs it for a bounded time from its corpus (corpus-TARGET/, dictionary
# TARGET.dict). Targets: config (the .container loader), oci (berth import --oci and its starter
# config). Speaks TAP: one check, "not ok" on any crash, leak, UB, timeout or broken invariant,
# and then prints the crashing input (path, hex dump) and the sanitizer report. A crash found this
# way becomes a regression input: copy the printed file into tests/fuzz/corpus-TARGET/ and fix
# the bug; the corpus replay in the unit suite keeps it fixed.
#
# usage: run-fuzz.sh TARGET [BUILD_DIR]        env: BERTH_FUZZ_SECONDS (default 60)
set -u
top=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
here=$top/tests/fuzz
target=${1:?usage: run-fuzz.sh config|oci [BUILD_DIR]}
build=${2:-$top/build-fuzz}
secs=${BERTH_FUZZ_SECONDS:-60}

work=$(mktemp -d /tmp/berth-fuzz-run.XXXXXX)
export TMPDIR=$work # the target's scratch config directory goes here too, so the trap removes it
trap 'rm -rf "$work"' EXIT
log=$work/log

not_ok() {
        echo "not ok 1 - fuzz-$target: $*"
        echo "1..1"
        exit 1
}

if ! command -v clang >/dev/null; then
        not_ok "clang is not installed (.ci/packages lists it)"
fi
if [ ! -f "$build/build.ninja" ]; then
        CC=clang meson setup "$build" "$top" -Dfuzz=true -Dbuildtype=debugoptimized -Db_lundef=false \
                >"$log" 2>&1 || { sed 's/^/# /' "$log" | tail -30; not_ok "meson setup with clang failed"; }
fi
ninja -C "$build" "tests/fuzz/fuzz-$target" >"$log" 2>&1 ||
        { sed 's/^/# /' "$log" | tail -40; not_ok "build with clang -fsanitize=fuzzer failed"; }

mkdir "$work/corpus" "$work/artifacts"
# New inputs go to the first (scratch) directory; the seed corpus in the tree stays untouched.
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
        "$build/tests/fuzz/fuzz-$target" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -max_len=16384 -dict="$here/$target.dict" -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/" "$work/corpus" "$here/corpus-$target" >"$log" 2>&1
rc=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
if [ $rc -eq 0 ]; then
        echo "ok 1 - fuzz-$target: ${runs:-?} inputs in ${secs}s, ${cov:-cov: ?}, $(ls "$work/corpus" | wc -l) new corpus units, no crash"
        echo "1..1"
        exit 0
fi

# Show what failed and the input that did it.
grep -E "ERROR|SUMMARY|fuzz-$target:|runtime error|#[0-9]+ 0x" "$log" | head -40 | sed 's/^/# /'
for a in "$work"/artifacts/*; do
        [ -f "$a" ] || continue
        echo "# crashing input $(basename "$a") ($(stat -c %s "$a") bytes):"
        od -A d -c "$a" | head -60 | sed 's/^/#   /'
        mkdir -p "$top/build-fuzz-artifacts"
        cp "$a" "$top/build-fuzz-artifacts/"
        echo "# kept as $top/build-fuzz-artifacts/$(basename "$a"): copy it into tests/fuzz/corpus-$target/ as a regression input"
done
not_ok "the fuzzer stopped with status $rc (crash, leak, UB, timeout or broken invariant; see above)"
