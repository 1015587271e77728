#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs COMMAND in the foreground of a fresh pseudo-terminal (its stdin, stdout, stderr and
# controlling terminal, as an administrator's shell would; with --pipes stdout and stderr are a
# pipe, so berth is not interactive), waits until the file READY exists, types Ctrl-C into the
# terminal (with --twice: again, half a second later) and waits up to 10 s for COMMAND to end.
# Prints "exit N" (its status) or "still running" (then it is killed).
#
# usage: init-tty.py [--pipes] [--twice] READY COMMAND [ARGS...]
import fcntl
import os
import select
import subprocess
import sys
import termios
import time

args = sys.argv[1:]
pipes = "--pipes" in args
twice = "--twice" in args
args = [a for a in args if a not in ("--pipes", "--twice")]
ready_file, cmd = args[0], args[1:]
master, slave = os.openpty()


def make_ctty():
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


out = subprocess.DEVNULL if pipes else slave
proc = subprocess.Popen(cmd, stdin=slave, stdout=out, stderr=out, start_new_session=True,
                        preexec_fn=make_ctty, close_fds=True)
os.close(slave)


def pump(seconds, until):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if until():
            return True
        r, _, _ = select.select([master], [], [], 0.1)
        if r:
            try:
                os.read(master, 65536)
            except OSError:
                pass
    return until()


if not pump(10, lambda: os.path.exists(ready_file) or proc.poll() is not None):
    print("never ready")
os.write(master, b"\x03")
if twice:
    pump(0.5, lambda: proc.poll() is not None)
    os.write(master, b"\x03")
if pump(10, lambda: proc.poll() is not None):
    print(f"exit {proc.returncode}")
else:
    print("still running")
    proc.kill()
    proc.wait()
