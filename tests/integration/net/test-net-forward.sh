#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The host's forwarding around VirtualEthernet=, inside a throwaway network namespace that plays
# the host (its sysctls and firewall tables are its own) with a peer "wan" namespace on a veth:
# net.ipv4.ip_forward turned on only when needed and back off after the last container (also
# after a SIGKILLed supervisor's leftovers are collected, and with a start racing a stop), never
# off when the administrator had it on; and Docker's legacy-iptables FORWARD DROP (ip_tables, and
# ip6_tables for IPv6=yes) detected and reported in the start's warning and in berth status, with
# a fix that works.
if [ -z "${NET_TEST_NETNS:-}" ]; then
        NET_TEST_NETNS=1 exec unshare --net bash "$0" "$@"
fi
. "${IT_LIB:?}"
. "$(dirname "$0")/net-lib.sh"
mkdir -p "$IT_WORK/wan-www" && echo wan >"$IT_WORK/wan-www/index.html"
wan_httpd "$IT_WORK/wan-www"

fwd() { sysctl -n net.ipv4.ip_forward; }
record() { test -e "$BERTH_STATE_DIR/net/ip_forward"; }
from_wan() { wan curl -s --max-time 3 "http://$HOST_IP:$1/"; }

# 1. Forwarding off: the first container turns it on (and records that), the last one off.
sysctl -qw net.ipv4.ip_forward=0
web_container fw1 "Port=8101:80"
web_container fw2 "Port=8102:80"
if it_start fw1 && it_wait_output '^serving'; then
        fw1=$IT_BG_PID
        check_eq "off before: the first container turned forwarding on" "$(fwd)" "1"
        check "off before: berth recorded that it did" record
        check_eq "off before: the published port works" "$(from_wan 8101)" "hello from the container"
        if it_start fw2 && it_wait_output '^serving'; then
                fw2=$IT_BG_PID
                stop "$fw1"
                check_eq "one of two stopped: forwarding stays on" "$(fwd)" "1"
                check_eq "one of two stopped: the other's port still works" "$(from_wan 8102)" \
                        "hello from the container"
                stop "$fw2"
                check_eq "the last one stopped: forwarding is off again" "$(fwd)" "0"
                check "the last one stopped: the record is gone" sh -c "! test -e '$BERTH_STATE_DIR/net/ip_forward'"
                check "the last one stopped: the journal line says so" \
                        grep -q "Disabled IPv4 forwarding again" "$IT_ERR"
        else
                fail "fw2 did not start: $(cat "$IT_ERR")"
                stop "$fw1"
        fi
else
        fail "fw1 did not start: $(cat "$IT_ERR")"
fi

# 2. The administrator's forwarding: never turned off, nothing recorded.
sysctl -qw net.ipv4.ip_forward=1
if it_start fw1 && it_wait_output '^serving'; then
        check "on before: berth records nothing" sh -c "! test -e '$BERTH_STATE_DIR/net/ip_forward'"
        stop "$IT_BG_PID"
        check_eq "on before: after the last stop forwarding is still on" "$(fwd)" "1"
else
        fail "fw1 (admin's forwarding) did not start: $(cat "$IT_ERR")"
fi

# 3. A SIGKILLed supervisor was the other user: the last stop collects its leftovers, then turns
# forwarding off. And a SIGKILLed last user: the next container's stop turns it off.
sysctl -qw net.ipv4.ip_forward=0
if it_start fw1 && it_wait_output '^serving'; then
        fw1=$IT_BG_PID
        if it_start fw2 && it_wait_output '^serving'; then
                kill -KILL "$(state_of fw2 SUPERVISOR)"
                wait "$IT_BG_PID" 2>/dev/null
                check_eq "SIGKILL of one: forwarding still on" "$(fwd)" "1"
                stop "$fw1"
                check_eq "SIGKILL of one, then the other's stop: its leftovers collected (no bt-* link)" \
                        "$(links)" ""
                check_eq "SIGKILL of one, then the other's stop: forwarding is off again" "$(fwd)" "0"
        else
                fail "fw2 did not start: $(cat "$IT_ERR")"
                stop "$fw1"
        fi
else
        fail "fw1 did not start: $(cat "$IT_ERR")"
fi
if it_start fw1 && it_wait_output '^serving'; then
        kill -KILL "$(state_of fw1 SUPERVISOR)"
        wait "$IT_BG_PID" 2>/dev/null
        check_eq "SIGKILL of the last one: forwarding stays on (nobody stopped)" "$(fwd)" "1"
        if it_start fw2 && it_wait_output '^serving'; then
                stop "$IT_BG_PID"
                check_eq "SIGKILL of the last one, then a start and stop: forwarding is off" "$(fwd)" "0"
                check_eq "...and no bt-* link is left" "$(links)" ""
        else
                fail "fw2 after SIGKILL did not start: $(cat "$IT_ERR")"
        fi
else
        fail "fw1 did not start: $(cat "$IT_ERR")"
fi

