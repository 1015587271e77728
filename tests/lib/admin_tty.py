# SPDX-License-Identifier: LGPL-2.1-or-later
"""An administrator's terminal for the tests that hand berth a terminal (escape-tty.py,
admin-tty.py): a fresh pty whose slave becomes a command's controlling terminal, as a shell's
would, and what was pushed into its input queue (TIOCSTI) that the shell would read next."""
import fcntl
import os
import struct
import termios


def open_pty(size=None):
    """A fresh pty: (master, slave), the window size (rows, cols) set when given."""
    master, slave = os.openpty()
    if size:
        set_size(slave, size)
    return master, slave


def set_size(fd, size):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))


def make_ctty():
    """Popen's preexec_fn (with start_new_session=True): stdin becomes the controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def input_queue(slave):
    """What is left in the terminal's input queue, as the next reader of it would get it."""
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
    return queued
