#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# berth's benchmarks, side by side with crun, runc, systemd-nspawn and bubblewrap.
#
# usage: tests/bench/run.sh [--build-dir DIR] [--reps N] [--only a,b,c,d,e] [--quick] [--no-install]
#                           [--no-compile]
#   a  start-to-exit of /bin/true: nearest equivalent of berth's default confinement, and the
#      minimum each tool allows (one root for all, interleaved round-robin)
#   b  the same through systemd, inside test bed 1 (tests/system/bed.sh)
#   c  ID mapping cost as the root grows (1k, 10k, 100k files): idmapped mount vs chown -R
#   d  density: 100 and 500 idle containers: supervisor PSS per container, berth list / status
#   e  seccomp filter compile and load time for the default allowlist
#   p  profile of `berth run` (default config) with perf stat, perf record and strace -c
# Writes DIR/bench/results.md (and the raw .tsv files) and prints it. Needs root. Installs the
# peers from Debian when missing. Never asserts on time: it reports. Everything it creates
# (containers, mounts, namespaces, cgroups, temporary files) is removed on exit, also on failure.
set -u
top=$(readlink -f "$(dirname "$(readlink -f "$0")")/../..")
here=$top/tests/bench
build=$top/build
reps=100
only=a,b,c,d,e,p
cmdline="tests/bench/run.sh${*:+ $*}"
quick=0
install=1
compile=1
while [ $# -gt 0 ]; do
        case $1 in
        --build-dir) build=$(readlink -f "$2"); shift ;;
        --reps) reps=$2; shift ;;
        --only) only=$2; shift ;;
        --quick) quick=1 ;;
        --no-install) install=0 ;;
        --no-compile) compile=0 ;; # meson's benchmark/run_target built everything already
        -h | --help) sed -n '3,17p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
        esac
        shift
done
[ "$(id -u)" = 0 ] || { echo "run.sh: needs root" >&2; exit 2; }
want() { case ",$only," in *",$1,"*) return 0 ;; esac; return 1; }
if [ $quick = 1 ]; then
        [ "$reps" = 100 ] && reps=20
        sizes="1000 10000"
        densities="100"
else
        sizes="1000 10000 100000"
        densities="100 500"
fi

