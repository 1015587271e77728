#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# VirtualEthernet= with real traffic, inside a throwaway network namespace that plays the host
# (nothing here touches the real host's links, addresses or nftables) and a peer "wan" namespace
# on a veth: published ports from outside and from the host itself, masquerade, the forward
# policy, cleanup after stop and after a SIGKILLed supervisor, distinct subnets for parallel
# starts, and a port that is already published. Only addresses inside these namespaces are used.
if [ -z "${NET_TEST_NETNS:-}" ]; then
        NET_TEST_NETNS=1 exec unshare --net bash "$0" "$@"
fi
. "${IT_LIB:?}"
. "$(dirname "$0")/net-lib.sh"
echo "nameserver 127.0.0.53" >"$IT_ROOT/etc/resolv.conf"
# The wan side's server answers with the address it sees (busybox httpd CGI).
WAN_WWW=$IT_WORK/wan-www
mkdir -p "$WAN_WWW/cgi-bin"
printf '#!/bin/sh\necho "Content-Type: text/plain"\necho\necho "$REMOTE_ADDR"\n' >"$WAN_WWW/cgi-bin/ip"
chmod 755 "$WAN_WWW/cgi-bin/ip"
wan_httpd "$WAN_WWW"

get() { curl -s --max-time 5 "$@"; }
# A service of the host itself (this namespace), on all of its addresses, IPv4 and IPv6.
mkdir -p "$IT_WORK/host-www" && echo "hello from the host" >"$IT_WORK/host-www/index.html"
"$IT_BUSYBOX" httpd -f -p 9100 -h "$IT_WORK/host-www" &
IT_PIDS+=("$!")
for _ in $(seq 100); do
        ss -Hltn 'sport = :9100' | grep -q . && break
        sleep 0.05
done
# cget NAME CURL-ARGS...: curl run in container NAME's network namespace; a connection the host
# drops times out after 2 s and prints nothing (or 000 with -w '%{http_code}').
cget() { nsenter -t "$(it_leader "$1")" -n curl -s --max-time 2 "${@:2}"; }
code_from() { cget "$1" -o /dev/null -w '%{http_code}' "$2"; }
gateway() { local a; a=$(state_of "$1" ADDRESS); a=${a%/30}; echo "${a%.*}.$((${a##*.} - 1))"; }
# first_source PID PORT NAME OWN FORGED DST: container NAME sends a UDP datagram to DST:PORT from
# the address FORGED, then one from its own address OWN; prints the source of the first datagram
# a listener in PID's network namespace on PORT receives ("nothing" within 10 s). IPv4 needs a
# root with CAP_NET_RAW or CAP_NET_ADMIN (IP_TRANSPARENT; root here); IPv6 needs no capability
# at all (IPV6_FREEBIND): the sender runs without any.
first_source() {
        local out=$IT_WORK/first-source listener sender=(python3)
        case $6 in # nobody's python: root's PATH may lead where nobody cannot go
        *:*) sender=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all /usr/bin/python3) ;;
        esac
        nsenter -t "$1" -n python3 -c '
import socket, sys
family = socket.AF_INET6 if ":" in sys.argv[2] else socket.AF_INET
s = socket.socket(family, socket.SOCK_DGRAM)
s.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", int(sys.argv[1])))
s.settimeout(10)
try:
    print(s.recvfrom(100)[1][0])
except OSError:
    print("nothing")
' "$2" "$6" >"$out" &
        listener=$!
        for _ in $(seq 100); do
                nsenter -t "$1" -n ss -Hlun "sport = :$2" | grep -q . && break
                sleep 0.05
        done
        nsenter -t "$(it_leader "$3")" -n "${sender[@]}" -c '
import socket, sys
port, own, forged, dst = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
v6 = ":" in dst
for src in (forged, own):
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
    if v6:
        s.setsockopt(socket.IPPROTO_IPV6, 78, 1)  # IPV6_FREEBIND: bind any address, no capability
    else:
        s.setsockopt(socket.SOL_IP, 19, 1)  # IP_TRANSPARENT: send from any address
    s.bind((src, 0))
    s.sendto(b"hi", (dst, port))
' "$2" "$4" "$5" "$6"
        wait "$listener"
        cat "$out"
}
elements() { nft list table ip berth 2>/dev/null | grep -c 'elements ='; }
lock_free() { flock -n -x "$BERTH_STATE_DIR/net/$1.lock" true; }