# 4. A start racing a stop: whichever order the two take, the started container forwards.
for round in 1 2 3 4 5; do
        sysctl -qw net.ipv4.ip_forward=0
        if ! { it_start fw1 && it_wait_output '^serving'; }; then
                fail "race $round: fw1 did not start: $(cat "$IT_ERR")"
                continue
        fi
        fw1=$IT_BG_PID
        kill -TERM "$fw1"
        if it_start fw2 && it_wait_output '^serving'; then
                wait "$fw1"
                check_eq "race $round: start racing a stop: forwarding on while fw2 runs" "$(fwd)" "1"
                check_eq "race $round: fw2's published port works" "$(from_wan 8102)" "hello from the container"
                stop "$IT_BG_PID"
                check_eq "race $round: after both: forwarding off" "$(fwd)" "0"
        else
                wait "$fw1"
                fail "race $round: fw2 did not start: $(cat "$IT_ERR")"
        fi
done

# 5. Docker on a legacy-iptables host: filter FORWARD policy DROP through ip_tables, with Docker's
# DOCKER-USER chain. Before: a start must neither load ip_tables nor instantiate the legacy filter
# table in this namespace.
sysctl -qw net.ipv4.ip_forward=1
check "no legacy filter table here before" sh -c "! grep -qx filter /proc/net/ip_tables_names 2>/dev/null"
if it_start fw1 && it_wait_output '^serving'; then
        check "a start did not create the legacy filter table (nothing loaded or changed)" \
                sh -c "! grep -qx filter /proc/net/ip_tables_names 2>/dev/null"
        check_eq "no legacy table: nothing reported" "$(state_of fw1 FORWARD_BLOCKED)" ""
        stop "$IT_BG_PID"
else
        fail "fw1 did not start: $(cat "$IT_ERR")"
fi
if command -v iptables-legacy >/dev/null; then
        iptables-legacy -N DOCKER-USER
        iptables-legacy -A DOCKER-USER -j RETURN
        iptables-legacy -I FORWARD -j DOCKER-USER
        iptables-legacy -P FORWARD DROP
        web_container legacy "Port=8103:80"
        if it_start legacy && it_wait_output '^serving'; then
                check "legacy FORWARD DROP: the start warns, naming the table and chain and the fix" \
                        grep -q "dropped by iptables-legacy table filter chain FORWARD (policy drop): .*iptables-legacy -I DOCKER-USER -i bt-+ -j ACCEPT" "$IT_ERR"
                check_eq "legacy FORWARD DROP: recorded for berth status" "$(state_of legacy FORWARD_BLOCKED)" \
                        "iptables-legacy table filter chain FORWARD (policy drop)"
                status=$("$BERTH" status --no-pager legacy 2>&1)
                diag "$(grep -A1 Warning <<<"$status")"
                check "legacy FORWARD DROP: berth status warns" \
                        grep -q "Warning: forwarded traffic is dropped by iptables-legacy table filter chain FORWARD (policy drop)" <<<"$status"
                check_eq "legacy FORWARD DROP: the detection is true: wan cannot reach the published port" \
                        "$(wan curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://$HOST_IP:8103/")" "000"
                # The documented fix, as berth status prints it (without the remark in parentheses).
                fix=$(sed -n 's/^ *Fix: //p' <<<"$status" | sed 's/ (without Docker.*//')
                check "berth status names a fix" test -n "$fix"
                eval "$fix"
                check_eq "after the documented fix: wan reaches the published port" "$(from_wan 8103)" \
                        "hello from the container"
                check_eq "after the documented fix: the container reaches wan" \
                        "$(nsenter -t "$(it_leader legacy)" -n curl -s --max-time 3 "http://$WAN_IP:9000/")" "wan"
                stop "$IT_BG_PID"
        else
                fail "legacy did not start: $(cat "$IT_ERR")"
        fi
        iptables-legacy -P FORWARD ACCEPT
        iptables-legacy -F
        iptables-legacy -X
        # The same in ip6_tables, for IPv6=yes (Docker with ip6tables enabled).
        ip addr add 2001:db8::1/64 dev host0 nodad
        wan ip addr add 2001:db8::2/64 dev wan0 nodad
        sysctl -qw net.ipv6.conf.all.forwarding=1
        ip6tables-legacy -N DOCKER-USER
        ip6tables-legacy -A DOCKER-USER -j RETURN
        ip6tables-legacy -I FORWARD -j DOCKER-USER
        ip6tables-legacy -P FORWARD DROP
        web_container legacy6 "Port=8104:80" "IPv6=yes"
        if it_start legacy6 && it_wait_output '^serving'; then
                check_eq "legacy ip6tables FORWARD DROP: recorded for berth status" \
                        "$(state_of legacy6 FORWARD_BLOCKED)" "ip6tables-legacy table filter chain FORWARD (policy drop)"
                check_eq "legacy ip6tables FORWARD DROP: the detection is true over IPv6" \
                        "$(wan curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://[2001:db8::1]:8104/")" "000"
                fix=$("$BERTH" status --no-pager legacy6 2>&1 | sed -n 's/^ *Fix: //p' | sed 's/ (without Docker.*//')
                check "berth status names the ip6tables-legacy fix" grep -q "^ip6tables-legacy -I DOCKER-USER" <<<"$fix"
                eval "$fix"
                check_eq "after the documented fix: wan reaches the published port over IPv6" \
                        "$(wan curl -s --max-time 3 "http://[2001:db8::1]:8104/")" "hello from the container"
                stop "$IT_BG_PID"
        else
                fail "legacy6 did not start: $(cat "$IT_ERR")"
        fi
        ip6tables-legacy -P FORWARD ACCEPT
        ip6tables-legacy -F
        ip6tables-legacy -X
else
        fail "iptables-legacy is not installed (apt-get install iptables): the legacy case is untested"
fi

tap_done