out=$build/bench
mkdir -p "$out"
rm -f "$out"/*.tsv "$out"/*.txt "$out"/*.json "$out"/results.md "$out"/notes.txt "$out"/load.txt
work=$(mktemp -d /var/tmp/berth-bench.XXXXXX)
chmod 755 "$work" # the containers' mapped root must reach the root below it
supervisors=() # PIDs of the density containers we started
nsbind=""      # bind mount holding our persistent mount namespace

note() { echo "$*" >>"$out/notes.txt"; echo "bench: $*" >&2; }

# stop_supervisors SECONDS: SIGTERM to every density supervisor we started, SIGKILL to those
# still there after SECONDS (a supervisor killed so takes its payload along: PDEATHSIG)
stop_supervisors() {
        local p left
        [ ${#supervisors[@]} -gt 0 ] || return 0
        for p in "${supervisors[@]}"; do kill -TERM "$p" 2>/dev/null; done
        for _ in $(seq $(($1 * 10))); do
                left=0
                for p in "${supervisors[@]}"; do kill -0 "$p" 2>/dev/null && left=$((left + 1)); done
                [ $left = 0 ] && break
                sleep 0.1
        done
        for p in "${supervisors[@]}"; do kill -KILL "$p" 2>/dev/null; done
        for p in "${supervisors[@]}"; do wait "$p" 2>/dev/null; done
        supervisors=()
        return "$left"
}

cleanup() {
        stop_supervisors 5
        for id in bench-crun-secure bench-crun-min bench-runc-secure bench-runc-min; do
                crun --root "$work/run/crun" delete -f "$id" >/dev/null 2>&1
                runc --root "$work/run/runc" delete -f "$id" >/dev/null 2>&1
        done
        if [ -n "$nsbind" ]; then
                umount "$nsbind/mnt" 2>/dev/null
                umount "$nsbind" 2>/dev/null
        fi
        # anything still mounted below our work dir, deepest first
        findmnt -rn -o TARGET | grep "^$work" | sort -r | while read -r m; do umount -l "$m"; done
        rm -rf "$work" "$build/bench-bed-root"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- peers, helpers, berth ---------------------------------------------------------------------
if [ $install = 1 ]; then
        missing=()
        for p in crun runc systemd-container bubblewrap busybox-static python3 meson ninja-build linux-perf strace; do
                dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
        done
        if [ ${#missing[@]} -gt 0 ]; then
                echo "bench: installing ${missing[*]}" >&2
                DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
                        >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; exit 1; }
        fi
fi
if [ $compile = 1 ]; then
        [ -f "$build/build.ninja" ] || meson setup "$build" "$top" >/dev/null || exit 1
        meson compile -C "$build" berth tests/bench/bench-rr tests/bench/bench-idmap tests/bench/bench-seccomp \
                >"$work/compile.log" 2>&1 || { cat "$work/compile.log" >&2; exit 1; }
fi
berth=${BENCH_BERTH:-$build/berth} # BENCH_BERTH: measure another berth binary (e.g. an installed one)
rr=$build/tests/bench/bench-rr
idmap=$build/tests/bench/bench-idmap
seccomp_bench=$build/tests/bench/bench-seccomp
report() { python3 "$here/report.py" "$@"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
run_rr() { # run_rr TSV NAME=ARGV...: interleaved runs, load noted before and after
        local tsv=$1
        shift
        echo "$(basename "$tsv" .tsv) load-before $(load)" >>"$out/load.txt"
        "$rr" -n "$reps" -w 3 -o "$tsv" "$@" || note "$(basename "$tsv" .tsv): some runs failed (see stderr above)"
        echo "$(basename "$tsv" .tsv) load-after $(load)" >>"$out/load.txt"
}

# --- one root for every tool -----------------------------------------------------------------
root=$work/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/lib,etc,proc,sys,dev,run,tmp,root}
cp /bin/busybox "$root/bin/busybox"
for a in true sh sleep cat ls; do ln -s busybox "$root/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
printf 'ID=busybox\nNAME="berth bench root"\n' >"$root/usr/lib/os-release"
ln -s ../usr/lib/os-release "$root/etc/os-release"
# berth refuses a root that host users other than root can reach (berth.container(5): some
# directory above it must be root's own, 0700); crun and runc, whose user namespace does not
# idmap the root, need the opposite (their mapped root walks the path). berth gets the same tree
# through a bind mount below a 0700 directory.
mkdir -m 0700 "$work/private" && mkdir "$work/private/root" &&
        mount --bind "$root" "$work/private/root" || exit 1
berthroot=$work/private/root

# the seccomp allowlist podman hands crun and runc (containers-common), extracted, not installed
profile=""
if (cd "$work" && apt-get download golang-github-containers-common >/dev/null 2>&1) &&
        dpkg-deb -x "$work"/golang-github-containers-common_*.deb "$work/cc" &&
        [ -f "$work/cc/usr/share/containers/seccomp.json" ]; then
        profile=$work/cc/usr/share/containers/seccomp.json
else
        note "containers-common's seccomp.json not available: crun/runc secure run without seccomp"
fi

# berth's configs: its defaults, and everything off that can be turned off
# running state of every runtime on one tmpfs, like /run on a systemd host (this host's /run is
# not a tmpfs): berth's BERTH_STATE_DIR, crun's and runc's --root
mkdir -p "$work/conf" "$work/run"
mount -t tmpfs -o mode=755 berth-bench-run "$work/run" || exit 1
export BERTH_STATE_DIR=$work/run/berth BERTH_CONFIG_PATH=$work/conf
# the probe: what confinement the payload really got, one line (run once per tool, not timed)
cat >"$root/bin/bench-probe" <<'EOT'
#!/bin/sh
read -r u1 u2 u3 </proc/self/uid_map
st() { grep "^$1:" /proc/self/status | { read -r _ v; echo "$v"; }; }
nd=$(($(wc -l </proc/net/dev) - 2))
if head -c 1 /proc/timer_list 2>/dev/null | grep -q .; then tl=visible; else tl=masked; fi
echo "uid_map=$u1:$u2:$u3 seccomp=$(st Seccomp) capbnd=$(st CapBnd) nnp=$(st NoNewPrivs) netdevs=$nd timer_list=$tl pid=$$"
EOT
# idle payload for d): PID 1 of its namespace has no default signal actions, so a plain sleep
# would ignore the SIGTERM that stops it; this one exits on it
printf '#!/bin/sh\ntrap "exit 0" TERM\nsleep 3600 &\nwait\n' >"$root/bin/bench-idle"
chmod 755 "$root/bin/bench-probe" "$root/bin/bench-idle"
for payload in true bench-probe; do
        sfx=${payload#true}
        sfx=${sfx:+-probe}
        printf '[Container]\nDirectory=%s\nExec=/bin/%s\n' "$berthroot" "$payload" >"$work/conf/bench-secure$sfx.container"
        # (no Capability=all: berth refuses it where its own bounding set lacks some, as here)
        printf '[Container]\nDirectory=%s\nExec=/bin/%s\n\n[Security]\nPrivateUsers=no\nNoNewPrivileges=no\n\n[Network]\nPrivate=no\n' \
                "$berthroot" "$payload" >"$work/conf/bench-min$sfx.container"
done
if want a || want b || want d; then
        "$berth" verify --file "$work/conf/bench-secure.container" >/dev/null &&
                "$berth" verify --file "$work/conf/bench-min.container" >/dev/null || exit 1
fi

# OCI bundles for crun and runc (same root)
for m in secure min; do
        for payload in true bench-probe; do
                sfx=${payload#true}
                sfx=${sfx:+-probe}
                mkdir -p "$work/oci-$m$sfx"
                python3 "$here/oci-config.py" "${m/min/minimal}" "$root" "$work/oci-$m$sfx/config.json" \
                        ${profile:+--seccomp "$profile"} -- "/bin/$payload" || exit 1
        done
done

# crun refuses the hybrid cgroup layout when the unified hierarchy has controllers: it runs in a
# mount namespace of ours without /sys/fs/cgroup/unified (entered by bench-rr with setns, so no
# extra exec is timed). Every other tool sees the host as it is.
nsbind=$work/ns
mkdir -p "$nsbind"
mount --bind "$nsbind" "$nsbind" && mount --make-private "$nsbind" && touch "$nsbind/mnt" &&
        unshare --mount="$nsbind/mnt" --propagation private \
                sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; true' || exit 1
crunns=$nsbind/mnt

# bubblewrap takes compiled BPF programs on fds: berth's own filter (three programs), exported
bwrap_seccomp=""
mkdir -p "$work/bpf"
if [ -x "$seccomp_bench" ] && nprog=$("$seccomp_bench" --export "$work/bpf" 2>/dev/null); then
        for i in $(seq 0 $((nprog - 1))); do
                bwrap_seccomp+=" <$((20 + i))=$work/bpf/$i.bpf --add-seccomp-fd $((20 + i))"
        done
else
        note "bwrap secure runs without seccomp (could not export berth's filter)"
fi
bwrap_mask=""
for p in /proc/acpi /sys/firmware; do [ -e $p ] && bwrap_mask+=" --tmpfs $p"; done
for p in /proc/kcore /proc/keys /proc/latency_stats /proc/timer_list /proc/sched_debug; do
        [ -e $p ] && bwrap_mask+=" --ro-bind /dev/null $p"
done

# --- a) start-to-exit of /bin/true ----------------------------------------------------------
# a_commands secure|min PAYLOAD: one NAME[^MNTNS]=ARGV per line for bench-rr
a_commands() {
        local m=$1 payload=$2 sfx=""
        [ "$payload" = true ] || sfx=-probe
        echo "berth=$berth run --register=no --file $work/conf/bench-$m$sfx.container"
        echo "crun^$crunns=crun --cgroup-manager=disabled --root $work/run/crun run --bundle $work/oci-$m$sfx bench-crun-$m"
        echo "runc=runc --root $work/run/runc run --bundle $work/oci-$m$sfx bench-runc-$m"
        if [ "$m" = secure ]; then
                echo "systemd-nspawn=systemd-nspawn -q -D $root --register=no --keep-unit --private-users=pick --private-network /bin/$payload"
                echo "bwrap=bwrap --unshare-all --uid 0 --gid 0 --bind $root / --proc /proc --dev /dev --tmpfs /tmp --tmpfs /run --ro-bind /sys /sys --ro-bind /proc/sys /proc/sys$bwrap_mask --cap-drop ALL --cap-add CAP_CHOWN --cap-add CAP_DAC_OVERRIDE --cap-add CAP_FOWNER --cap-add CAP_FSETID --cap-add CAP_KILL --cap-add CAP_NET_BIND_SERVICE --cap-add CAP_SETFCAP --cap-add CAP_SETGID --cap-add CAP_SETPCAP --cap-add CAP_SETUID --cap-add CAP_SYS_CHROOT --hostname bench --new-session --die-with-parent${bwrap_seccomp} /bin/$payload"
        else
                echo "systemd-nspawn=systemd-nspawn -q -D $root --register=no --keep-unit /bin/$payload"
                echo "bwrap=bwrap --ro-bind $root / /bin/$payload"
        fi
}
# probe secure|min: runs each tool once with the probe payload (not timed); writes
# OUT/a-MODE-probe.tsv, "tool<TAB>what its payload saw"
probe() {
        local spec name ns argv word seen
        local -a cmd redirects
        local redirect_re='^<([0-9]+)=(.*)$'
        while read -r spec; do
                name=${spec%%=*} argv=${spec#*=} ns=""
                [[ $name == *^* ]] && ns=${name#*^} name=${name%%^*}
                cmd=() redirects=()
                [ -n "$ns" ] && cmd=(nsenter --mount="$ns")
                for word in $argv; do # split on spaces on purpose, as bench-rr does
                        if [[ $word =~ $redirect_re ]]; then
                                redirects+=("${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}")
                        else
                                cmd+=("$word")
                        fi
                done
                seen=$(
                        set -- "${redirects[@]}"
                        while [ $# -gt 0 ]; do eval "exec $1<\"\$2\""; shift 2; done
                        "${cmd[@]}" 2>&1 </dev/null
                )
                printf '%s\t%s\n' "$name" "$(grep -m1 '^uid_map=' <<<"$seen" || echo "probe failed: ${seen//$'\n'/ }")"
        done < <(a_commands "$1" bench-probe) >"$out/a-$1-probe.tsv"
}
if want a; then
        echo "bench: a) start-to-exit, $reps interleaved runs per tool" >&2
        # shared objects each tool's binary maps at exec (ldd's closure: files, not the vdso)
        for t in "berth=$berth" "crun=$(command -v crun)" "runc=$(command -v runc)" \
                "systemd-nspawn=$(command -v systemd-nspawn)" "bwrap=$(command -v bwrap)"; do
                bin=${t#*=}
                [ -n "$bin" ] || continue
                objs=$(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' | xargs -r -n1 basename)
                printf '%s\t%s\t%s\n' "${t%%=*}" "$(grep -c . <<<"$objs")" "$(echo $objs)"
        done >"$out/a-sharedobjs.tsv"
        for m in secure min; do
                probe "$m"
                mapfile -t cmds < <(a_commands "$m" true)
                run_rr "$out/a-$m.tsv" "${cmds[@]}"
        done
fi

# --- b) through systemd, in test bed 1 -----------------------------------------------------
if want b; then
        if [ -x "$top/tests/system/bed.sh" ]; then
                echo "bench: b) through systemd in test bed 1" >&2
                # the bed's root is an overlay, which cannot be idmapped: the containers' roots live
                # in the build dir, which the bed bind-mounts from the host. berth's copy sits below
                # a root-owned 0700 directory, as berth requires of roots (berth.container(5)); the
                # peers' copy below a 0755 one, which crun's mapped root must traverse.
                bedroot=$build/bench-bed/root bedberthroot=$build/bench-bed/berth/root
                rm -rf "$build/bench-bed" && mkdir -m 0755 "$build/bench-bed" && mkdir -m 0700 "$build/bench-bed/berth" &&
                        cp -a "$root" "$bedroot" && cp -a "$root" "$bedberthroot"
                mkdir -p "$work/seed/etc/berth"
                printf '[Container]\nDirectory=%s\nExec=/bin/true\n' "$bedberthroot" >"$work/seed/etc/berth/bench.container"
                python3 "$here/oci-config.py" secure "$bedroot" "$work/oci-secure-bed.json" ${profile:+--seccomp "$profile"}
                echo "b load-before $(load)" >>"$out/load.txt"
                BED_SEED=$work/seed BED_TIMEOUT=900 "$top/tests/system/bed.sh" "$top" "$build" \
                        "$here/bed-measure.sh" "$out" "$bedroot" "$work/oci-secure-bed.json" "$reps" ||
                        note "b) the bed run failed (exit $?)"
                rm -rf "$build/bench-bed"
                echo "b load-after $(load)" >>"$out/load.txt"
        else
                note "b) not measured: tests/system/bed.sh (test bed 1) is not in this tree; tests/bench/bed-measure.sh runs inside any booted bed"
        fi
fi

# --- c) ID mapping cost as the root grows -------------------------------------------------
if want c; then
        echo "bench: c) ID mapping: idmapped mount vs chown -R ($sizes files)" >&2
        mkdir -p "$work/idmap-target" "$work/ext4"
        # the trees live on a fresh ext4 (idmappable, journaled like a real root) in an image on
        # our tmpfs: creating and removing 300k inodes on this VM's disk takes many minutes
        truncate -s 2G "$work/run/ext4.img" && mkfs.ext4 -q -N 400000 "$work/run/ext4.img" &&
                mount -o loop "$work/run/ext4.img" "$work/ext4" || exit 1
        chmod 0700 "$work/ext4" # root-only above berth's roots (berth.container(5)); bench-idmap runs as root
        for n in $sizes; do
                # berth itself: its default run of /bin/true on a root holding n more files
                cp -a "$root" "$work/ext4/tree-berth-$n"
                printf '[Container]\nDirectory=%s\nExec=/bin/true\n' "$work/ext4/tree-berth-$n" >"$work/conf/c-$n.container"
                for kind in idmap chown berth; do
                        t=$work/ext4/tree-$kind-$n
                        [ $kind = berth ] && t=$work/ext4/tree-berth-$n/data
                        mkdir -p "$t"
                        # 100 files per directory, like a real root's spread
                        python3 - "$t" "$n" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    sub = os.path.join(d, "d%04d" % (i // 100))
    if i % 100 == 0:
        os.mkdir(sub)
    open(os.path.join(sub, "f%d" % i), "w").close()
PY
                done
                creps=$reps
                [ "$n" -ge 100000 ] && creps=$(( reps < 10 ? reps : 10 ))
                [ "$n" -ge 10000 ] && [ "$n" -lt 100000 ] && creps=$(( reps < 30 ? reps : 30 ))
                reps_saved=$reps reps=$creps
                # chown -R in its own round: the writeback of its 100k dirty inodes would otherwise
                # land on the runs interleaved with it
                run_rr "$out/c-$n.tsv" \
                        "idmapped-mount=$idmap idmap $work/ext4/tree-idmap-$n $work/idmap-target" \
                        "berth-run=$berth run --register=no --file $work/conf/c-$n.container"
                sync
                run_rr "$out/c-$n-chown.tsv" "chown-R=$idmap chown $work/ext4/tree-chown-$n"
                reps=$reps_saved
                rm -rf "$work/ext4/tree-idmap-$n" "$work/ext4/tree-chown-$n" "$work/ext4/tree-berth-$n"
        done
fi

# --- d) density ------------------------------------------------------------------------------
if want d; then
        for n in $densities; do
                echo "bench: d) density: $n idle containers" >&2
                mkdir -p "$work/dens-$n"
                for i in $(seq "$n"); do
                        printf '[Container]\nDirectory=%s\nExec=/bin/bench-idle\n' "$berthroot" >"$work/conf/d$n-$i.container"
                done
                echo "d-$n load-before $(load)" >>"$out/load.txt"
                t0=$(date +%s%N)
                for i in $(seq "$n"); do
                        "$berth" run --register=no "d$n-$i" </dev/null >/dev/null 2>>"$work/dens-$n/stderr" &
                        supervisors+=($!)
                done
                t1=$(date +%s%N)
                # up when every supervisor has its payload (sleep) running; then PSS
                python3 "$here/density.py" "$n" "$(( (t1 - t0) / 1000 ))" sleep "${supervisors[@]}" \
                        >"$out/d-$n.json" || note "d) not all $n containers came up (see d-$n.json)"
                reps_saved=$reps reps=$(( reps < 30 ? reps : 30 ))
                run_rr "$out/d-$n-cli.tsv" "berth-list=$berth list" "berth-status=$berth status d$n-1"
                reps=$reps_saved
                t0=$(date +%s%N)
                stop_supervisors 30 || note "d) $? of $n supervisors ignored SIGTERM for 30 s and were killed"
                echo "$(( ($(date +%s%N) - t0) / 1000 ))" >"$out/d-$n-stop-usec.txt"
                # a stopped container keeps its lock and last result (berth(1), FILES); its running
                # state goes
                left=$(find "$BERTH_STATE_DIR" -mindepth 2 -maxdepth 2 -path "*/d$n-*/state" | wc -l)
                [ "$left" = 0 ] || note "d) $left containers' running state left after stopping $n containers"
                echo "d-$n load-after $(load)" >>"$out/load.txt"
                rm -f "$work"/conf/d"$n"-*.container
        done
