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
import fcntl
import os
import select
import subprocess
import sys
import termios

interactive = sys.argv[1] == "--interactive"
cmd = sys.argv[2:] if interactive else sys.argv[1:]

master, slave = os.openpty()


def make_ctty():
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


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

# What is left in the input queue of the terminal (as the next reader of it would get it).
attrs = termios.tcgetattr(slave)
attrs[3] &= ~(termios.ICANON | termios.ECHO)
attrs[6][termios.VMIN] = 0
attrs[6][termios.VTIME] = 0
termios.tcsetattr(slave, termios.TCSANOW, attrs)
os.set_blocking(slave, False)
queued = b""
try:
    while True:
        chunk = os.read(slave, 4096)
        if not chunk:
            break
        queued += chunk
except BlockingIOError:
    pass
sys.stdout.write(output.decode(errors="replace"))
print("INPUT-QUEUE: %r" % queued)
sys.exit(proc.returncode)
