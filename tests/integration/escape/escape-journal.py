#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# A stand-in for journald's stream socket, so that the escape suite can see, without systemd, what
# priority and identifier journald would give each line a container printed (issue 13, finding
# 10). Listens on SOCKET (the path of /run/systemd/journal/stdout in the caller's own mount
# namespace), runs COMMAND with stdout and stderr connected to it as systemd connects a unit's
# (JOURNAL_STREAM set), and parses every stream as journald does: a header of seven lines
# (identifier, unit, priority, level_prefix, ...), then one entry per line, whose priority is a
# leading "<N>" when level_prefix is on, else the stream's. Prints one line per entry:
#   ENTRY <priority> <identifier> <message>
# and exits with COMMAND's status.
#
# usage: escape-journal.py SOCKET COMMAND [ARGS...]
#        escape-journal.py SOCKET --raw IDENTIFIER < LINES   (a writer that passes lines as they
#        come, level_prefix on: what a payload connected straight to journald gets; the selftest's
#        unguarded case)
import os
import re
import select
import socket
import subprocess
import sys
import threading

path = sys.argv[1]
entries = []
lock = threading.Lock()


def parse(conn):
    data = b""
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    conn.close()
    lines = data.decode(errors="replace").split("\n")
    if len(lines) < 8:
        return
    ident, prio, level_prefix = lines[0], int(lines[2]), lines[3] == "1"
    for line in lines[7:]:
        if line == "":
            continue
        p = prio
        m = re.match(r"<([0-7])>", line) if level_prefix else None
        if m:
            p, line = int(m.group(1)), line[m.end():]
        with lock:
            entries.append("ENTRY %d %s %s" % (p, ident, line))


server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
server.listen(64)
threads = []


def accept_pending():
    while True:
        try:
            conn, _ = server.accept()
        except BlockingIOError:
            return
        conn.setblocking(True)
        t = threading.Thread(target=parse, args=(conn,))
        t.start()
        threads.append(t)


server.setblocking(False)
client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
client.connect(path)
if sys.argv[2] == "--raw":
    client.sendall(("%s\n\n6\n1\n0\n0\n0\n" % sys.argv[3]).encode() + sys.stdin.buffer.read())
    client.close()
    rc = 0
else:
    client.sendall(b"escape-suite\n\n6\n1\n0\n0\n0\n")
    st = os.fstat(client.fileno())
    env = dict(os.environ, JOURNAL_STREAM="%d:%d" % (st.st_dev, st.st_ino))
    proc = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=client.fileno(),
                            stderr=client.fileno(), env=env)
    client.close()
    while proc.poll() is None:
        select.select([server], [], [], 0.2)
        accept_pending()
    rc = proc.returncode
# Every writer connected before it exited: what is left is in the backlog. Read each stream to
# its end (they end when the writers and whatever inherited them are gone).
accept_pending()
for t in threads:
    t.join()
server.close()
for e in entries:
    print(e)
sys.exit(rc)
