#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# An administrator's terminal for `berth exec`: runs COMMAND with a fresh pty as its controlling
# terminal and its stdin, stdout and stderr (as a shell would), the window ROWSxCOLS, and prints
# what COMMAND wrote there. Then, while that terminal still exists, runs AFTER (if given) with
# ADMIN_TTY=<device>:<inode> of the terminal (as stat -L -c %d:%i prints it: major:minor alone
# does not tell two devpts instances apart) and ADMIN_SID=<the session COMMAND led>, its output
# passed through: a check of what a process left behind by COMMAND holds. Finally prints "INPUT-QUEUE: <repr>": bytes pushed into the terminal's
# input (TIOCSTI) that the administrator's shell would read next.
#
# --resize R C: when COMMAND's output first contains "RESIZE-NOW", set the window to RxC (the
# kernel sends SIGWINCH to the terminal's foreground group) and then type a newline.
#
# usage: admin-tty.py [--size R C] [--resize R C] COMMAND... [--- AFTER...]
import os
import select
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..", "lib"))
from admin_tty import input_queue, make_ctty, open_pty, set_size  # noqa: E402

args = sys.argv[1:]
size = (24, 80)
resize = None
while args and args[0] in ("--size", "--resize"):
    value = (int(args[1]), int(args[2]))
    if args[0] == "--size":
        size = value
    else:
        resize = value
    args = args[3:]
after = []
if "---" in args:
    i = args.index("---")
    args, after = args[:i], args[i + 1:]

master, slave = open_pty(size)
proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                        preexec_fn=make_ctty, close_fds=True)
output = b""
while True:
    ready, _, _ = select.select([master], [], [], 0.2)
    if ready:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b""
        output += data
        if resize and b"RESIZE-NOW" in output:
            set_size(master, resize)
            os.write(master, b"\n")
            resize = None
    elif proc.poll() is not None:
        break
sys.stdout.write(output.decode(errors="replace"))
sys.stdout.flush()

st = os.fstat(slave)
if after:
    env = dict(os.environ, ADMIN_TTY="%d:%d" % (st.st_dev, st.st_ino), ADMIN_SID=str(proc.pid))
    subprocess.run(after, env=env, stdin=subprocess.DEVNULL)

queued = input_queue(slave)
print("INPUT-QUEUE: %r" % queued)
sys.exit(proc.returncode)
