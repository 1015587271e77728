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
# --type-at MARK TEXT: when COMMAND's output first contains MARK, type TEXT on the terminal.
#
# --stdout-pipe N: COMMAND's stdout is a pipe instead, as in `COMMAND | head -c N`: N bytes are
# read from it and then its read end is closed. Prints "STDOUT-PIPE: <bytes read>", and then
# "TERMIOS: kept" or "TERMIOS: changed", whether the terminal's modes after COMMAND are those it
# had before (a COMMAND that dies of the pipe's end must not leave the terminal raw). COMMAND
# still running after 30 s is killed, and "TIMEOUT" printed.
#
# usage: admin-tty.py [--size R C] [--resize R C] [--type-at MARK TEXT] [--stdout-pipe N] COMMAND...
#                     [--- AFTER...]
import termios
import time
import os
import select
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..", "lib"))
from admin_tty import input_queue, make_ctty, open_pty, set_size  # noqa: E402

args = sys.argv[1:]
size = (24, 80)
resize = None
pipe_bytes = None
type_at = None
while args and args[0] in ("--size", "--resize", "--stdout-pipe", "--type-at"):
    if args[0] == "--type-at":
        type_at = (args[1].encode(), args[2].encode())
        args = args[3:]
        continue
    if args[0] == "--stdout-pipe":
        pipe_bytes = int(args[1])
        args = args[2:]
        continue
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
modes_before = termios.tcgetattr(slave)
pipe_r = pipe_w = None
if pipe_bytes is not None:
    pipe_r, pipe_w = os.pipe()
proc = subprocess.Popen(args, stdin=slave, stdout=slave if pipe_w is None else pipe_w, stderr=slave,
                        start_new_session=True, preexec_fn=make_ctty, close_fds=True)
if pipe_w is not None:
    os.close(pipe_w)
    got = b""
    while len(got) < pipe_bytes:
        chunk = os.read(pipe_r, pipe_bytes - len(got))
        if not chunk:
            break
        got += chunk
    os.close(pipe_r)
    print("STDOUT-PIPE: %d" % len(got))
deadline = time.monotonic() + 30
output = b""
while True:
    if time.monotonic() > deadline:
        proc.kill()
        proc.wait()
        print("TIMEOUT")
        break
    ready, _, _ = select.select([master], [], [], 0.2)
    if ready:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b""
        output += data
        if type_at and type_at[0] in output:
            os.write(master, type_at[1])
            type_at = None
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

if pipe_bytes is not None:
    print("TERMIOS: %s" % ("kept" if termios.tcgetattr(slave) == modes_before else "changed"))
queued = input_queue(slave)
print("INPUT-QUEUE: %r" % queued)
sys.exit(proc.returncode)
