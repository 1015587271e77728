#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The Debian root of the shipped examples' tests (nginx-light, redis-server, postgresql-15 and
# procps, variant apt; the uid/gid numbers in units/examples/*.container are this root's), from
# the one cache of debian-root.sh: prints its path. A BED_PREPARE command (no arguments) of
# system-examples-debian, also used by tests/integration/examples, so a machine makes it once.
exec "$(dirname "$(readlink -f "$0")")/debian-root.sh" apt nginx-light,redis-server,postgresql-15,procps