web_container web1 "Port=8080:80"
if it_start web1 && it_wait_output '^serving'; then
        web1=$IT_BG_PID
        addr=$(state_of web1 ADDRESS)
        addr=${addr%/30}
        diag "web1: $addr on $(state_of web1 INTERFACE)"
        check_eq "state names the host link" "$(state_of web1 INTERFACE)" "bt-web1"
        check_eq "host link bt-web1 exists with the host end .1" \
                "$(ip -o -4 addr show dev bt-web1 | awk '{print $4}')" "${addr%.*}.$((${addr##*.} - 1))/30"
        check_eq "berth list -o json shows the address and the published port" \
                "$("$BERTH" list -o json | python3 -c 'import json,sys; print(*[(c["address"], c["ports"]) for c in json.load(sys.stdin) if c["name"] == "web1"])')" \
                "('$addr/30', 'tcp:8080:80')"
        check_eq "(a) from wan, HOST:8080 reaches the container's port 80" \
                "$(wan curl -s --max-time 5 "http://$HOST_IP:8080/")" "hello from the container"
        check_eq "(c) from the host itself, its own address:8080 works" \
                "$(get "http://$HOST_IP:8080/")" "hello from the container"
        # busybox httpd listens on IPv6 too: it writes the IPv4 peer as [::ffff:A.B.C.D].
        check_eq "(b) the container reaches wan, which sees the host's wan address (masquerade)" \
                "$(nsenter -t "$(it_leader web1)" -n curl -s --max-time 5 "http://$WAN_IP:9000/cgi-bin/ip" |
                        sed 's/^\[::ffff:\(.*\)\]$/\1/')" "$HOST_IP"
        check "localhost is not published, and the start says so" \
                sh -c "! curl -s --max-time 2 http://127.0.0.1:8080/ && grep -q 'tcp:8080 published.*not on localhost' '$IT_ERR'"
        # The container's private address is not reachable from outside, only what Port= publishes.
        wan ip route add 10.213.0.0/16 via "$HOST_IP"
        check "wan cannot reach the container's own address directly (forward drop)" \
                test "$(wan curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://$addr:80/")" = "000"
        resolv=$(nsenter -t "$(it_leader web1)" -m cat /etc/resolv.conf)
        check "resolv.conf: berth's, made from the host's, over the image's" \
                grep -q "^# Made by berth" <<<"$resolv"
        check "resolv.conf: no loopback server handed to the container" \
                sh -c "! grep -q '^nameserver 127' <<'R'
