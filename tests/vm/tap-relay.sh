# SPDX-License-Identifier: LGPL-2.1-or-later
# tap_relay PREFIX FILE: re-emits the TAP checks in FILE as checks of the current test (sourced
# after tests/lib/tap.sh), descriptions prefixed with PREFIX, comments passed through, other
# lines shown as comments. Then one more check: FILE's plan was present and every planned check
# ran (a crashed or truncated run fails). Sets RELAY_FAILED to the number of failed checks in FILE.
tap_relay() {
        local prefix=$1 file=$2 line plan= seen=0
        RELAY_FAILED=0
        while IFS= read -r line; do
                case $line in
                "ok "*) seen=$((seen + 1)); ok "$prefix$(echo "$line" | sed -E 's/^ok [0-9]+ ?-? ?//')" ;;
                "not ok "*)
                        seen=$((seen + 1)); RELAY_FAILED=$((RELAY_FAILED + 1))
                        fail "$prefix$(echo "$line" | sed -E 's/^not ok [0-9]+ ?-? ?//')" ;;
                1..*) plan=${line#1..} ;;
                "#"*) echo "$line" ;;
                *) echo "# | $line" ;;
                esac
        done < "$file"
        check_eq "${prefix}every planned check ran" "$seen" "${plan:-no plan}"
}
