#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# PrivateUsers=pick and the host's users across starts (issue 16): berth keeps the NSS answer
# in STATE_DIR/uid/nss-ids.cache, so a host user added inside a container's range after its
# first start must still push the next start off that range, as when every start enumerated.
# The NSS sources are private copies bound over /etc in this test's own mount namespace.
. "${IT_LIB:?}"
it_setup
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"
name=nsscache-$$
binds=()

cleanup() {
        local m
        for m in "${binds[@]}"; do umount "$m" 2>/dev/null; done
        it_cleanup
}
trap cleanup EXIT

cp /etc/passwd "$IT_WORK/passwd" && cp /etc/group "$IT_WORK/group" && mkdir "$IT_WORK/empty" &&
        printf 'passwd: files systemd\ngroup:  files systemd\n' >"$IT_WORK/nsswitch.conf" || exit 1
for f in passwd group nsswitch.conf; do
        mount --bind "$IT_WORK/$f" "/etc/$f" || exit 1
        binds+=("/etc/$f")
done
# systemd's userdb places, empty (the cache is kept only where they are absent or empty)
for d in /run/systemd/userdb /etc/userdb /run/userdb /run/host/userdb /usr/local/lib/userdb /usr/lib/userdb; do
        if [ -d "$d" ]; then
                mount --bind "$IT_WORK/empty" "$d" || exit 1
                binds+=("$d")
        fi
done
# Sources changed less than a second ago are not cached (their timestamps could repeat).
sleep 1.2

it_container "$name" <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/cat /proc/self/uid_map
C
base_of_run() { awk '{print $2}' "$IT_OUT"; }
picked() { [ -n "$1" ] && [ "$1" -ge $((0x80000)) ]; }
outside() { [ -n "$2" ] && { [ "$1" -lt "$2" ] || [ "$1" -ge $(($2 + 65536)) ]; }; } # ID, range base

it_run "$name"
check_eq "first start exits 0" "$IT_RC" 0
base1=$(base_of_run)
check "first start got a picked range ($base1)" picked "$base1"
check "the NSS answer is cached in uid/nss-ids.cache" test -f "$BERTH_STATE_DIR/uid/nss-ids.cache"
it_run "$name"
check_eq "a second start gets the same range" "$(base_of_run)" "$base1"

# a host user inside that range, appended in place (same inode: only size, mtime, ctime change)
late=$((base1 + 5))
echo "berthlate$$:x:$late:$late::/nonexistent:/bin/false" >>"$IT_WORK/passwd"
check "getent sees the new host user $late" sh -c 'getent passwd "$1" >/dev/null' _ "$late"
it_run "$name"
check_eq "start after the user was added exits 0" "$IT_RC" 0
base3=$(base_of_run)
check "... and no longer gets the range holding host uid $late (got $base3)" outside "$late" "$base3"

# a group the same way, in the range the last start got
lateg=$((base3 + 65535))
echo "berthlateg$$:x:$lateg:" >>"$IT_WORK/group"
it_run "$name"
base4=$(base_of_run)
check "a host group added at the range's last gid $lateg pushes the next start off it (got $base4)" \
        outside "$lateg" "$base4"
check "... and it still avoids host uid $late" outside "$late" "$base4"

# a source the cache key cannot cover: NSS is asked at every start, the cache is gone
printf 'passwd: files sss\ngroup:  files\n' >"$IT_WORK/nsswitch.conf"
it_run "$name"
check_eq "with an sss source the start exits 0" "$IT_RC" 0
check "... still avoids host uid $late (got $(base_of_run))" outside "$late" "$(base_of_run)"
check "... and no cache is kept" test ! -e "$BERTH_STATE_DIR/uid/nss-ids.cache"
tap_done
