# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by the scripts of the system suite that run inside the bed (bed 1 or the VM bed, where
# BERTH_SRC is the source tree): TAP (tests/lib/tap.sh) and the helpers they share.
. "$BERTH_SRC/tests/lib/tap.sh"

# bed_prepared_root: ROOT= the Debian root bed.sh's BED_PREPARE made on the host and bound into
# the bed as $BED_PREPARED; without it (the script run without bed.sh's host side), bail out.
bed_prepared_root() {
        ROOT=${BED_PREPARED:-}
        if [ -z "$ROOT" ]; then
                echo "Bail out! no Debian root: bed.sh makes it on the host (BED_PREPARE)"
                exit 1
        fi
}

prop() { systemctl show -P "$2" "$1" 2>/dev/null; } # prop UNIT PROPERTY
leader() { machinectl show -p Leader --value "$1" 2>/dev/null; } # leader MACHINE

# Payloads that record what they received, one line each, in $T/NAME/log: /mnt/log inside.
# log_dir TOPIC: T= a new directory /tmp/berth-TOPIC.XXXXXX the containers' users can enter (the
# caller's cleanup removes it).
log_dir() {
        T=$(mktemp -d "/tmp/berth-$1.XXXXXX")
        chmod 755 "$T"
}
count() { grep -cx "$2" "$T/$1/log" 2>/dev/null; } # count NAME LINE
# container NAME [section lines...]: /etc/berth/NAME.container, whose payload can write to /mnt/log
container() {
        local n=$1
        shift
        mkdir -p "$T/$n"
        chmod 777 "$T/$n"
        : >"$T/$n/log"
        chmod 666 "$T/$n/log"
        { echo "[Container]"; printf '%s\n' "$@"; printf '[Files]\nBind=%s:/mnt\n' "$T/$n"; } \
                >"/etc/berth/$n.container"
}
