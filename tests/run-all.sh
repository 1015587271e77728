#!/bin/bash
# Installs build/test dependencies, builds berth (plain and with ASan+UBSan), runs every suite
# and ends with a line of times ("time: build 95s, asan-build 80s, unit 40s, system 70s, ...;
# total 1300s") and, last, one line "N passed, N failed[, N skipped]" counting individual TAP checks.
# Exit status is non-zero when anything failed or was skipped (a skip is not a pass).
set -u
top=$(dirname "$(readlink -f "$0")")/..
cd "$top"
.ci/install-deps || { echo "0 passed, 1 failed"; exit 1; }

status=0
step() { echo "=== $*"; "$@" || status=1; }
# Seconds of wall time per phase, for the summary: "build 95s, unit 40s, ..." (suites from the logs).
t_start=$SECONDS
t_build=$SECONDS

[ -d build ] || step meson setup build
step meson compile -C build
t_build=$((SECONDS - t_build))
meson test -C build --print-errorlogs --num-processes 1 ${BERTH_SUITES:+--suite $BERTH_SUITES} || status=1

# Unit tests once more under AddressSanitizer and UndefinedBehaviorSanitizer.
t_asan_build=$SECONDS
[ -d build-asan ] || step meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
step meson compile -C build-asan
t_asan_build=$((SECONDS - t_asan_build))
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        meson test -C build-asan --suite unit --print-errorlogs || status=1

BUILD_TIMES="build $t_build, asan-build $t_asan_build" TOTAL_TIME=$((SECONDS - t_start)) \
        python3 - build/meson-logs/testlog.json build-asan/meson-logs/testlog.json <<'PY' || status=1
import json, os, re, sys
passed = failed = skipped = 0
bad = []
suite_time = {}
for path in sys.argv[1:]:
    try:
        lines = open(path).read().splitlines()
    except OSError:
        failed += 1; bad.append(path + " (no test log)"); continue
    for line in lines:
        t = json.loads(line)
        name = ("asan:" if "asan" in path else "") + t["name"]
        # "berth:unit / seccomp" -> unit (asan:unit for the sanitized build)
        suite = ("asan:" if "asan" in path else "") + t["name"].split(" / ")[0].split(":")[-1]
        suite_time[suite] = suite_time.get(suite, 0.0) + float(t.get("duration") or 0)
        p = f = s = 0
        for l in t.get("stdout", "").splitlines():
            if re.match(r"^ok \d+.*#\s*skip", l, re.I): s += 1
            elif re.match(r"^ok \d+", l): p += 1
            elif re.match(r"^not ok \d+", l): f += 1
        if t["result"] == "SKIP" and not (p or f or s): s = 1
        elif t["result"] not in ("OK", "EXPECTEDFAIL") and f == 0: f = 1
        elif t["result"] == "OK" and not (p or f or s): p = 1
        passed += p; failed += f; skipped += s
        if f or s: bad.append(f"{name}: {f} failed, {s} skipped")
for b in bad: print("  " + b)
times = [f"{k} {v}s" for k, v in (w.rsplit(" ", 1) for w in os.environ["BUILD_TIMES"].split(", "))]
times += [f"{k} {round(v)}s" for k, v in suite_time.items()]
print("time: " + ", ".join(times) + f"; total {os.environ['TOTAL_TIME']}s")
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed or skipped else 0)
PY
exit $status