$resolv
R"
        check_eq "MAC of eth0 set by berth (locally administered)" \
                "$(( 0x$(nsenter -t "$(it_leader web1)" -n cat /sys/class/net/eth0/address | cut -c1-2) & 2 ))" "2"

        # (g) the same port again is refused, naming who has it.
        web_container web2 "Port=8080:80"
        it_run web2
        check_eq "(g) a published port again: start fails (125)" "$IT_RC" "125"
        check "(g) the error names the port and the container that has it" \
                grep -q "Port tcp:8080 is already published by container web1" "$IT_ERR"
        diag "$(cat "$IT_ERR")"
        check_eq "(g) the refused start left no link" "$(links)" "bt-web1"

        subnet=${addr%.*}.$((${addr##*.} - 2))
        # One of its elements already gone (an admin's nft command): nft refuses the whole undo
        # batch then, and the others must go all the same.
        nft delete element ip berth addresses "{ $addr }"
        stop "$web1"
        check_eq "(e) after stop: no bt-* link" "$(links)" ""
        check_eq "(e) after stop: no element left in table ip berth (one deleted by hand before)" \
                "$(elements)" "0"
        check "(e) the refused undo batch is logged" \
                grep -q "web1's nft elements could not be removed in one batch (nft: Error: " "$IT_WORK/web1.err"
        check "(e) after stop: the address lock is released" lock_free "$subnet"
        check "(e) after stop: the port lock is released" lock_free port-tcp-8080
else
        fail "web1 did not start: $(cat "$IT_ERR")"
fi

# The host itself: a container reaches none of its services, through its gateway or any other of
# the host's addresses, unless HostAccess=yes; the host still reaches into it, and containers
# still reach each other's published ports through the host's addresses.
web_container closed "Port=8084:80"
web_container opened "Port=8085:80" "Port=udp:7000:7000" "HostAccess=yes"
if it_start closed && it_wait_output '^serving' && closed=$IT_BG_PID &&
        it_start opened && it_wait_output '^serving'; then
        opened=$IT_BG_PID
        caddr=$(state_of closed ADDRESS)
        caddr=${caddr%/30}
        cgw=$(gateway closed) ogw=$(gateway opened)
        check_eq "default: the host's service through the container's gateway $cgw: no answer" \
                "$(code_from closed "http://$cgw:9100/")" "000"
        check_eq "default: ... through the host's address $HOST_IP: no answer" \
                "$(code_from closed "http://$HOST_IP:9100/")" "000"
        check_eq "default: ... through another container's gateway $ogw: no answer" \
                "$(code_from closed "http://$ogw:9100/")" "000"
        check_eq "HostAccess=yes: the host's service through the gateway $ogw" \
                "$(cget opened "http://$ogw:9100/")" "hello from the host"
        check_eq "HostAccess=yes: ... and through the host's address $HOST_IP" \
                "$(cget opened "http://$HOST_IP:9100/")" "hello from the host"
        check_eq "berth status -o json: host_access true with HostAccess=yes, false without" \
                "$(for n in opened closed; do "$BERTH" status -o json "$n" | python3 -c 'import json,sys; print(json.load(sys.stdin)["host_access"])'; done | tr '\n' ' ')" \
                "True False "
        check_eq "only the HostAccess=yes link is in the set host_access" \
                "$(nft list set ip berth host_access | grep -o '"bt-[a-z]*"')" '"bt-opened"'
        check_eq "default: the host reaches the container's own address" \
                "$(get "http://$caddr/")" "hello from the container"
        check "default: the host pings the container (the echo reply comes back in)" \
                sh -c "'$IT_BUSYBOX' ping -c1 -W2 '$caddr' >/dev/null"
        check "default: the container cannot ping its gateway" \
                sh -c "! nsenter -t '$(it_leader closed)' -n '$IT_BUSYBOX' ping -c1 -W1 '$cgw' >/dev/null"
        check_eq "default: the host reaches the container's published port" \
                "$(get "http://$HOST_IP:8084/")" "hello from the container"
        check_eq "default: wan reaches the container's published port" \
                "$(wan curl -s --max-time 5 "http://$HOST_IP:8084/")" "hello from the container"
        check_eq "default: the container reaches another's published port through the host's address" \
                "$(cget closed "http://$HOST_IP:8085/")" "hello from the container"
        check_eq "default: ... and through its own gateway" \
                "$(cget closed "http://$cgw:8085/")" "hello from the container"
        check_eq "HostAccess=yes: the container reaches another's published port" \
                "$(cget opened "http://$HOST_IP:8084/")" "hello from the container"
        # A container root with CAP_NET_RAW or CAP_NET_ADMIN (Capability=; played by nsenter) sends
        # a datagram from an address that is not its own, then one from its own: the listener
        # names the first that arrives. To another's published port, the forged one was DNAT'd and
        # forwarded as it was, so opened took it for wan's or another container's traffic (and
        # answered there); to the host from the HostAccess=yes container, the host's service saw
        # the forged peer. Only the container's own address passes.
        oaddr=$(state_of opened ADDRESS)
        oaddr=${oaddr%/30}
        for src in 10.213.250.2 "$WAN_IP"; do
                check_eq "to another's published port, forged from $src: what arrives is from the sender's own" \
                        "$(first_source "$(it_leader opened)" 7000 closed "$caddr" "$src" "$HOST_IP")" "$caddr"
        done
        for src in 10.213.250.2 "$caddr" "$WAN_IP"; do
                check_eq "HostAccess=yes: to the host, forged from $src: what arrives is from the sender's own" \
                        "$(first_source $$ 7001 opened "$oaddr" "$src" "$ogw")" "$oaddr"
        done
        stop "$opened"
        stop "$closed"
        check_eq "after stop: no element left (host_access empty too)" "$(elements)" "0"
else
        fail "closed or opened did not start: $(cat "$IT_ERR")"
        [ -n "${closed:-}" ] && stop "$closed"
fi

# The supervisor SIGKILLed after each step of the pipeline (src/launch/fault-inject.c): the next
# start succeeds, with the same address, and leaves nothing once stopped.
web_container fault "Port=8090:80"
if it_start fault && it_wait_output '^serving'; then
        reference=$(state_of fault ADDRESS)
        stop "$IT_BG_PID"
        for step in clone register network release state; do
                BERTH_TEST_KILL_AT=$step timeout 60 "$BERTH" run --register=no fault </dev/null >/dev/null 2>&1
                rc=$?
                # Killed right after clone, the not yet released child still holds a copy of the
                # container's lock until it sees its supervisor gone (EOF on the sync socket).
                for _ in $(seq 50); do
                        flock -n -x "$BERTH_STATE_DIR/fault/lock" true 2>/dev/null && break
                        sleep 0.1
                done
                if it_start fault && it_wait_output '^serving'; then
                        check_eq "killed after '$step' ($rc): the next start gets the same address" \
                                "$(state_of fault ADDRESS)" "$reference"
                        check_eq "killed after '$step': the port is published again" \
                                "$(wan curl -s --max-time 5 "http://$HOST_IP:8090/")" "hello from the container"
                        stop "$IT_BG_PID"
                        check "killed after '$step': after the next stop nothing is left" \
                                test "$(links)$(elements)" = "0"
                else
                        fail "killed after '$step': the next start failed: $(cat "$IT_ERR")"
                fi
        done
else
        fail "fault did not start: $(cat "$IT_ERR")"
fi

# A name too long for IFNAMSIZ: cut and hashed, the full bt-NAME as altname.
web_container application-frontend
if it_start application-frontend && it_wait_output '^serving'; then
        short=$(state_of application-frontend INTERFACE)
        check "long name: the link is bt- + 7 characters + '_' + 4 hex digits" \
                sh -c "echo '$short' | grep -qx 'bt-applica_[0-9a-f]\{4\}'"
        check "long name: bt-application-frontend finds the link (altname)" \
                sh -c "ip -o link show dev bt-application-frontend | grep -q '$short'"
        # A container named like the cut and the hash (applica-XXXX, a valid name) once got the same
        # link name, took the running one's link for a leftover of its own and deleted it.
        frontend=$IT_BG_PID
        twin=${short:3:7}-${short:11:4}
        faddr=$(state_of application-frontend ADDRESS)
        web_container "$twin"
        if it_start "$twin" && it_wait_output '^serving'; then
                check_eq "the twin $twin has a link of its own" "$(links)" "$(printf '%s\n' "$short" "bt-$twin" | sort)"
                check "the twin's start left application-frontend its eth0" \
                        nsenter -t "$(it_leader application-frontend)" -n ip link show eth0
                check_eq "application-frontend still answers on its address" \
                        "$(get "http://${faddr%/30}/")" "hello from the container"
                stop "$IT_BG_PID"
        else
                fail "the twin $twin did not start: $(cat "$IT_ERR")"
        fi
        IT_BG_PID=$frontend
        stop "$IT_BG_PID"
        check_eq "long name: after stop no bt-* link" "$(links)" ""
else
        fail "application-frontend did not start: $(cat "$IT_ERR")"
fi

# A router advertisement from the container (its root with CAP_NET_RAW, played here by nsenter
# into its network namespace): this host forwards no IPv6, so with accept_ra=1 on bt-ra it took a
# default route through the container and an address in the container's prefix.
web_container ra
if it_start ra && it_wait_output '^serving'; then
        check_eq "bt-ra does not accept router advertisements" "$(sysctl -n net.ipv6.conf.bt-ra.accept_ra)" "0"
        # An RA must come from a link-local address that passed duplicate address detection.
        for _ in $(seq 50); do
                nsenter -t "$(it_leader ra)" -n ip -6 -o addr show dev eth0 scope link | grep -v tentative |
                        grep -q fe80 && break
                sleep 0.1
        done
        nsenter -t "$(it_leader ra)" -n python3 - <<'PY'
import socket, struct
idx = socket.if_nametoindex("eth0")
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)
ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 1800, 0, 0)  # router lifetime 1800 s
prefix = struct.pack("!BBBBIII", 3, 4, 64, 0xC0, 86400, 14400, 0) + socket.inet_pton(socket.AF_INET6, "2001:db8:bad::")
s.sendto(ra + prefix, ("ff02::1", 0, 0, idx))
PY
        sleep 1
        check_eq "an RA from the container gives the host no default route through it" \
                "$(ip -6 route show default dev bt-ra)" ""
        check_eq "... and no address in the container's prefix" \
                "$(ip -6 addr show dev bt-ra | grep -c 2001:db8:bad)" "0"
        stop "$IT_BG_PID"
else
        fail "ra did not start: $(cat "$IT_ERR")"
fi

# (e) a SIGKILLed supervisor: its elements stay until the next start of any container collects them.
web_container victim "Port=8081:80" "HostAccess=yes" "LinkLocalAccess=yes"
if it_start victim && it_wait_output '^serving'; then
        check "SIGKILL: the victim's link is in host_access and link_local before" \
                sh -c "nft list set ip berth host_access | grep -q bt-victim && nft list set ip berth link_local | grep -q bt-victim"
        vsub=$(state_of victim ADDRESS); vsub=${vsub%/*}; vsub=${vsub%.*}.$((${vsub##*.} - 2))
        kill -KILL "$(state_of victim SUPERVISOR)"
        wait "$IT_BG_PID" 2>/dev/null
        check "SIGKILL: the supervisor's elements are still there" test "$(elements)" -gt 0
        web_container next "Port=8082:80"
        if it_start next && it_wait_output '^serving'; then
                check_eq "(e) next start collected the killed one's link" "$(links)" "bt-next"
                check "(e) next start collected the killed one's elements" \
                        sh -c "! nft list table ip berth | grep -q -e bt-victim -e 8081"
                check "(e) the killed one's address lock is free" lock_free "$vsub"
                stop "$IT_BG_PID"
                check_eq "after both: no element left" "$(elements)" "0"
        else
                fail "next did not start: $(cat "$IT_ERR")"
        fi
else
        fail "victim did not start: $(cat "$IT_ERR")"
fi

# (d) IPv6=yes: refused while IPv6 forwarding is off (berth never turns it on), then the same
# checks over the ULA /64 once the (throwaway) host namespace forwards.
HOST_IP6=2001:db8::1 WAN_IP6=2001:db8::2
ip addr add "$HOST_IP6/64" dev host0 nodad
wan ip addr add "$WAN_IP6/64" dev wan0 nodad
sysctl -qw net.ipv6.conf.all.forwarding=0
web_container web6 "Port=8080:80" "IPv6=yes"
it_run web6
check_eq "(d) IPv6=yes with forwarding off: start refused (125)" "$IT_RC" "125"
check "(d) the refusal says why and what to set" grep -q "accept_ra=2.*forwarding=1" "$IT_ERR"
check_eq "(d) forwarding was not turned on" "$(sysctl -n net.ipv6.conf.all.forwarding)" "0"
check_eq "(d) the refused start left no link" "$(links)" ""
sysctl -qw net.ipv6.conf.all.forwarding=1
if it_start web6 && it_wait_output '^serving'; then
        addr6=$(state_of web6 ADDRESS6)
        diag "web6: $addr6"
        check "(d) the container has a ULA /64 address" sh -c "echo '$addr6' | grep -q '^fd[0-9a-f:]*::2/64$'"
        gw6=${addr6%::2/64}::1
        check_eq "(d) default: the host's service through the IPv6 gateway $gw6: no answer" \
                "$(code_from web6 "http://[$gw6]:9100/")" "000"
        check_eq "(d) default: ... through the host's IPv6 address: no answer" \
                "$(code_from web6 "http://[$HOST_IP6]:9100/")" "000"
        check_eq "(d) the host reaches the container over IPv6 directly" \
                "$(get "http://[${addr6%/64}]/")" "hello from the container"
        check_eq "(d) from wan, [HOST]:8080 reaches the container over IPv6" \
                "$(wan curl -s --max-time 5 "http://[$HOST_IP6]:8080/")" "hello from the container"
        check_eq "(d) from the host itself, its own IPv6 address:8080 works" \
                "$(get "http://[$HOST_IP6]:8080/")" "hello from the container"
        check_eq "(d) the container reaches wan over IPv6, seen as the host's address (masquerade)" \
                "$(nsenter -t "$(it_leader web6)" -n curl -s --max-time 5 "http://[$WAN_IP6]:9000/cgi-bin/ip" |
                        tr -d '[]')" "$HOST_IP6"
        stop "$IT_BG_PID"
        check_eq "(d) after stop: no element left in table ip6 berth" \
                "$(nft list table ip6 berth | grep -c 'elements =')" "0"
else
        fail "web6 did not start: $(cat "$IT_ERR")"
fi
# Two /30s whose index shares its 16 low bits (here through Address=; also two pools) once got the
# same ULA /64: the same addresses on two links, the second container's IPv6 traffic routed to
# the first, and the first stop deleting the other's masquerade element.
web_container v6a "IPv6=yes" "Address=10.1.0.4/30" "HostAccess=yes" "Port=udp:7002:7002"
web_container v6b "IPv6=yes" "Address=10.5.0.4/30"
if it_start v6a && it_wait_output '^serving' && v6a=$IT_BG_PID && it_start v6b && it_wait_output '^serving'; then
        a6=$(state_of v6a ADDRESS6) b6=$(state_of v6b ADDRESS6)
        diag "v6a: $a6, v6b: $b6"
        check "(d) two containers never share an IPv6 address" test "${a6%/64}" != "${b6%/64}"
        check_eq "(d) HostAccess=yes: the host's service through the IPv6 gateway" \
                "$(cget v6a "http://[${a6%::2/64}::1]:9100/")" "hello from the host"
        check_eq "(d) HostAccess=yes: ... and through the host's IPv6 address" \
                "$(cget v6a "http://[$HOST_IP6]:9100/")" "hello from the host"
        check_eq "(d) default: v6b does not reach it" "$(code_from v6b "http://[$HOST_IP6]:9100/")" "000"
        check_eq "(d) containers stay apart over IPv6: v6b cannot reach v6a's own address" \
                "$(code_from v6b "http://[${a6%/64}]/")" "000"
        # Forged IPv6 sources need no capability (IPV6_FREEBIND): v6b's unprivileged process to
        # v6a's published port, v6a's to the host it may reach (HostAccess=yes).
        for src in "${a6%::2/64}::99" "$WAN_IP6"; do
                check_eq "(d) to another's published port over IPv6, forged from $src without capabilities: what arrives is from the sender's own" \
                        "$(first_source "$(it_leader v6a)" 7002 v6b "${b6%/64}" "$src" "$HOST_IP6")" "${b6%/64}"
        done
        for src in "${b6%/64}" "$WAN_IP6"; do
                check_eq "(d) HostAccess=yes: to the host over IPv6, forged from $src without capabilities: what arrives is from the sender's own" \
                        "$(first_source $$ 7003 v6a "${a6%/64}" "$src" "${a6%::2/64}::1")" "${a6%/64}"
        done
        check "(d) the host routes v6b's address to v6b's link" \
                sh -c "ip -6 route get '${b6%/64}' | grep -q 'dev bt-v6b '"
        stop "$IT_BG_PID"
        check_eq "(d) v6b's stop left v6a's address in the masquerade set" \
                "$(nft list set ip6 berth addresses | grep -c "${a6%/64}")" "1"
        stop "$v6a"
else
        fail "v6a or v6b did not start: $(cat "$IT_ERR")"
        [ -n "${v6a:-}" ] && stop "$v6a"
fi
# Link-local addresses beyond the container's own link: the cloud's instance metadata service
# (169.254.169.254, AWS's fd00:ec2::254), played by wan's httpd on both, routed from the host
# through wan. A container's request was forwarded there masqueraded behind the host's address,
# and would have got the host's credentials; only LinkLocalAccess=yes lets it through. The host
# itself (not forwarded) still reaches it.
wan ip addr add 169.254.169.254/32 dev wan0 && wan ip addr add fd00:ec2::254/128 dev wan0 nodad
ip route add 169.254.169.254/32 via "$WAN_IP" && ip route add fd00:ec2::254/128 via "$WAN_IP6"
web_container meta "IPv6=yes"
if it_start meta && it_wait_output '^serving'; then
        check_eq "the host itself reaches 169.254.169.254 (and fd00:ec2::254)" \
                "$(get -o /dev/null -w '%{http_code}' http://169.254.169.254:9000/cgi-bin/ip) $(get -o /dev/null -w '%{http_code}' "http://[fd00:ec2::254]:9000/cgi-bin/ip")" "200 200"
        check_eq "default: the container does not reach 169.254.169.254 through the host" \
                "$(code_from meta http://169.254.169.254:9000/cgi-bin/ip)" "000"
        check_eq "default: nor fd00:ec2::254" "$(code_from meta "http://[fd00:ec2::254]:9000/cgi-bin/ip")" "000"
        check_eq "default: wan's other address still answers (only link-local is dropped)" \
                "$(code_from meta "http://$WAN_IP:9000/cgi-bin/ip")" "200"
        stop "$IT_BG_PID"
else
        fail "meta did not start: $(cat "$IT_ERR")"
fi
web_container metaok "IPv6=yes" "LinkLocalAccess=yes"
if it_start metaok && it_wait_output '^serving'; then
        check_eq "LinkLocalAccess=yes: 169.254.169.254 answers, seeing the host's address" \
                "$(cget metaok http://169.254.169.254:9000/cgi-bin/ip | sed 's/^\[::ffff:\(.*\)\]$/\1/')" "$HOST_IP"
        check_eq "LinkLocalAccess=yes: fd00:ec2::254 answers" \
                "$(code_from metaok "http://[fd00:ec2::254]:9000/cgi-bin/ip")" "200"
        check_eq "the LinkLocalAccess=yes link is in the sets link_local of both tables" \
                "$(nft list set ip berth link_local | grep -o '"bt-[a-z]*"') $(nft list set ip6 berth link_local | grep -o '"bt-[a-z]*"')" \
                '"bt-metaok" "bt-metaok"'
        check_eq "berth status: link_local_access true in -o json, and in the text" \
                "$("$BERTH" status -o json metaok | python3 -c 'import json,sys; print(json.load(sys.stdin)["link_local_access"])') $("$BERTH" status --lines=0 --no-pager metaok 2>/dev/null | grep -c '^ Link-local: yes')" \
                "True 1"
        stop "$IT_BG_PID"
        check "after stop: link_local is empty" \
                sh -c "! nft list table ip berth | grep -q bt-metaok && ! nft list table ip6 berth | grep -q bt-metaok"
else
        fail "metaok did not start: $(cat "$IT_ERR")"
fi
ip route del 169.254.169.254/32 && ip route del fd00:ec2::254/128
# IPv6=no with the host forwarding IPv6 (for another container): an IPv6 frame the container
# (root with CAP_NET_RAW, played by nsenter) addresses to the host end, from a source address it
# made up, was forwarded to wan; berth's ip6 table does not know that link at all.
web_container no6
if it_start no6 && it_wait_output '^serving'; then
        check_eq "IPv6=no: the host end has no IPv6" "$(sysctl -n net.ipv6.conf.bt-no6.disable_ipv6)" "1"
        wan python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 9999))
s.settimeout(3)
try:
    print("received from", s.recvfrom(100)[1][0])
except OSError:
    print("nothing")
' >"$IT_WORK/no6.wan" &
        listener=$!
        sleep 0.5
        nsenter -t "$(it_leader no6)" -n python3 - "$(ip -o link show bt-no6 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')" <<'PY'
import socket, struct, sys
src = socket.inet_pton(socket.AF_INET6, "2001:db8::77")  # not the container's, not anyone's
dst = socket.inet_pton(socket.AF_INET6, "2001:db8::2")  # wan
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
data = b"spoofed"
n = 8 + len(data)
udp = struct.pack("!HHHH", 40000, 9999, n, 0) + data
b = src + dst + struct.pack("!I3xB", n, 17) + udp + b"\0" * (len(udp) % 2)
t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
while t >> 16:
    t = (t >> 16) + (t & 0xFFFF)
udp = udp[:6] + struct.pack("!H", (~t & 0xFFFF) or 0xFFFF) + udp[8:]
ip6 = struct.pack("!IHBB", 6 << 28, n, 17, 64) + src + dst
s.send(bytes.fromhex(sys.argv[1].replace(":", "")) + s.getsockname()[4] + b"\x86\xdd" + ip6 + udp)
PY
        wait "$listener"
        check_eq "IPv6=no: a spoofed IPv6 packet from the container is not forwarded" "$(cat "$IT_WORK/no6.wan")" "nothing"
        stop "$IT_BG_PID"
else
        fail "no6 did not start: $(cat "$IT_ERR")"
fi

# berth verify: an AddressPool= that overlaps the host's network is an error at its line.
it_container pool <<C
[Container]
Directory=$IT_ROOT
[Network]
VirtualEthernet=yes
AddressPool=192.0.2.0/25
C
"$BERTH" verify pool >/dev/null 2>"$IT_WORK/verify.err"
check_eq "verify: AddressPool= overlapping the host's network is refused at file:line" "$(cat "$IT_WORK/verify.err")" \
        "$BERTH_CONFIG_PATH/pool.container:5: [Network] AddressPool=192.0.2.0/25: overlaps the host's network 192.0.2.0/24 on host0 (expected a private range the host does not use, such as 10.213.0.0/16)"
# A route (not only an address) of the host counts as its network: for verify, and for a start
# with Address= inside it.
ip route add 10.99.0.0/29 via "$WAN_IP"
it_container routepool <<C
[Container]
Directory=$IT_ROOT
[Network]
VirtualEthernet=yes
AddressPool=10.99.0.0/28
C
"$BERTH" verify routepool >/dev/null 2>"$IT_WORK/verify.err"
check "verify: AddressPool= overlapping a route of the host is refused, naming it" \
        grep -q "routepool.container:5: \[Network\] AddressPool=10.99.0.0/28: overlaps the host's network 10.99.0.0/29 on host0" "$IT_WORK/verify.err"
web_container routeaddr "Address=10.99.0.4/30"
it_run routeaddr
check_eq "Address= inside a route of the host: start refused (125)" "$IT_RC" "125"
check "Address= inside a route of the host: the error names it" \
        grep -q "Address=10.99.0.4/30 overlaps the host's network 10.99.0.0/29 on host0" "$IT_ERR"
check_eq "Address= refused: no link left" "$(links)" ""
ip route del 10.99.0.0/29
it_container lowport <<C
[Container]
Directory=$IT_ROOT
[Network]
Private=no
C
check "verify: Private=no with a user namespace notes why ports below 1024 fail" \
        sh -c "'$BERTH' verify lowport | grep -q 'binding ports below 1024 fails with EACCES.*Port='"

# berth verify: the other bad inputs of issue 14, each at its file:line, naming the key.
verify_bad() { # NAME EXPECTED [Network] lines...
        local name=$1 want=$2
        shift 2
        printf '[Container]\nDirectory=%s\n[Network]\n' "$IT_ROOT" >"$BERTH_CONFIG_PATH/$name.container"
        printf '%s\n' "$@" >>"$BERTH_CONFIG_PATH/$name.container"
        "$BERTH" verify "$name" >/dev/null 2>"$IT_WORK/verify.err"
        check_eq "verify: $name refused at file:line" "$(cat "$IT_WORK/verify.err")" \
                "$BERTH_CONFIG_PATH/$name.container:$want"
}
verify_bad badrange '5: [Network] Port=8080:70000: port out of range in "8080:70000" (expected ports from 1 to 65535)' \
        VirtualEthernet=yes Port=8080:70000
verify_bad dupport '6: [Network] Port=tcp:8080:81: duplicate port tcp:8080 (expected each host port once per protocol: it leads to one container port)' \
        VirtualEthernet=yes Port=8080:80 Port=tcp:8080:81
verify_bad noveth '4: [Network] Port=8080:80: Port= needs VirtualEthernet=yes (expected VirtualEthernet=yes in [Network]: ports are published to the container'"'"'s own interface)' \
        Port=8080:80
verify_bad hostnoveth '4: [Network] HostAccess=yes: HostAccess=yes needs VirtualEthernet=yes (expected VirtualEthernet=yes in [Network]: HostAccess= opens the host to the container'"'"'s own interface)' \
        HostAccess=yes
verify_bad linklocalnoveth '4: [Network] LinkLocalAccess=yes: LinkLocalAccess=yes needs VirtualEthernet=yes (expected VirtualEthernet=yes in [Network]: LinkLocalAccess= lets the container'"'"'s own interface reach 169.254.0.0/16 through the host)' \
        LinkLocalAccess=yes

# Another table's forward hook with policy drop (what Docker sets): the start says so, and the
# state (berth status) records it.
nft -f - <<'NFT'
table ip dockerlike {
        chain FORWARD { type filter hook forward priority filter; policy drop; }
}
NFT
web_container blocked "Port=8083:80"
if it_start blocked && it_wait_output '^serving'; then
        check "forward drop elsewhere: the start warns, naming the table and chain" \
                grep -q "dropped by table ip dockerlike chain FORWARD" "$IT_ERR"
        check_eq "forward drop elsewhere: recorded for berth status" "$(state_of blocked FORWARD_BLOCKED)" \
                "table ip dockerlike chain FORWARD (policy drop)"
        check_eq "forward drop elsewhere: wan indeed cannot reach the published port" \
                "$(wan curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://$HOST_IP:8083/")" "000"
        status=$("$BERTH" status --no-pager blocked 2>&1)
        check "forward drop elsewhere: berth status warns, naming the chain" \
                grep -q "Warning: forwarded traffic is dropped by table ip dockerlike chain FORWARD" <<<"$status"
        fix=$(sed -n 's/^ *Fix: //p' <<<"$status")
        diag "fix: $fix"
        check "forward drop elsewhere: the start warning names the same fix" grep -qF "$fix" "$IT_ERR"
        eval "$fix"
        check_eq "forward drop elsewhere: after the fix berth status names, wan reaches the port" \
                "$(wan curl -s --max-time 5 "http://$HOST_IP:8083/")" "hello from the container"
        stop "$IT_BG_PID"
else
        fail "blocked did not start: $(cat "$IT_ERR")"
fi
nft delete table ip dockerlike

# firewalld's shape (its nftables backend): policy accept, but the last rule rejects what no zone
# accepted. Published ports pass (ct status dnat), the container's own connections do not.
nft -f - <<'NFT'
table inet fwlike {
        chain filter_FORWARD {
                type filter hook forward priority filter + 10; policy accept;
                ct state { established, related } accept
                ct status dnat accept
                reject with icmpx admin-prohibited
        }
}
NFT
web_container rejected
if it_start rejected && it_wait_output '^serving'; then
        check "final reject elsewhere: the start warns, naming the table, chain and rule" \
                grep -q "dropped by table inet fwlike chain filter_FORWARD (last rule: reject)" "$IT_ERR"
        check_eq "final reject elsewhere: recorded for berth status" "$(state_of rejected FORWARD_BLOCKED)" \
                "table inet fwlike chain filter_FORWARD (last rule: reject)"
        check_eq "final reject elsewhere: the container indeed cannot reach wan" \
                "$(nsenter -t "$(it_leader rejected)" -n curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://$WAN_IP:9000/cgi-bin/ip")" "000"
        fix=$("$BERTH" status --no-pager rejected 2>&1 | sed -n 's/^ *Fix: //p')
        eval "$fix"
        check_eq "final reject elsewhere: after the fix berth status names, the container reaches wan" \
                "$(nsenter -t "$(it_leader rejected)" -n curl -s --max-time 5 "http://$WAN_IP:9000/cgi-bin/ip" |
                        sed 's/^\[::ffff:\(.*\)\]$/\1/')" "$HOST_IP"
        stop "$IT_BG_PID"
else
        fail "rejected did not start: $(cat "$IT_ERR")"
fi
nft delete table inet fwlike

# (f) parallel starts get distinct subnets.
N=50
pids=()
for i in $(seq $N); do
        web_container "par$i"
        timeout 120 "$BERTH" run --register=no "par$i" </dev/null >"$IT_WORK/par$i.out" 2>"$IT_WORK/par$i.err" &
        pids+=($!)
        IT_PIDS+=($!)
done
for i in $(seq $N); do
        for _ in $(seq 200); do
                grep -q serving "$IT_WORK/par$i.out" 2>/dev/null && break
                kill -0 "${pids[$((i - 1))]}" 2>/dev/null || break
                sleep 0.1
        done
done
addrs=$(for i in $(seq $N); do state_of "par$i" ADDRESS 2>/dev/null; done | sort)
for i in $(seq $N); do # say why a start did not come up
        grep -q serving "$IT_WORK/par$i.out" 2>/dev/null || diag "par$i: $(cat "$IT_WORK/par$i.err")"
done
check_eq "(f) $N parallel starts all running" "$(echo "$addrs" | grep -c .)" "$N"
check_eq "(f) $N parallel starts got $N distinct subnets" "$(echo "$addrs" | sort -u | grep -c .)" "$N"
check_eq "(f) $N bt-* links" "$(links | wc -l)" "$N"
a2=$(state_of par2 ADDRESS)
check_eq "containers are isolated: par1 cannot reach par2's own address" \
        "$(nsenter -t "$(it_leader par1)" -n curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://${a2%/30}:80/")" "000"
check_eq "...while the host can" \
        "$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://${a2%/30}:80/")" "200"
for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
statuses=()
for p in "${pids[@]}"; do
        wait "$p" 2>/dev/null
        statuses+=("$?")
done
check_eq "(f) after stopping them: no bt-* link" "$(links)" ""
left=$(elements)
check_eq "(f) after stopping them: no element left" "$left" "0"
if [ "$left" != 0 ]; then # whose, and how each supervisor ended
        diag "$(nft list table ip berth | grep 'elements =')"
        for i in $(seq $N); do
                diag "par$i: exit ${statuses[$((i - 1))]}: $(tail -n 3 "$IT_WORK/par$i.err")"
        done
fi

tap_done
