#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Makes (or takes from the cache) a bootable Debian root, then runs boot-debian.sh in test bed 1
# with that root bound in. Without mmdebstrap or the mirror: a TAP skip, not a pass.
# usage: boot-debian-bed.sh SOURCE_DIR BUILD_DIR
set -u
here=$(dirname "${BASH_SOURCE[0]}")
if ! root=$("$1/tests/lib/debian-boot-root.sh"); then
        echo "1..0 # SKIP no bootable Debian root (mmdebstrap or the Debian mirror missing)"
        exit 0
fi
BED_BIND=$root BED_TIMEOUT=${BED_TIMEOUT:-280} exec "$here/bed.sh" "$1" "$2" "$here/boot-debian.sh" "$root"