fi

# --- e) seccomp filter compile + load --------------------------------------------------------
if want e; then
        echo "bench: e) seccomp compile+load" >&2
        echo "e load-before $(load)" >>"$out/load.txt"
        "$seccomp_bench" --reps "$reps" >"$out/e-seccomp.tsv" 2>"$work/e.log" || note "e) bench-seccomp failed: $(cat "$work/e.log")"
        note "e) $(grep -o 'default filter: .*' "$work/e.log")"
        echo "e load-after $(load)" >>"$out/load.txt"
fi

# --- p) profile of berth run -----------------------------------------------------------------
if want p; then
        echo "bench: p) profiling berth run (default config)" >&2
        secure="$berth run --register=no --file $work/conf/bench-secure.container"
        perf stat -r "$reps" -x, -e task-clock,page-faults,context-switches,cpu-migrations \
                -o "$out/p-stat-berth.csv" $secure >/dev/null 2>&1
        nsenter --mount="$crunns" perf stat -r "$reps" -x, -e task-clock,page-faults,context-switches,cpu-migrations \
                -o "$out/p-stat-crun.csv" crun --cgroup-manager=disabled --root "$work/run/crun" run \
                --bundle "$work/oci-secure" bench-crun-secure >/dev/null 2>&1
        # software clock: no hardware counters in this VM
        perf record -q -e cpu-clock -F 10000 -g -o "$work/perf.data" -- \
                sh -c "for i in \$(seq $reps); do $secure; done" >/dev/null 2>&1
        perf report -i "$work/perf.data" --no-children --sort dso -g none --percent-limit 0.5 -q \
                >"$out/p-dso.txt" 2>/dev/null
        # self time by object and symbol: libseccomp has no frame pointers, call chains through it
        # are useless
        perf report -i "$work/perf.data" --comm berth --no-children --sort dso,sym -g none --percent-limit 1 -q \
                >"$out/p-sym.txt" 2>/dev/null
        strace -f -c -o "$out/p-syscalls.txt" $secure >/dev/null 2>&1
fi

# --- report ----------------------------------------------------------------------------------
report markdown --out "$out" --only "$only" \
        --versions "berth=$("$berth" --version 2>&1 | head -1)" \
        "crun=$(crun --version | head -1)" "runc=$(runc --version | head -1)" \
        "systemd-nspawn=$(systemd-nspawn --version | head -1)" "bwrap=$(bwrap --version)" \
        "libseccomp=$(dpkg-query -W -f='${Version}' libseccomp2)" \
        --command "$cmdline" >"$out/results.md" || exit 1
cat "$out/results.md"
echo "bench: written to $out/results.md" >&2
