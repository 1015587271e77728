#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The bootable Debian root of the Boot=yes system tests (systemd, systemd-sysv, dbus, procps on
# minbase), from the one cache of debian-root.sh: prints its path. A BED_PREPARE command (no
# arguments), shared by system-boot-debian and system-creds-boot so CI makes it once.
exec "$(dirname "$(readlink -f "$0")")/debian-root.sh" minbase systemd,systemd-sysv,dbus,procps
