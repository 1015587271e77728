#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs COMMAND with a fresh pseudo-terminal as its controlling terminal and stdin (and stdout and
# stderr with --interactive; pipes otherwise), as an administrator's shell would, then reports
# whether anything was pushed into that terminal's input queue while it ran: bytes waiting there
# after COMMAND exits would be read and executed by the administrator's shell (TIOCSTI).
# Prints COMMAND's output, then one line "INPUT-QUEUE: <repr of the bytes>"; exits with COMMAND's
# status.
#
# usage: escape-tty.py [--interactive] COMMAND [ARGS...]
import os
import select
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..", "lib"))
from admin_tty import input_queue, make_ctty, open_pty  # noqa: E402

interactive = sys.argv[1] == "--interactive"
cmd = sys.argv[2:] if interactive else sys.argv[1:]

master, slave = open_pty()
out_fd = slave if interactive else subprocess.PIPE
proc = subprocess.Popen(cmd, stdin=slave, stdout=out_fd, stderr=out_fd if interactive else subprocess.STDOUT,
                        start_new_session=True, preexec_fn=make_ctty, close_fds=True)
output = b""
watch = [master] + ([] if interactive else [proc.stdout.fileno()])
while True:
    ready, _, _ = select.select(watch, [], [], 0.2)
    for fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            watch.remove(fd)
        elif fd != master or interactive:
            output += data
    if proc.poll() is not None and not ready:
        break
if not interactive:
    output += proc.stdout.read()

queued = input_queue(slave)
sys.stdout.write(output.decode(errors="replace"))
print("INPUT-QUEUE: %r" % queued)
sys.exit(proc.returncode)
