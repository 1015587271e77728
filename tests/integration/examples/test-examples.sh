#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The shipped examples (units/examples/{web,redis,postgresql}.container) run the real Debian
# packages as shipped, not a stand-in: each example, with Directory= pointed at a Debian
# bookworm root made by mmdebstrap (cached by tests/lib/debian-root.sh, about 3 min the first time) and
# Ephemeral=yes added so the cached root stays as made, is started with berth run
# --register=no, and must serve: nginx answers HTTP 200 on port 80 of the container's own
# network (curl from the host in its network namespace), redis-cli ping says PONG, psql runs a
# query (both through berth exec), and a parallel hash join that needs more /dev/shm than the
# default 64M works. Then SIGTERM stops each cleanly (exit status 0).
# Usage (meson): BERTH, PROBE, TAP_SH in the environment; $1 = the source root.
. "$(dirname "$0")/../lib.sh"
it_setup "$@"
src=$(cd "$(dirname "$0")/../../.." && pwd)
ROOT=$("$src/tests/lib/debian-examples-root.sh") || {
        echo "Bail out! could not make the Debian root (mmdebstrap, network)"
        exit 1
}
diag "root: $ROOT"

# Installs example NAME as container dv-NAME on the cached root.
install_example() {
        local name=$1 c=$BERTH_CONFIG_PATH/dv-$1.container
        sed "s#^Directory=.*#Directory=$ROOT#" "$src/units/examples/$name.container" > "$c"
        mkdir -p "$c.d"
        printf '[Container]\nEphemeral=yes\n' > "$c.d/50-test.conf"
}

# Polls CMD (up to 30 s) until it succeeds; its last output in $POLL_OUT.
poll() {
        local i
        for i in $(seq 150); do
                POLL_OUT=$("$@" 2>&1) && return 0
                kill -0 "$IT_BG_PID" 2>/dev/null || return 1
                sleep 0.2
        done
        return 1
}

stop_bg() {
        kill -TERM "$IT_BG_PID"
        it_wait
}

for ex in web redis postgresql; do
        install_example "$ex"
        out=$("$BERTH" verify "dv-$ex" 2>&1)
        check_eq "example $ex verifies with no warning against the real root" \
                "$?:$(grep -c warning <<<"$out")" "0:0"
done

# nginx as shipped by Debian.
if it_start dv-web; then
        leader=$(it_leader dv-web)
        check "web: nginx answers HTTP 200 in the container's network" \
                poll bash -c "[ \"\$(nsenter --net=/proc/$leader/ns/net curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1/)\" = 200 ]"
        check "web: the workers run as www-data" \
                bash -c "'$BERTH' exec dv-web -- ps -o user= -C nginx | grep -qx www-data"
        stop_bg
        check_eq "web: stops cleanly" "$IT_RC" 0
        check "web: no permission error" bash -c "! grep -i 'permission denied' '$IT_OUT' '$IT_ERR'"
else
        fail "web: starts"
        diag "$(cat "$IT_OUT" "$IT_ERR")"
fi

if it_start dv-redis; then
        check "redis: redis-cli ping says PONG" poll bash -c "'$BERTH' exec dv-redis -- redis-cli ping | grep -qx PONG"
        stop_bg
        check_eq "redis: stops cleanly" "$IT_RC" 0
        check "redis: logged to standard output (the journal)" grep -q "Ready to accept connections" "$IT_OUT"
else
        fail "redis: starts"
        diag "$(cat "$IT_OUT" "$IT_ERR")"
fi

if it_start dv-postgresql; then
        check "postgresql: psql runs a query" \
                poll bash -c "[ \"\$('$BERTH' exec -u postgres dv-postgresql -- psql -Atc 'select 6*7')\" = 42 ]"
        enc=$("$BERTH" exec -u postgres dv-postgresql -- psql -Atc 'show server_encoding' 2>&1)
        check_eq "postgresql: the cluster is UTF8" "$enc" UTF8
        # A parallel hash join of 2M rows keeps its hash table in dynamic shared memory in
        # /dev/shm: with the default ShmSize=64M it fails ("could not resize shared memory
        # segment ... No space left on device", measured); the example's 256M is enough.
        "$BERTH" exec -u postgres dv-postgresql -- psql -Atqc \
                "create table t as select g as a, md5(g::text) as b from generate_series(1, 2000000) g; analyze t" \
                > "$IT_WORK/pg.out" 2>&1
        join=$("$BERTH" exec -u postgres dv-postgresql -- psql -Atqc "set max_parallel_workers_per_gather = 2;
                set parallel_setup_cost = 0; set parallel_tuple_cost = 0; set work_mem = '512MB';
                select count(*) from t t1 join t t2 using (b)" 2>&1)
        check_eq "postgresql: a parallel hash join that needs more than 64M of /dev/shm works" "$join" 2000000
        shm=$("$BERTH" exec dv-postgresql -- df -k --output=size /dev/shm 2>&1 | tail -1 | tr -d ' ')
        check_eq "postgresql: ShmSize=256M gives /dev/shm 256M" "$shm" 262144
        stop_bg
        check_eq "postgresql: stops cleanly" "$IT_RC" 0
else
        fail "postgresql: starts"
        diag "$(cat "$IT_OUT" "$IT_ERR")"
fi
tap_done
